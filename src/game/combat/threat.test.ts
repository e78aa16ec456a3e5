import { strict as assert } from "node:assert";
import {
  addHealThreat,
  addThreat,
  decayThreat,
  removeThreat,
  resetThreat,
  selectTarget,
  topThreat,
} from "./threat.ts";

describe("threat", () => {
  it("accumulates per attacker and picks the highest when damage adds up", () => {
    let t = addThreat([], "a", 100);
    t = addThreat(t, "b", 80);
    t = addThreat(t, "b", 50);
    assert.deepEqual(t, [
      { id: "a", threat: 100 },
      { id: "b", threat: 130 },
    ]);
    assert.equal(topThreat(t), "b");
  });

  it("prefers whoever engaged first when threat ties", () => {
    const t = addThreat(addThreat([], "b", 10), "a", 10);
    assert.equal(topThreat(t), "b");
    assert.equal(topThreat([]), null);
  });

  it("keeps the current target until someone exceeds it by the switch ratio", () => {
    const t = addThreat(addThreat([], "tank", 100), "dps", 109);
    assert.equal(selectTarget(t, "tank"), "tank");
    assert.equal(selectTarget(addThreat(t, "dps", 2), "tank"), "dps");
    assert.equal(selectTarget(t, "gone"), "dps");
    assert.equal(selectTarget(t, null), "dps");
  });

  it("gives the healer threat only when the healed player is on the table", () => {
    const t = addThreat([], "tank", 100);
    assert.deepEqual(addHealThreat(t, "healer", "tank", 60), [
      { id: "tank", threat: 100 },
      { id: "healer", threat: 30 },
    ]);
    assert.equal(addHealThreat(t, "healer", "stranger", 60), t);
  });

  it("halves threat per half-life and forgets faded entries when decayed", () => {
    const t = addThreat(addThreat([], "a", 100), "b", 0.8);
    assert.deepEqual(decayThreat(t, 30_000), [{ id: "a", threat: 50 }]);
    assert.equal(decayThreat(t, 0), t);
  });

  it("empties on reset and drops one entry on remove", () => {
    const t = addThreat(addThreat([], "a", 1), "b", 2);
    assert.deepEqual(removeThreat(t, "b"), [{ id: "a", threat: 1 }]);
    assert.deepEqual(resetThreat(), []);
  });

  it("engages with zero threat when a debuff lands for no damage", () => {
    assert.deepEqual(addThreat([], "a", 0), [{ id: "a", threat: 0 }]);
  });
});
