import type { Skill } from "../content/skills.ts";
import type { CombatStats } from "./combat-stats.ts";
import {
  cooldownRemainingMs,
  effectiveCooldownMs,
  startCooldown,
  type Cooldowns,
} from "./cooldowns.ts";
import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** A cast in progress; it resolves at completesAtMs unless cancelled. */
export type ActiveCast = {
  skillId: string;
  /** Target entity for single-target skills; null for self and ground-targeted areas. */
  targetId: string | null;
  /** Area centre (or target position when cast started). */
  x: number;
  y: number;
  startedAtMs: number;
  completesAtMs: number;
};

/** The parts of a combatant that casting changes. */
export type CasterState = {
  mp: number;
  cooldowns: Cooldowns;
  cast: ActiveCast | null;
};

export const CastRefusal = {
  DEAD: "DEAD",
  WRONG_JOB: "WRONG_JOB",
  ALREADY_CASTING: "ALREADY_CASTING",
  ON_COOLDOWN: "ON_COOLDOWN",
  NOT_ENOUGH_MP: "NOT_ENOUGH_MP",
  OUT_OF_RANGE: "OUT_OF_RANGE",
  NO_TARGET: "NO_TARGET",
} as const;
export type CastRefusal = (typeof CastRefusal)[keyof typeof CastRefusal];

export type CastRequest = {
  skill: Skill;
  /** The caster's job; skills of other jobs are refused. */
  jobId: string;
  /** Caster's current (buffed) stats: cooldown_reduction shortens the cooldown. */
  stats: CombatStats;
  alive: boolean;
  /** Target entity id (single-target skills need one). */
  targetId: string | null;
  /** Distance from caster to the target or area centre, in world units. */
  distance: number;
  x: number;
  y: number;
  nowMs: number;
};

export type CastResult =
  | { ok: true; caster: CasterState; cast: ActiveCast; instant: boolean }
  | { ok: false; code: CastRefusal; remainingMs?: number };

/** Range check with a small tolerance for positions that moved within the tick (world units). */
export function isInRange(distance: number, range: number, tolerance = 0.5): boolean {
  return distance <= range + tolerance;
}

/**
 * Start a skill: checks job, life, casting, cooldown, mp, target and range; on success mp is
 * spent and the cooldown starts now (not refunded on cancel). Instant skills complete at nowMs.
 */
export function beginCast(
  caster: CasterState,
  request: CastRequest,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): CastResult {
  const { skill, nowMs } = request;
  if (!request.alive) return { ok: false, code: CastRefusal.DEAD };
  if (skill.job !== request.jobId) return { ok: false, code: CastRefusal.WRONG_JOB };
  if (caster.cast !== null) {
    return {
      ok: false,
      code: CastRefusal.ALREADY_CASTING,
      remainingMs: caster.cast.completesAtMs - nowMs,
    };
  }
  const remainingMs = cooldownRemainingMs(caster.cooldowns, skill.id, nowMs);
  if (remainingMs > 0) return { ok: false, code: CastRefusal.ON_COOLDOWN, remainingMs };
  if (caster.mp < skill.mpCost) return { ok: false, code: CastRefusal.NOT_ENOUGH_MP };
  if (skill.target.type === "single" && request.targetId === null) {
    return { ok: false, code: CastRefusal.NO_TARGET };
  }
  if (skill.target.type !== "self" && !isInRange(request.distance, skill.range)) {
    return { ok: false, code: CastRefusal.OUT_OF_RANGE };
  }
  const cooldownMs = effectiveCooldownMs(skill.cooldownMs, request.stats.cooldown_reduction, rules);
  const cast: ActiveCast = {
    skillId: skill.id,
    targetId: request.targetId,
    x: request.x,
    y: request.y,
    startedAtMs: nowMs,
    completesAtMs: nowMs + skill.castTimeMs,
  };
  const instant = skill.castTimeMs === 0;
  return {
    ok: true,
    cast,
    instant,
    caster: {
      mp: caster.mp - skill.mpCost,
      cooldowns: startCooldown(caster.cooldowns, skill.id, nowMs, cooldownMs),
      cast: instant ? null : cast,
    },
  };
}

/** Advance a cast to `nowMs`: returns the finished cast (to resolve) and the caster without it. */
export function tickCast(
  caster: CasterState,
  nowMs: number,
): { caster: CasterState; completed: ActiveCast | null } {
  const cast = caster.cast;
  if (cast === null || cast.completesAtMs > nowMs) return { caster, completed: null };
  return { caster: { ...caster, cast: null }, completed: cast };
}

/** Interrupt a cast (moved, stunned, target lost); mp and cooldown stay spent. */
export function cancelCast(caster: CasterState): CasterState {
  return caster.cast === null ? caster : { ...caster, cast: null };
}
