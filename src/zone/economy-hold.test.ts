import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { addItem, countItem } from "../game/items/inventory.ts";
import { noticesOf, testRecord } from "./sim-test-helpers.ts";
import { ZoneSimulation } from "./zone-simulation.ts";

describe("holdings frozen for an economy commit", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function simWithPills() {
    const sim = new ZoneSimulation(data.zones.get("town")!, data, 1);
    const record = testRecord("m", "town", 700, 700, { gold: 10, version: 3 });
    const given = addItem(record.inventory, "minor_healing_pill", 4, data.content.items);
    assert.ok(given.ok);
    record.inventory = given.inventory;
    sim.join(record);
    return sim;
  }

  it("refuses using, equipping and pickup with BUSY while frozen, and again allows them after", () => {
    const sim = simWithPills();
    assert.equal(sim.freezeHoldings("m"), true);
    assert.equal(sim.freezeHoldings("m"), false, "one commit at a time");
    sim.queue({ type: "useItem", playerId: "m", slot: 0 });
    sim.queue({ type: "unequip", playerId: "m", slot: "weapon" });
    const refused = noticesOf(sim.step(50), "refused");
    assert.deepEqual(
      refused.map((r) => [r.action, r.reason]),
      [
        ["useItem", "BUSY"],
        ["unequip", "BUSY"],
      ],
    );
    assert.deepEqual(sim.giveItem("m", "bone_dust", 1), { ok: false, code: "BUSY" });
    assert.equal(countItem(sim.recordOf("m")!.inventory, "minor_healing_pill"), 4);
    sim.thawHoldings("m");
    sim.queue({ type: "useItem", playerId: "m", slot: 0 });
    assert.equal(noticesOf(sim.step(50), "itemUsed").length, 1);
  });

  it("applies a commit: committed bags, gold moved by the delta from now, the new version", () => {
    const sim = simWithPills();
    sim.freezeHoldings("m");
    const snapshot = sim.recordOf("m")!;
    const committed = {
      ...snapshot,
      inventory: { slots: snapshot.inventory.slots.map(() => null) },
    };
    // Kills paid 5 gold while the commit (which took 7) was written.
    sim.recordOf("m")!.character.gold += 5;
    assert.equal(sim.applyCommitted("m", committed, -7, 4), true);
    sim.thawHoldings("m");
    const after = sim.recordOf("m")!;
    assert.equal(after.character.gold, 8);
    assert.equal(after.character.version, 4);
    assert.equal(countItem(after.inventory, "minor_healing_pill"), 0);
    assert.ok(sim.dirtyCharacters().includes("m"));
    assert.equal(sim.applyCommitted("gone", committed, 0, 1), false);
  });
});
