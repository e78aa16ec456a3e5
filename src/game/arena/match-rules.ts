/** Arena match rules: modes, timings and how a match ends. */

export const ArenaMode = { Solo: "1v1", Duo: "2v2" } as const;
export type ArenaMode = (typeof ArenaMode)[keyof typeof ArenaMode];
export const ARENA_MODES = [ArenaMode.Solo, ArenaMode.Duo] as const;

/** Players per team in each mode. */
export const TEAM_SIZE: Readonly<Record<ArenaMode, number>> = { "1v1": 1, "2v2": 2 };

export const ArenaEndReason = { Death: "death", Timeout: "timeout", Leaver: "leaver" } as const;
export type ArenaEndReason = (typeof ArenaEndReason)[keyof typeof ArenaEndReason];

export type ArenaTiming = {
  /** Everyone has this long to arrive; a no-show counts as a leaver. */
  joinTimeoutMs: number;
  /** No actions are applied during the countdown. */
  countdownMs: number;
  /** The fight ends by damage dealt when it lasts this long. */
  fightMs: number;
  /** A dropped player who is not back within this time has left. */
  leaverGraceMs: number;
};

export const DEFAULT_ARENA_TIMING: ArenaTiming = {
  joinTimeoutMs: 30_000,
  countdownMs: 5_000,
  fightMs: 90_000,
  leaverGraceMs: 10_000,
};

/** Team index: 0 or 1. `null` as a winner is a draw. */
export type Team = 0 | 1;

export type MatchOutcome = { winner: Team | null; reason: ArenaEndReason };

/** What the room observed at one moment of a fight. */
export type FightObservation = {
  /** Per team: has any member left (or failed to show up)? */
  forfeited: readonly [boolean, boolean];
  /** Per team: living members. */
  alive: readonly [number, number];
  /** Per team: damage dealt to the other team so far (hp points). */
  damage: readonly [number, number];
  /** Time fought so far. */
  elapsedMs: number;
};

/**
 * The outcome if the fight is over, else null. A leaver's team loses first of all (both teams
 * at once: a draw); then a team with nobody alive loses (both: a draw); at the time-out the team
 * that dealt more damage wins (equal damage: a draw).
 */
export function decideOutcome(
  o: FightObservation,
  timing: ArenaTiming = DEFAULT_ARENA_TIMING,
): MatchOutcome | null {
  if (o.forfeited[0] || o.forfeited[1]) {
    return {
      winner: o.forfeited[0] && o.forfeited[1] ? null : o.forfeited[0] ? 1 : 0,
      reason: "leaver",
    };
  }
  if (o.alive[0] === 0 || o.alive[1] === 0) {
    return { winner: o.alive[0] === o.alive[1] ? null : o.alive[0] === 0 ? 1 : 0, reason: "death" };
  }
  if (o.elapsedMs >= timing.fightMs) {
    const [a, b] = o.damage;
    return { winner: a === b ? null : a > b ? 0 : 1, reason: "timeout" };
  }
  return null;
}

/** Team A's Glicko score for an outcome: 1 win, 0.5 draw, 0 loss. */
export function scoreOfTeamA(winner: Team | null): number {
  return winner === null ? 0.5 : winner === 0 ? 1 : 0;
}

/** Whole seconds left in a countdown, as players see them (5, 4, ... 1). */
export function countdownSeconds(msLeft: number): number {
  return Math.max(0, Math.ceil(msLeft / 1000));
}
