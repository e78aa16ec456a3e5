/**
 * How a world event's rewards are split among its participants, by share of the total
 * contribution (src/game/events/contribution.ts):
 * - below `minContributionShare` of the total: nothing;
 * - xp and gold: the full amounts × min(1, share × n), n = everyone who contributed, so doing at
 *   least an even share of the work earns the full reward and less earns proportionally less
 *   (rounded down);
 * - `items`: in full to everyone at or above the threshold;
 * - `top.items`: also to the `top.count` largest contributors at or above the threshold.
 */
import type { ItemStack } from "../items/inventory.ts";
import { byContribution } from "./contribution.ts";

export type EventRewards = {
  readonly xp: number;
  readonly gold: number;
  readonly items: readonly ItemStack[];
  /** Share of the total contribution (0..1) below which a participant gets nothing. */
  readonly minContributionShare: number;
  readonly top?: { readonly count: number; readonly items: readonly ItemStack[] };
};

export type ContributionShare = {
  readonly characterId: string;
  readonly contribution: number;
  /** contribution / total of all contributions (0..1). */
  readonly share: number;
};

export type RewardShare = ContributionShare & {
  /** 1-based rank by contribution. */
  readonly rank: number;
  readonly xp: number;
  readonly gold: number;
  readonly items: readonly ItemStack[];
};

/** Each positive contribution's share of the total, largest first (ties by character id). */
export function contributionShares(
  contributions: readonly { characterId: string; total: number }[],
): ContributionShare[] {
  const merged = new Map<string, number>();
  for (const c of contributions) {
    if (Number.isFinite(c.total) && c.total > 0) {
      merged.set(c.characterId, (merged.get(c.characterId) ?? 0) + c.total);
    }
  }
  const sorted = [...merged]
    .map(([characterId, total]) => ({ characterId, total }))
    .sort(byContribution);
  const sum = sorted.reduce((s, c) => s + c.total, 0);
  return sorted.map((c) => ({
    characterId: c.characterId,
    contribution: c.total,
    share: c.total / sum,
  }));
}

/** The rewards each participant at or above the threshold gets; see the module comment. */
export function splitRewards(
  contributions: readonly { characterId: string; total: number }[],
  rewards: EventRewards,
): RewardShare[] {
  const shares = contributionShares(contributions);
  const n = shares.length;
  const sum = shares.reduce((t, s) => t + s.contribution, 0);
  const topCount = rewards.top?.count ?? 0;
  const out: RewardShare[] = [];
  for (const s of shares) {
    if (s.share < rewards.minContributionShare) continue;
    // contribution × n against the total rather than share × n: an exactly even share of
    // integer contributions earns exactly the full amount, with no float rounding below it.
    const weighted = Math.min(sum, s.contribution * n);
    const rank = out.length + 1;
    const items = mergeStacks([
      ...rewards.items,
      ...(rank <= topCount ? (rewards.top?.items ?? []) : []),
    ]);
    out.push({
      ...s,
      rank,
      xp: Math.floor((rewards.xp * weighted) / sum),
      gold: Math.floor((rewards.gold * weighted) / sum),
      items,
    });
  }
  return out;
}

function mergeStacks(stacks: readonly ItemStack[]): ItemStack[] {
  const totals = new Map<string, number>();
  for (const s of stacks) totals.set(s.itemId, (totals.get(s.itemId) ?? 0) + s.qty);
  return [...totals].map(([itemId, qty]) => ({ itemId, qty }));
}
