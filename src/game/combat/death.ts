import type { Mob } from "../content/mobs.ts";
import type { CombatStats } from "./combat-stats.ts";
import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** Take damage: hp never drops below 0; `died` only on the hit that reaches 0. */
export function applyDamage(hp: number, amount: number): { hp: number; died: boolean } {
  if (hp <= 0) return { hp: 0, died: false };
  const next = amount >= hp ? 0 : hp - Math.max(0, amount);
  return { hp: next, died: next === 0 };
}

/** Heal up to hp_max; `healed` is the effective amount (for threat and logs). The dead stay dead. */
export function applyHeal(
  hp: number,
  amount: number,
  hpMax: number,
): { hp: number; healed: number } {
  if (hp <= 0) return { hp: 0, healed: 0 };
  const next = Math.min(hpMax, hp + Math.max(0, amount));
  return { hp: next, healed: Math.max(0, next - hp) };
}

export type RespawnPoint = { zone: string; x: number; y: number };

export type Respawn =
  | { ok: true; hp: number; mp: number; zone: string; x: number; y: number }
  | { ok: false; code: "NOT_DEAD" | "TOO_SOON"; remainingMs?: number };

/** Game time (ms) at which a player who died at `diedAtMs` may respawn. */
export function playerRespawnAtMs(
  diedAtMs: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): number {
  return diedAtMs + rules.playerRespawnDelayMs;
}

/**
 * Respawn a dead player at `point` (the zone decides: its spawn or nearest graveyard) once the
 * delay has passed; hp and mp come back as fractions of their maxima (hp at least 1).
 */
export function respawnPlayer(
  hp: number,
  diedAtMs: number,
  nowMs: number,
  stats: CombatStats,
  point: RespawnPoint,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): Respawn {
  if (hp > 0) return { ok: false, code: "NOT_DEAD" };
  const remainingMs = playerRespawnAtMs(diedAtMs, rules) - nowMs;
  if (remainingMs > 0) return { ok: false, code: "TOO_SOON", remainingMs };
  return {
    ok: true,
    hp: Math.max(1, Math.floor(stats.hp_max * rules.respawnHpFraction)),
    mp: Math.floor(stats.mp_max * rules.respawnMpFraction),
    ...point,
  };
}

/** Game time (ms) at which a mob killed at `diedAtMs` respawns, at full hp, at its spawn point. */
export function mobRespawnAtMs(mob: Mob, diedAtMs: number): number {
  return diedAtMs + mob.ai.respawnMs;
}
