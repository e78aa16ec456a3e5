/**
 * Mobs' live combat state in a zone: buffs/debuffs and threat tables.
 *
 * Mobs do not go through the stat aggregator: an effect changes a mob's template stats as
 * (base + FLAT sum) x product(1 + MULT) per combat dimension (rates stay within [0, 1]). A
 * move_speed change also swaps in a per-mob copy of the AI params, so a slowed mob walks slower;
 * hp_max effects on mobs are ignored. Damage, debuffs and heals near a fight feed one threat table
 * per mob, and the mob chases whom the threat rules select.
 */
import type { GameData } from "../content/load-game-data.ts";
import type { CombatStats } from "../game/combat/combat-stats.ts";
import {
  applyEffect,
  tickEffects,
  type ActiveEffect,
  type ActiveEffects,
} from "../game/combat/effects.ts";
import { DEFAULT_COMBAT_RULES } from "../game/combat/rules.ts";
import {
  addHealThreat,
  addThreat,
  decayThreat,
  removeThreat,
  selectTarget,
  type ThreatTable,
} from "../game/combat/threat.ts";
import { isDead } from "../game/world/damage.ts";
import { provokeMob } from "../game/world/mob-ai.ts";
import {
  EntityKind,
  type MobAiParams,
  type MobEntity,
  type PlayerEntity,
  type World,
} from "../game/world/world-types.ts";
import { entityById } from "../game/world/world.ts";
import type { SimNotice } from "./sim-types.ts";

/** What mob combat state needs from the simulation. */
export type MobCombatHost = {
  readonly world: World;
  readonly data: GameData;
  /** Template combat stats of a mob, before effects. */
  mobBaseStats(templateId: string): CombatStats | undefined;
};

type MobEffects = { effects: ActiveEffects; stats: CombatStats };

const NUMERIC_STATS = [
  "hp_max",
  "mp_max",
  "attack_power",
  "magic_power",
  "defense",
  "crit_rate",
  "crit_damage",
  "attack_speed",
  "move_speed",
  "cooldown_reduction",
  "hit_rate",
  "dodge_rate",
] as const satisfies readonly (keyof CombatStats)[];
const RATES: ReadonlySet<string> = new Set(["crit_rate", "hit_rate", "dodge_rate"]);

export class MobCombat {
  private readonly host: MobCombatHost;
  private readonly effects = new Map<string, MobEffects>();
  private readonly threat = new Map<string, ThreatTable>();
  /** The player each mob was last sent after by threat (applyDamage provokes on every hit). */
  private readonly threatTarget = new Map<string, string>();

  constructor(host: MobCombatHost) {
    this.host = host;
  }

  /** A mob's combat stats with its active effects. */
  stats(mob: MobEntity): CombatStats | undefined {
    return this.effects.get(mob.id)?.stats ?? this.host.mobBaseStats(mob.templateId);
  }

  /** Puts a buff or debuff on a mob (the same skill from the same source refreshes). */
  applyEffect(mob: MobEntity, effect: ActiveEffect): void {
    this.setEffects(mob, applyEffect(this.effects.get(mob.id)?.effects ?? [], effect));
  }

  /** Removes expired effects at the current world time. */
  tickEffects(notices: SimNotice[]): void {
    const { world } = this.host;
    for (const [mobId, state] of this.effects) {
      const next = tickEffects(state.effects, world.timeMs);
      if (!next.changed) continue;
      const mob = entityById(world, mobId);
      if (mob?.kind !== EntityKind.Mob) {
        this.effects.delete(mobId);
        continue;
      }
      pushExpired(state.effects, next.effects, mob, notices);
      this.setEffects(mob, next.effects);
    }
  }

  /** `amount` threat from `playerId` on a living mob; the mob chases whom threat selects. */
  addThreat(mob: MobEntity, playerId: string, amount: number): void {
    if (isDead(mob)) return;
    const table = addThreat(this.threat.get(mob.id) ?? [], playerId, amount);
    this.threat.set(mob.id, table);
    this.chaseTop(mob, table);
  }

  /** Healing `healedId` draws threat to the healer on every mob fighting the healed player. */
  addHealThreat(healerId: string, healedId: string, healed: number): void {
    for (const [mobId, table] of this.threat) {
      const next = addHealThreat(table, healerId, healedId, healed);
      if (next === table) continue;
      this.threat.set(mobId, next);
      const mob = entityById(this.host.world, mobId);
      if (mob?.kind === EntityKind.Mob) this.chaseTop(mob, next);
    }
  }

  /** A mob died or leashed home: it forgets its threat and effects. */
  reset(mob: MobEntity): void {
    this.threat.delete(mob.id);
    this.threatTarget.delete(mob.id);
    if (this.effects.has(mob.id)) this.setEffects(mob, []);
  }

  /** A player died or left: it comes off every threat table. */
  forgetPlayer(playerId: string): void {
    for (const [mobId, table] of this.threat) {
      const next = removeThreat(table, playerId);
      if (next === table) continue;
      if (next.length === 0) this.threat.delete(mobId);
      else this.threat.set(mobId, next);
      if (this.threatTarget.get(mobId) === playerId) this.threatTarget.delete(mobId);
    }
  }

  /** Threat fades over `dtMs` (call once per step). */
  decayThreat(dtMs: number): void {
    for (const [mobId, table] of this.threat) {
      const next = decayThreat(table, dtMs);
      if (next.length === 0) {
        this.threat.delete(mobId);
        this.threatTarget.delete(mobId);
      } else if (next !== table) this.threat.set(mobId, next);
    }
  }

  private setEffects(mob: MobEntity, effects: ActiveEffects): void {
    const template = this.host.data.content.mobs.get(mob.templateId);
    const base = this.host.mobBaseStats(mob.templateId);
    if (!template || !base) return;
    if (effects.length === 0) {
      this.effects.delete(mob.id);
      setMobAi(mob, template.ai);
      return;
    }
    const stats = withEffects(base, effects);
    this.effects.set(mob.id, { effects, stats });
    setMobAi(
      mob,
      stats.move_speed === template.ai.moveSpeed
        ? template.ai
        : { ...template.ai, moveSpeed: stats.move_speed },
    );
  }

  /** Sends the mob after the player its threat table selects. */
  private chaseTop(mob: MobEntity, table: ThreatTable): void {
    const { world } = this.host;
    const chosen = selectTarget(table, this.threatTarget.get(mob.id) ?? null, DEFAULT_COMBAT_RULES);
    if (chosen === null) return;
    this.threatTarget.set(mob.id, chosen);
    const target = entityById(world, chosen);
    if (target?.kind !== EntityKind.Player || target.dead) return;
    provokeMob(mob, target.handle, world.playerGrid.generation(target.handle));
  }
}

/** (base + FLAT sum) x product(1 + MULT) per combat dimension; rates stay within [0, 1]. */
export function withEffects(base: CombatStats, effects: ActiveEffects): CombatStats {
  const out: CombatStats = { ...base };
  for (const dim of NUMERIC_STATS) {
    let flat = 0;
    let mult = 1;
    let touched = false;
    for (const e of effects) {
      for (const m of e.modifiers) {
        if (m.dimension !== dim) continue;
        touched = true;
        if (m.bucket === "FLAT") flat += m.value;
        else mult *= 1 + m.value;
      }
    }
    if (!touched) continue;
    const start =
      base[dim] ??
      (dim === "hit_rate"
        ? DEFAULT_COMBAT_RULES.defaultHitRate
        : DEFAULT_COMBAT_RULES.defaultDodgeRate);
    const value = Math.max(0, (start + flat) * mult);
    out[dim] = RATES.has(dim) ? Math.min(1, value) : value;
  }
  return out;
}

/** `effectExpired` notices for the effects in `before` that are not in `after`. */
export function pushExpired(
  before: ActiveEffects,
  after: ActiveEffects,
  on: PlayerEntity | MobEntity,
  notices: SimNotice[],
): void {
  for (const e of before) {
    if (after.includes(e)) continue;
    notices.push({ type: "effectExpired", targetId: on.id, effectId: e.id, x: on.x, y: on.y });
  }
}

/** The world step reads a mob's speed from its AI params, shared with the template by default. */
function setMobAi(mob: MobEntity, ai: MobAiParams): void {
  if (mob.ai !== ai) (mob as { ai: MobAiParams }).ai = ai;
}
