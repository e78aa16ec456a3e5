/**
 * Who helped bring a world boss down, and how much. A participant's contribution is the damage it
 * dealt to the boss plus the healing it did to players fighting the boss. A player is fighting
 * the boss while it hit the boss or was hit by it within the last ENGAGED_WINDOW_MS; healing on
 * anyone else (and overhealing, which the amounts already exclude) counts for nothing.
 */

/** How long after its last exchange with the boss a player still counts as fighting it. */
export const ENGAGED_WINDOW_MS = 15_000;
/** Contribution per hit point healed on a fighting player (1: as much as a point of damage). */
export const HEAL_WEIGHT = 1;

export type ContributionLog = {
  readonly damage: Map<string, number>;
  readonly healing: Map<string, number>;
  /** Per player: game time (ms) until which it counts as fighting the boss. */
  readonly engagedUntil: Map<string, number>;
};

export type Contribution = {
  readonly characterId: string;
  readonly damage: number;
  readonly healing: number;
  /** damage + healing × HEAL_WEIGHT. */
  readonly total: number;
};

export function createContributionLog(): ContributionLog {
  return { damage: new Map(), healing: new Map(), engagedUntil: new Map() };
}

const positive = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

function engage(log: ContributionLog, characterId: string, atMs: number): void {
  const until = atMs + ENGAGED_WINDOW_MS;
  if ((log.engagedUntil.get(characterId) ?? -Infinity) < until) {
    log.engagedUntil.set(characterId, until);
  }
}

/** `sourceId` removed `amount` hp from the boss at game time `atMs`. */
export function recordBossDamaged(
  log: ContributionLog,
  sourceId: string,
  amount: number,
  atMs: number,
): void {
  engage(log, sourceId, atMs);
  const dealt = positive(amount);
  if (dealt > 0) log.damage.set(sourceId, (log.damage.get(sourceId) ?? 0) + dealt);
}

/** The boss attacked player `targetId` at game time `atMs` (hit or not, it is in the fight). */
export function recordBossAttacked(log: ContributionLog, targetId: string, atMs: number): void {
  engage(log, targetId, atMs);
}

/** Whether `characterId` counts as fighting the boss at game time `atMs`. */
export function isEngaged(log: ContributionLog, characterId: string, atMs: number): boolean {
  return (log.engagedUntil.get(characterId) ?? -Infinity) >= atMs;
}

/**
 * `healerId` restored `amount` hp (overheal excluded) to `targetId` at game time `atMs`; counts
 * only when the target is fighting the boss. Returns whether it counted.
 */
export function recordHeal(
  log: ContributionLog,
  healerId: string,
  targetId: string,
  amount: number,
  atMs: number,
): boolean {
  const healed = positive(amount);
  if (healed === 0 || !isEngaged(log, targetId, atMs)) return false;
  log.healing.set(healerId, (log.healing.get(healerId) ?? 0) + healed);
  return true;
}

/** Every participant with a positive contribution, largest first (ties by character id). */
export function contributionsOf(log: ContributionLog): Contribution[] {
  const ids = new Set([...log.damage.keys(), ...log.healing.keys()]);
  const out: Contribution[] = [];
  for (const characterId of ids) {
    const damage = log.damage.get(characterId) ?? 0;
    const healing = log.healing.get(characterId) ?? 0;
    const total = damage + healing * HEAL_WEIGHT;
    if (total > 0) out.push({ characterId, damage, healing, total });
  }
  return out.sort(byContribution);
}

/** Largest total first, then character id: the one order every split uses. */
export function byContribution(
  a: { characterId: string; total: number },
  b: { characterId: string; total: number },
): number {
  if (a.total !== b.total) return b.total - a.total;
  return a.characterId < b.characterId ? -1 : a.characterId > b.characterId ? 1 : 0;
}
