import type { StatMod } from "../content/common.ts";
import type { EffectSkill } from "../content/skills.ts";
import type { Contribution } from "../leveling/contributions.ts";

/** A buff or debuff on a combatant, expiring at a game time. */
export type ActiveEffect = {
  /** The skill that applied it. */
  id: string;
  sourceId: string;
  kind: "buff" | "debuff";
  modifiers: readonly StatMod[];
  appliedAtMs: number;
  expiresAtMs: number;
};

export type ActiveEffects = readonly ActiveEffect[];

/** The effect a buff or debuff skill puts on its target. */
export function effectFromSkill(skill: EffectSkill, sourceId: string, nowMs: number): ActiveEffect {
  return {
    id: skill.id,
    sourceId,
    kind: skill.kind,
    modifiers: skill.modifiers,
    appliedAtMs: nowMs,
    expiresAtMs: nowMs + skill.durationMs,
  };
}

/**
 * Add an effect: the same skill from the same source refreshes (replaces) the old one; from
 * different sources they stack. Returns a new list.
 */
export function applyEffect(effects: ActiveEffects, effect: ActiveEffect): ActiveEffect[] {
  const next = effects.filter((e) => !(e.id === effect.id && e.sourceId === effect.sourceId));
  next.push(effect);
  return next;
}

/** Remove effects whose expiry is at or before `nowMs`; `changed` says stats need recomputing. */
export function tickEffects(
  effects: ActiveEffects,
  nowMs: number,
): { effects: ActiveEffects; changed: boolean } {
  let expired = 0;
  for (const e of effects) if (e.expiresAtMs <= nowMs) expired++;
  if (expired === 0) return { effects, changed: false };
  return { effects: effects.filter((e) => e.expiresAtMs > nowMs), changed: true };
}

/** Remove every effect of one skill (dispel); `changed` when any was removed. */
export function removeEffect(
  effects: ActiveEffects,
  id: string,
): { effects: ActiveEffects; changed: boolean } {
  const next = effects.filter((e) => e.id !== id);
  return next.length === effects.length
    ? { effects, changed: false }
    : { effects: next, changed: true };
}

/** The effects' stat modifiers as aggregator contributions (system "effects"). */
export function effectContributions(effects: ActiveEffects): Contribution[] {
  const out: Contribution[] = [];
  for (const e of effects) {
    for (const m of e.modifiers) {
      out.push({ dimension: m.dimension, bucket: m.bucket, value: m.value, system: "effects" });
    }
  }
  return out;
}
