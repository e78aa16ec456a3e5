/**
 * Team ratings for 2v2 (and 1v1, where a team is one player) on top of Glicko-2.
 *
 * Each player is rated as if their team's average rating had played one game against a virtual
 * opponent: the other team's average rating with the root mean square of its RDs. The expected
 * score therefore compares team strengths (a strong player carrying a weak partner is judged on
 * the pair), while each player's own RD and volatility decide how far they move: a newcomer in a
 * veteran pair moves a lot, the veteran little. For 1v1 this is exactly Glicko-2.
 */
import {
  DEFAULT_GLICKO2_OPTIONS,
  inflateForInactivity,
  MAX_RD,
  MIN_RD,
  rateGlicko2,
  type Glicko2Options,
  type Glicko2Rating,
} from "./glicko2.ts";

/** A participant's stored rating and how many rating periods passed since it last played. */
export type TeamMember = Glicko2Rating & { idlePeriods: number };

/** A rating period lasts a day: a player away for weeks comes back with a wider RD. */
export const RATING_PERIOD_MS = 24 * 60 * 60 * 1000;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rms = (xs: readonly number[]) => Math.sqrt(mean(xs.map((x) => x * x)));

/**
 * New ratings of both teams after one match; `scoreA` is team A's score (1 win, 0.5 draw, 0 loss).
 * Inactivity widens each RD first; RDs end clamped to [MIN_RD, MAX_RD].
 */
export function rateTeams(
  teamA: readonly TeamMember[],
  teamB: readonly TeamMember[],
  scoreA: number,
  options: Glicko2Options = DEFAULT_GLICKO2_OPTIONS,
): { a: Glicko2Rating[]; b: Glicko2Rating[] } {
  const a = teamA.map((m) => inflateForInactivity(m, m.idlePeriods));
  const b = teamB.map((m) => inflateForInactivity(m, m.idlePeriods));
  return {
    a: rateSide(a, b, scoreA, options),
    b: rateSide(b, a, 1 - scoreA, options),
  };
}

function rateSide(
  own: readonly Glicko2Rating[],
  other: readonly Glicko2Rating[],
  score: number,
  options: Glicko2Options,
): Glicko2Rating[] {
  const ownMean = mean(own.map((m) => m.rating));
  const opponent = { rating: mean(other.map((m) => m.rating)), rd: rms(other.map((m) => m.rd)) };
  return own.map((m) => {
    const rated = rateGlicko2({ ...m, rating: ownMean }, [{ opponent, score }], options);
    return {
      rating: m.rating + (rated.rating - ownMean),
      rd: Math.min(MAX_RD, Math.max(MIN_RD, rated.rd)),
      volatility: rated.volatility,
    };
  });
}
