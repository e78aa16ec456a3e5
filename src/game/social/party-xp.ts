import type { XpContributor } from "../combat/xp-split.ts";

/** Party members within this many units of a kill share its XP (the zone AOI radius). */
export const PARTY_XP_RANGE = 400;

/** A living player near the kill who is in a party. */
export type NearPartyMember = { id: string; level: number; partyId: string };

/**
 * Kill XP contributors with parties taken into account, for `splitXp`: the damage a party's
 * members dealt is pooled and spread evenly over that party's contributors and its members near
 * the kill (a member who dealt no damage gets an equal part), so level factors still apply per
 * member. Players outside any party keep their own damage.
 */
export function withPartyShares(
  contributors: readonly XpContributor[],
  partyOf: (id: string) => string | undefined,
  near: readonly NearPartyMember[],
): XpContributor[] {
  const out: XpContributor[] = [];
  const pooled = new Map<string, { damage: number; members: Map<string, number> }>();
  for (const c of contributors) {
    const partyId = partyOf(c.id);
    if (partyId === undefined) {
      out.push(c);
      continue;
    }
    let pool = pooled.get(partyId);
    if (!pool) pooled.set(partyId, (pool = { damage: 0, members: new Map() }));
    pool.damage += Number.isFinite(c.damage) && c.damage > 0 ? c.damage : 0;
    if (!pool.members.has(c.id)) pool.members.set(c.id, c.level);
  }
  for (const m of near) {
    const pool = pooled.get(m.partyId);
    if (pool && !pool.members.has(m.id)) pool.members.set(m.id, m.level);
  }
  for (const pool of pooled.values()) {
    const each = pool.damage / pool.members.size;
    for (const [id, level] of pool.members) out.push({ id, damage: each, level });
  }
  return out;
}
