import { strict as assert } from "node:assert";
import {
  contributionsOf,
  createContributionLog,
  ENGAGED_WINDOW_MS,
  isEngaged,
  recordBossAttacked,
  recordBossDamaged,
  recordHeal,
} from "./contribution.ts";

describe("world boss contribution", () => {
  it("adds up each player's damage to the boss", () => {
    const log = createContributionLog();
    recordBossDamaged(log, "a", 30, 0);
    recordBossDamaged(log, "b", 10, 100);
    recordBossDamaged(log, "a", 12, 200);
    recordBossDamaged(log, "b", 0, 300);
    assert.deepEqual(contributionsOf(log), [
      { characterId: "a", damage: 42, healing: 0, total: 42 },
      { characterId: "b", damage: 10, healing: 0, total: 10 },
    ]);
  });

  it("counts healing on a player fighting the boss, not on one who is not", () => {
    const log = createContributionLog();
    recordBossAttacked(log, "tank", 1_000);
    recordBossDamaged(log, "dps", 50, 1_000);
    assert.equal(recordHeal(log, "healer", "tank", 40, 2_000), true);
    assert.equal(recordHeal(log, "healer", "bystander", 40, 2_000), false);
    // Self-heal while fighting counts too.
    assert.equal(recordHeal(log, "dps", "dps", 5, 2_000), true);
    assert.deepEqual(contributionsOf(log), [
      { characterId: "dps", damage: 50, healing: 5, total: 55 },
      { characterId: "healer", damage: 0, healing: 40, total: 40 },
    ]);
  });

  it("stops counting heals ENGAGED_WINDOW_MS after the target's last exchange with the boss", () => {
    const log = createContributionLog();
    recordBossAttacked(log, "tank", 1_000);
    assert.equal(isEngaged(log, "tank", 1_000 + ENGAGED_WINDOW_MS), true);
    assert.equal(recordHeal(log, "healer", "tank", 10, 1_001 + ENGAGED_WINDOW_MS), false);
    recordBossDamaged(log, "tank", 1, 20_000);
    assert.equal(recordHeal(log, "healer", "tank", 10, 20_000 + ENGAGED_WINDOW_MS), true);
    assert.equal(contributionsOf(log).find((c) => c.characterId === "healer")?.total, 10);
  });

  it("leaves out players with nothing to show and orders ties by character id", () => {
    const log = createContributionLog();
    recordBossAttacked(log, "z", 0);
    recordBossDamaged(log, "c", 5, 0);
    recordBossDamaged(log, "b", 5, 0);
    recordBossDamaged(log, "a", Number.NaN, 0);
    assert.deepEqual(
      contributionsOf(log).map((c) => c.characterId),
      ["b", "c"],
    );
  });
});
