import { strict as assert } from "node:assert";
import {
  countdownSeconds,
  decideOutcome,
  DEFAULT_ARENA_TIMING,
  scoreOfTeamA,
  type FightObservation,
} from "./match-rules.ts";

const fight = (o: Partial<FightObservation>): FightObservation => ({
  forfeited: [false, false],
  alive: [1, 1],
  damage: [0, 0],
  elapsedMs: 1_000,
  ...o,
});

describe("arena match rules", () => {
  it("goes on while both teams stand and time remains", () => {
    assert.equal(decideOutcome(fight({ damage: [500, 10] })), null);
  });

  it("ends by death: the team with nobody alive loses", () => {
    assert.deepEqual(decideOutcome(fight({ alive: [0, 1] })), { winner: 1, reason: "death" });
    assert.deepEqual(decideOutcome(fight({ alive: [2, 0] })), { winner: 0, reason: "death" });
    assert.deepEqual(decideOutcome(fight({ alive: [0, 0] })), { winner: null, reason: "death" });
  });

  it("ends at the time-out by damage dealt", () => {
    const at = DEFAULT_ARENA_TIMING.fightMs;
    assert.deepEqual(decideOutcome(fight({ elapsedMs: at, damage: [90, 120] })), {
      winner: 1,
      reason: "timeout",
    });
    assert.deepEqual(decideOutcome(fight({ elapsedMs: at, damage: [5, 5] })), {
      winner: null,
      reason: "timeout",
    });
    assert.equal(decideOutcome(fight({ elapsedMs: at - 1, damage: [90, 120] })), null);
  });

  it("makes a leaver's team lose, before death and time-out", () => {
    assert.deepEqual(decideOutcome(fight({ forfeited: [true, false], alive: [1, 0] })), {
      winner: 1,
      reason: "leaver",
    });
    assert.deepEqual(decideOutcome(fight({ forfeited: [true, true] })), {
      winner: null,
      reason: "leaver",
    });
  });

  it("scores team A and counts down in whole seconds", () => {
    assert.deepEqual([scoreOfTeamA(0), scoreOfTeamA(1), scoreOfTeamA(null)], [1, 0, 0.5]);
    assert.deepEqual([5000, 4001, 4000, 1, 0].map(countdownSeconds), [5, 5, 4, 1, 0]);
  });
});

describe("arena start points", () => {
  it("puts the teams TEAM_GAP apart, facing each other, mates side by side", async () => {
    const { startPointOf, TEAM_GAP } = await import("./arena-layout.ts");
    const arena = { spawn: { x: 500, y: 300 } };
    assert.deepEqual(startPointOf(arena, 0, 0, 1), { x: 500 - TEAM_GAP / 2, y: 300 });
    assert.deepEqual(startPointOf(arena, 1, 0, 1), { x: 500 + TEAM_GAP / 2, y: 300 });
    assert.deepEqual(startPointOf(arena, 1, 0, 2), { x: 500 + TEAM_GAP / 2, y: 260 });
    assert.deepEqual(startPointOf(arena, 1, 1, 2), { x: 500 + TEAM_GAP / 2, y: 340 });
  });
});
