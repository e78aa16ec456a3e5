import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** One attacker on a mob's threat table. */
export type ThreatEntry = { id: string; threat: number };

/** A mob's threat table, in order of first engagement. */
export type ThreatTable = readonly ThreatEntry[];

/** Threat below this is forgotten after decay. */
const FORGET_BELOW = 0.5;

/** Add threat (damage dealt, healing done nearby, debuffs) for `id`; returns a new table. */
export function addThreat(table: ThreatTable, id: string, amount: number): ThreatTable {
  if (!(amount > 0)) return table.some((e) => e.id === id) ? table : [...table, { id, threat: 0 }];
  const i = table.findIndex((e) => e.id === id);
  if (i === -1) return [...table, { id, threat: amount }];
  const next = table.slice();
  next[i] = { id, threat: (table[i] as ThreatEntry).threat + amount };
  return next;
}

/**
 * Healing threat: if the healed player is on this table, the healer gains
 * amount x healThreatFactor on it (a healer draws aggro from mobs fighting their ally).
 */
export function addHealThreat(
  table: ThreatTable,
  healerId: string,
  healedId: string,
  effectiveHeal: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): ThreatTable {
  if (!table.some((e) => e.id === healedId)) return table;
  return addThreat(table, healerId, effectiveHeal * rules.healThreatFactor);
}

/** The id with the most threat (ties go to whoever engaged first); null when empty. */
export function topThreat(table: ThreatTable): string | null {
  let best: ThreatEntry | null = null;
  for (const e of table) if (best === null || e.threat > best.threat) best = e;
  return best === null ? null : best.id;
}

/**
 * Who the mob attacks: it keeps `currentId` unless someone holds more than threatSwitchRatio x
 * its threat (stops target ping-pong); picks topThreat when current is gone.
 */
export function selectTarget(
  table: ThreatTable,
  currentId: string | null,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): string | null {
  const top = topThreat(table);
  if (currentId === null || top === null) return top;
  const current = table.find((e) => e.id === currentId);
  if (current === undefined) return top;
  const topThreatValue = (table.find((e) => e.id === top) as ThreatEntry).threat;
  return topThreatValue > current.threat * rules.threatSwitchRatio ? top : currentId;
}

/** Exponential decay over `dtMs` (half-life from the rules); entries that fade out are dropped. */
export function decayThreat(
  table: ThreatTable,
  dtMs: number,
  rules: CombatRules = DEFAULT_COMBAT_RULES,
): ThreatTable {
  if (table.length === 0 || dtMs <= 0) return table;
  const k = 0.5 ** (dtMs / rules.threatHalfLifeMs);
  const next: ThreatEntry[] = [];
  for (const e of table) {
    const threat = e.threat * k;
    if (threat >= FORGET_BELOW) next.push({ id: e.id, threat });
  }
  return next;
}

/** Forget one attacker (died, left the zone). */
export function removeThreat(table: ThreatTable, id: string): ThreatTable {
  return table.some((e) => e.id === id) ? table.filter((e) => e.id !== id) : table;
}

/** The empty table a mob gets when it leashes home or respawns. */
export function resetThreat(): ThreatTable {
  return [];
}
