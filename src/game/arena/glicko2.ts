/**
 * Glicko-2 (Mark Glickman, "Example of the Glicko-2 system", 2013), one match per rating period.
 * Ratings are on the familiar scale (1500 default); the maths runs on the Glicko-2 scale
 * (mu = (r - 1500) / 173.7178, phi = RD / 173.7178).
 */

/** A player's rating, deviation (RD, both in rating points) and volatility. */
export type Glicko2Rating = { rating: number; rd: number; volatility: number };

/** One game's opponent and the player's score in it (1 win, 0.5 draw, 0 loss). */
export type Glicko2Game = { opponent: { rating: number; rd: number }; score: number };

export type Glicko2Options = {
  /** System constant tau: how much volatility may change per period (Glickman: 0.3 to 1.2). */
  tau: number;
  /** Convergence tolerance of the volatility iteration. */
  epsilon: number;
};

export const GLICKO2_SCALE = 173.7178;
export const DEFAULT_RATING: Glicko2Rating = { rating: 1500, rd: 350, volatility: 0.06 };
/** RD never grows past a newcomer's: inactivity brings a veteran back to "unknown", no further. */
export const MAX_RD = 350;
/** Veterans' RD bottoms out here so their rating can still move after thousands of games. */
export const MIN_RD = 30;
export const DEFAULT_GLICKO2_OPTIONS: Glicko2Options = { tau: 0.5, epsilon: 0.000001 };

const g = (phi: number) => 1 / Math.sqrt(1 + (3 * phi * phi) / (Math.PI * Math.PI));
const expected = (mu: number, muJ: number, phiJ: number) =>
  1 / (1 + Math.exp(-g(phiJ) * (mu - muJ)));

/**
 * Rates one period: `games` played by `player`, against the opponents' pre-period ratings.
 * With no games the RD grows by the volatility (Glickman step 6 only). Exact Glicko-2, no clamps.
 */
export function rateGlicko2(
  player: Glicko2Rating,
  games: readonly Glicko2Game[],
  options: Glicko2Options = DEFAULT_GLICKO2_OPTIONS,
): Glicko2Rating {
  const mu = (player.rating - 1500) / GLICKO2_SCALE;
  const phi = player.rd / GLICKO2_SCALE;
  const sigma = player.volatility;
  if (games.length === 0) {
    return { ...player, rd: Math.sqrt(phi * phi + sigma * sigma) * GLICKO2_SCALE };
  }
  let vInverse = 0;
  let sum = 0;
  for (const game of games) {
    const muJ = (game.opponent.rating - 1500) / GLICKO2_SCALE;
    const phiJ = game.opponent.rd / GLICKO2_SCALE;
    const gJ = g(phiJ);
    const e = expected(mu, muJ, phiJ);
    vInverse += gJ * gJ * e * (1 - e);
    sum += gJ * (game.score - e);
  }
  const v = 1 / vInverse;
  const delta = v * sum;
  const sigmaPrime = newVolatility(phi, sigma, v, delta, options);
  const phiStar = Math.sqrt(phi * phi + sigmaPrime * sigmaPrime);
  const phiPrime = 1 / Math.sqrt(1 / (phiStar * phiStar) + 1 / v);
  const muPrime = mu + phiPrime * phiPrime * sum;
  return {
    rating: muPrime * GLICKO2_SCALE + 1500,
    rd: phiPrime * GLICKO2_SCALE,
    volatility: sigmaPrime,
  };
}

/** Step 5 of the paper: the Illinois-algorithm root of f(x) for the new volatility. */
function newVolatility(
  phi: number,
  sigma: number,
  v: number,
  delta: number,
  { tau, epsilon }: Glicko2Options,
): number {
  const a = Math.log(sigma * sigma);
  const f = (x: number) => {
    const ex = Math.exp(x);
    const d = phi * phi + v + ex;
    return (ex * (delta * delta - phi * phi - v - ex)) / (2 * d * d) - (x - a) / (tau * tau);
  };
  let A = a;
  let B: number;
  if (delta * delta > phi * phi + v) {
    B = Math.log(delta * delta - phi * phi - v);
  } else {
    let k = 1;
    while (f(a - k * tau) < 0) k += 1;
    B = a - k * tau;
  }
  let fA = f(A);
  let fB = f(B);
  for (let i = 0; i < 100 && Math.abs(B - A) > epsilon; i++) {
    const C = A + ((A - B) * fA) / (fB - fA);
    const fC = f(C);
    if (fC * fB <= 0) {
      A = B;
      fA = fB;
    } else {
      fA /= 2;
    }
    B = C;
    fB = fC;
  }
  return Math.exp(A / 2);
}

/**
 * The RD a rating has after `idlePeriods` rating periods without games (step 6 repeated), capped
 * at MAX_RD: a player back from a break moves fast again until the system knows them anew.
 */
export function inflateForInactivity(player: Glicko2Rating, idlePeriods: number): Glicko2Rating {
  if (idlePeriods <= 0) return player;
  const phi = player.rd / GLICKO2_SCALE;
  const inflated =
    Math.sqrt(phi * phi + idlePeriods * player.volatility * player.volatility) * GLICKO2_SCALE;
  return { ...player, rd: Math.min(MAX_RD, inflated) };
}
