import type { AutoAttack } from "../content/skills.ts";
import type { CombatStats } from "./combat-stats.ts";
import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** Game time (ms) at which each skill or cooldown group is ready again. */
export type Cooldowns = Readonly<Record<string, number>>;

/** A cooldown shortened by cooldown_reduction (clamped to [0, rules cap]), in whole ms. */
export function effectiveCooldownMs(
  baseMs: number,
  cooldownReduction: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): number {
  let cdr = cooldownReduction > 0 ? cooldownReduction : 0;
  if (cdr > rules.cooldownReductionCap) cdr = rules.cooldownReductionCap;
  return Math.round(baseMs * (1 - cdr));
}

/** Ms until `key` is ready at `nowMs` (0 when ready). */
export function cooldownRemainingMs(cooldowns: Cooldowns, key: string, nowMs: number): number {
  const readyAt = cooldowns[key];
  return readyAt === undefined || readyAt <= nowMs ? 0 : readyAt - nowMs;
}

/** Start `key`'s cooldown of `durationMs` at `nowMs`; returns a new record, expired keys dropped. */
export function startCooldown(
  cooldowns: Cooldowns,
  key: string,
  nowMs: number,
  durationMs: number,
): Cooldowns {
  const next: Record<string, number> = {};
  for (const [k, readyAt] of Object.entries(cooldowns)) if (readyAt > nowMs) next[k] = readyAt;
  if (durationMs > 0) next[key] = nowMs + durationMs;
  return next;
}

/** Ms between two auto-attacks: the interval divided by attack_speed (floored by the rules). */
export function autoAttackIntervalMs(
  autoAttack: AutoAttack,
  stats: CombatStats,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): number {
  const speed =
    stats.attack_speed > rules.minAttackSpeed ? stats.attack_speed : rules.minAttackSpeed;
  return Math.max(1, Math.round(autoAttack.intervalMs / speed));
}
