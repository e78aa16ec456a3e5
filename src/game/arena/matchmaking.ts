/**
 * Arena matchmaking rules: who may be paired with whom, given ratings and time waited.
 * A ticket is one queued player (1v1) or one queued party (2v2, rated at its members' average).
 */

export type MatchWindowRules = {
  /** Rating difference accepted at once. */
  baseRating: number;
  /** Added every `stepMs` waited. */
  stepRating: number;
  stepMs: number;
  /** The window never grows past this. */
  maxRating: number;
};

/** ±100 at once, +50 every 5 s waited, at most ±500 (reached after 40 s). */
export const DEFAULT_MATCH_WINDOW: MatchWindowRules = {
  baseRating: 100,
  stepRating: 50,
  stepMs: 5_000,
  maxRating: 500,
};

export type QueueTicket = {
  readonly id: string;
  readonly rating: number;
  readonly queuedAtMs: number;
};

/** The rating difference (points) a ticket accepts after waiting `waitedMs`. */
export function ratingWindow(waitedMs: number, rules = DEFAULT_MATCH_WINDOW): number {
  const steps = Math.floor(Math.max(0, waitedMs) / rules.stepMs);
  return Math.min(rules.maxRating, rules.baseRating + steps * rules.stepRating);
}

/**
 * Whether two tickets may meet at `nowMs`: their difference fits the window of the one that has
 * waited longer (a long wait widens the search for both, a fresh ticket does not narrow it).
 */
export function canPair(
  a: QueueTicket,
  b: QueueTicket,
  nowMs: number,
  rules = DEFAULT_MATCH_WINDOW,
): boolean {
  const waited = nowMs - Math.min(a.queuedAtMs, b.queuedAtMs);
  return Math.abs(a.rating - b.rating) <= ratingWindow(waited, rules);
}

/**
 * Pairs tickets, closest ratings first: every acceptable pair is ranked by rating difference
 * (then by the older ticket's wait, then ids, for determinism) and taken greedily while both
 * tickets are free. Tickets left over keep waiting, with windows that widen.
 */
export function pairTickets<T extends QueueTicket>(
  tickets: readonly T[],
  nowMs: number,
  rules = DEFAULT_MATCH_WINDOW,
): [T, T][] {
  const byRating = [...tickets].sort((x, y) => x.rating - y.rating || compareIds(x.id, y.id));
  const candidates: { a: T; b: T; diff: number; since: number }[] = [];
  for (let i = 0; i < byRating.length; i++) {
    const a = byRating[i]!;
    for (let j = i + 1; j < byRating.length; j++) {
      const b = byRating[j]!;
      if (b.rating - a.rating > rules.maxRating) break;
      if (canPair(a, b, nowMs, rules)) {
        candidates.push({
          a,
          b,
          diff: b.rating - a.rating,
          since: Math.min(a.queuedAtMs, b.queuedAtMs),
        });
      }
    }
  }
  candidates.sort(
    (x, y) =>
      x.diff - y.diff ||
      x.since - y.since ||
      compareIds(x.a.id, y.a.id) ||
      compareIds(x.b.id, y.b.id),
  );
  const taken = new Set<string>();
  const pairs: [T, T][] = [];
  for (const { a, b } of candidates) {
    if (taken.has(a.id) || taken.has(b.id)) continue;
    taken.add(a.id);
    taken.add(b.id);
    pairs.push(a.queuedAtMs <= b.queuedAtMs ? [a, b] : [b, a]);
  }
  return pairs;
}

function compareIds(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
