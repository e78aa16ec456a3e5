import { Scaling } from "../content/common.ts";
import type { Rng } from "../rng.ts";
import type { CombatStats } from "./combat-stats.ts";
import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** Outcome of one hit or heal; reuse one object per caller on hot paths. */
export type DamageResult = {
  hit: boolean;
  crit: boolean;
  /** Integer points dealt (>= 1 on a hit) or healed (>= 0); 0 on a miss. */
  amount: number;
  /** Before defense mitigation. */
  raw: number;
};

/** A fresh result object to pass as `out`. */
export function createDamageResult(): DamageResult {
  return { hit: false, crit: false, amount: 0, raw: 0 };
}

/** Damage left after defense: amount x K / (K + defense), defense floored at 0. */
export function mitigate(amount: number, defense: number, defenseK: number): number {
  const def = defense > 0 ? defense : 0;
  return (amount * defenseK) / (defenseK + def);
}

/**
 * One attack: hit roll (hit_rate - dodge_rate), power x factor +/- variance, crit roll
 * (crit_rate, x crit_damage), then defense mitigation; integer damage >= 1 on a hit.
 * Writes into `out` and returns it: no allocation when `out` is passed.
 */
export function resolveDamage(
  attacker: CombatStats,
  defender: CombatStats,
  skillFactor: number,
  rng: Rng,
  out: DamageResult = createDamageResult(),
  scaling: Scaling = Scaling.ATTACK_POWER,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): DamageResult {
  const hitRate = attacker.hit_rate ?? rules.defaultHitRate;
  const dodgeRate = defender.dodge_rate ?? rules.defaultDodgeRate;
  let hitChance = hitRate - dodgeRate;
  if (!(hitChance >= rules.minHitChance)) hitChance = rules.minHitChance;
  else if (hitChance > rules.maxHitChance) hitChance = rules.maxHitChance;
  if (rng.next() >= hitChance) {
    out.hit = false;
    out.crit = false;
    out.amount = 0;
    out.raw = 0;
    return out;
  }
  let dmg = rollPower(attacker, skillFactor, rng, scaling, rules);
  out.crit = rollCrit(attacker, rng);
  if (out.crit) dmg *= attacker.crit_damage > 1 ? attacker.crit_damage : 1;
  out.hit = true;
  out.raw = dmg;
  dmg = mitigate(dmg, defender.defense, rules.defenseK);
  out.amount = dmg >= 1 ? (dmg < rules.maxAmount ? Math.floor(dmg) : rules.maxAmount) : 1;
  return out;
}

/** One heal: power x factor +/- variance, may crit; integer >= 0, no mitigation, never misses. */
export function resolveHeal(
  healer: CombatStats,
  factor: number,
  rng: Rng,
  out: DamageResult = createDamageResult(),
  scaling: Scaling = Scaling.MAGIC_POWER,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): DamageResult {
  let amount = rollPower(healer, factor, rng, scaling, rules);
  out.crit = rollCrit(healer, rng);
  if (out.crit) amount *= healer.crit_damage > 1 ? healer.crit_damage : 1;
  out.hit = true;
  out.raw = amount;
  out.amount = amount >= 0 ? (amount < rules.maxAmount ? Math.floor(amount) : rules.maxAmount) : 0;
  return out;
}

function rollPower(
  stats: CombatStats,
  factor: number,
  rng: Rng,
  scaling: Scaling,
  rules: CombatRules,
): number {
  const power = scaling === Scaling.MAGIC_POWER ? stats.magic_power : stats.attack_power;
  const base = (power > 0 ? power : 0) * (factor > 0 ? factor : 0);
  return base * (1 + (rng.next() * 2 - 1) * rules.variance);
}

function rollCrit(stats: CombatStats, rng: Rng): boolean {
  return rng.next() < stats.crit_rate;
}
