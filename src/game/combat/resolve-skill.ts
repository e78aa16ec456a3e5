import type { Rng } from "../rng.ts";
import type { AutoAttack, Skill } from "../content/skills.ts";
import type { CombatStats } from "./combat-stats.ts";
import { createDamageResult, resolveDamage, resolveHeal } from "./damage.ts";
import { effectFromSkill, type ActiveEffect } from "./effects.ts";
import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** Someone a skill lands on. */
export type SkillTarget = { id: string; stats: CombatStats };

export type SkillOutcome =
  | {
      type: "damage";
      targetId: string;
      hit: boolean;
      crit: boolean;
      amount: number;
      threat: number;
    }
  | { type: "heal"; targetId: string; crit: boolean; amount: number }
  | { type: "effect"; targetId: string; effect: ActiveEffect; threat: number };

/** Threat a debuff causes per target, before the skill's threatMultiplier. */
export const DEBUFF_BASE_THREAT = 10;

/** Entities within `radius` of (x, y), in input order (world units). */
export function selectAreaTargets<T extends { x: number; y: number }>(
  x: number,
  y: number,
  radius: number,
  candidates: readonly T[],
): T[] {
  const r2 = radius * radius;
  return candidates.filter((c) => (c.x - x) ** 2 + (c.y - y) ** 2 <= r2);
}

/**
 * Apply a completed skill to its targets (already chosen: enemies for damage/debuff, allies for
 * heal/buff). Heal amounts are raw: clamp to missing hp with applyHeal. Draws from rng in target
 * order, so the same inputs and seed give the same outcomes.
 */
export function resolveSkill(
  skill: Skill,
  caster: SkillTarget,
  targets: readonly SkillTarget[],
  rng: Rng,
  nowMs: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): SkillOutcome[] {
  const threatMultiplier = skill.threatMultiplier ?? 1;
  const result = createDamageResult();
  const outcomes: SkillOutcome[] = [];
  for (const target of targets) {
    switch (skill.kind) {
      case "damage": {
        resolveDamage(caster.stats, target.stats, skill.factor, rng, result, skill.scaling, rules);
        const { hit, crit, amount } = result;
        outcomes.push({
          type: "damage",
          targetId: target.id,
          hit,
          crit,
          amount,
          threat: amount * threatMultiplier,
        });
        break;
      }
      case "heal": {
        resolveHeal(caster.stats, skill.factor, rng, result, skill.scaling, rules);
        outcomes.push({
          type: "heal",
          targetId: target.id,
          crit: result.crit,
          amount: result.amount,
        });
        break;
      }
      case "buff":
      case "debuff": {
        const threat = skill.kind === "debuff" ? DEBUFF_BASE_THREAT * threatMultiplier : 0;
        outcomes.push({
          type: "effect",
          targetId: target.id,
          effect: effectFromSkill(skill, caster.id, nowMs),
          threat,
        });
        break;
      }
    }
  }
  return outcomes;
}

/** One auto-attack swing against a target (range and interval are the caller's checks). */
export function resolveAutoAttack(
  autoAttack: AutoAttack,
  attacker: SkillTarget,
  target: SkillTarget,
  rng: Rng,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): Extract<SkillOutcome, { type: "damage" }> {
  const r = resolveDamage(
    attacker.stats,
    target.stats,
    autoAttack.factor,
    rng,
    undefined,
    autoAttack.scaling,
    rules,
  );
  return {
    type: "damage",
    targetId: target.id,
    hit: r.hit,
    crit: r.crit,
    amount: r.amount,
    threat: r.amount,
  };
}
