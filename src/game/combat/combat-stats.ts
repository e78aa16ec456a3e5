import type { Mob } from "../content/mobs.ts";
import type { AutoAttack } from "../content/skills.ts";

/**
 * The numbers combat reads, named like the aggregator's dimensions.
 * crit_rate, hit_rate, dodge_rate, cooldown_reduction are fractions (0.25 = 25%);
 * crit_damage is the multiplier on a crit (1.5 = +50%); attack_speed multiplies attack frequency
 * (1 = the auto-attack's own interval); move_speed is not read by combat (for mobs it is copied
 * from ai.moveSpeed, world units per second).
 */
export type CombatStats = {
  hp_max: number;
  mp_max: number;
  attack_power: number;
  magic_power: number;
  defense: number;
  crit_rate: number;
  crit_damage: number;
  attack_speed: number;
  move_speed: number;
  cooldown_reduction: number;
  /** Default: rules.defaultHitRate. */
  hit_rate?: number;
  /** Default: rules.defaultDodgeRate. */
  dodge_rate?: number;
  /** hp / mp regained per second while alive (characters; mobs do not regenerate). */
  hp_regen?: number;
  mp_regen?: number;
};

/** Combat stats of a mob template (mobs do not go through the aggregator). */
export function mobCombatStats(mob: Mob): CombatStats {
  return {
    hp_max: mob.hp,
    mp_max: mob.mp,
    attack_power: mob.attack_power,
    magic_power: mob.magic_power,
    defense: mob.defense,
    crit_rate: mob.crit_rate,
    crit_damage: mob.crit_damage,
    attack_speed: 1,
    move_speed: mob.ai.moveSpeed,
    cooldown_reduction: 0,
    hit_rate: mob.hit_rate,
    dodge_rate: mob.dodge_rate,
  };
}

/** A mob's basic attack from its AI params: attack_power x 1, attackRange, attackCooldownMs. */
export function mobAutoAttack(mob: Mob): AutoAttack {
  return {
    id: `${mob.id}_attack`,
    name: mob.name,
    range: mob.ai.attackRange,
    intervalMs: mob.ai.attackCooldownMs,
    scaling: "attack_power",
    factor: 1,
  };
}
