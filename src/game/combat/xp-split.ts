import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** Someone who damaged the mob. */
export type XpContributor = { id: string; damage: number; level: number };

export type XpShare = { id: string; xp: number };

/**
 * Weight multiplier for a player `levelsAbove` the mob: 1 within the grace, then linearly less
 * per level down to a floor, so an over-levelled helper takes a smaller share.
 */
export function levelShareFactor(
  playerLevel: number,
  mobLevel: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): number {
  const over = playerLevel - mobLevel - rules.xpLevelGrace;
  if (over <= 0) return 1;
  return Math.max(rules.xpMinLevelFactor, 1 - over * rules.xpLevelPenaltyPerLevel);
}

/**
 * Split an integer XP reward by damage share x level factor, with largest-remainder rounding:
 * shares are non-negative integers that sum exactly to `reward` (ties to more damage, then id).
 * Repeated ids are merged; when nobody did positive damage the split is even.
 */
export function splitXp(
  reward: number,
  contributors: readonly XpContributor[],
  mobLevel: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): XpShare[] {
  if (!Number.isSafeInteger(reward) || reward < 0) {
    throw new RangeError(`splitXp: reward must be a non-negative integer, got ${reward}`);
  }
  const merged = new Map<string, { damage: number; level: number }>();
  for (const c of contributors) {
    const damage = Number.isFinite(c.damage) && c.damage > 0 ? c.damage : 0;
    const prev = merged.get(c.id);
    merged.set(c.id, { damage: (prev?.damage ?? 0) + damage, level: prev?.level ?? c.level });
  }
  const ids = [...merged.keys()];
  if (ids.length === 0) return [];

  let weights = ids.map((id) => {
    const c = merged.get(id) as { damage: number; level: number };
    return c.damage * levelShareFactor(c.level, mobLevel, rules);
  });
  let total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !Number.isFinite(total)) {
    weights = ids.map(() => 1);
    total = ids.length;
  }

  const exact = weights.map((w) => reward * (w / total));
  const shares = exact.map((x) => Math.floor(x));
  let left = reward - shares.reduce((a, b) => a + b, 0);
  const order = ids
    .map((id, i) => ({
      i,
      id,
      frac: (exact[i] as number) - (shares[i] as number),
      w: weights[i] as number,
    }))
    .sort((a, b) => b.frac - a.frac || b.w - a.w || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Float error can leave `left` outside [0, n); walk the ranking as often as needed.
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = (order[k] as { i: number }).i;
    shares[i] = (shares[i] as number) + 1;
  }
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) {
    const i = (order[k] as { i: number }).i;
    if ((shares[i] as number) > 0) {
      shares[i] = (shares[i] as number) - 1;
      left++;
    }
  }
  return ids.map((id, i) => ({ id, xp: shares[i] as number }));
}
