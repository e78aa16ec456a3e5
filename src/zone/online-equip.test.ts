import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { addItem, countItem } from "../game/items/inventory.ts";
import { noticesOf, testRecord } from "./sim-test-helpers.ts";
import { ZoneSimulation } from "./zone-simulation.ts";

describe("equipping inside a zone", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function simWithSword() {
    const sim = new ZoneSimulation(data.zones.get("town")!, data, 1);
    const record = testRecord("w", "town", 700, 700);
    const given = addItem(record.inventory, "rusty_sword", 1, data.content.items);
    assert.ok(given.ok);
    record.inventory = given.inventory;
    sim.join(record);
    return sim;
  }

  it("raises attack power and keeps the item count when a warrior equips a sword", () => {
    const sim = simWithSword();
    const before = sim.combatStatsOf("w")!.attack_power;
    sim.queue({ type: "equip", playerId: "w", fromSlot: 0 });
    const notices = sim.step(50);
    assert.equal(noticesOf(notices, "equipmentChanged").length, 1);
    assert.ok(sim.combatStatsOf("w")!.attack_power > before, "attack power rises");
    const rec = sim.recordOf("w")!;
    assert.equal(rec.equipment.weapon, "rusty_sword");
    assert.equal(countItem(rec.inventory, "rusty_sword"), 0, "moved out of the bag, not copied");
    assert.ok(sim.dirtyCharacters().includes("w"));

    sim.queue({ type: "unequip", playerId: "w", slot: "weapon" });
    sim.step(50);
    assert.equal(sim.recordOf("w")!.equipment.weapon, null);
    assert.equal(countItem(sim.recordOf("w")!.inventory, "rusty_sword"), 1);
    assert.equal(sim.combatStatsOf("w")!.attack_power, before);
  });

  it("refuses an empty slot and a slot the item does not fit", () => {
    const sim = simWithSword();
    sim.queue({ type: "equip", playerId: "w", fromSlot: 5 });
    sim.queue({ type: "equip", playerId: "w", fromSlot: 0, toSlot: "head" });
    const refusals = noticesOf(sim.step(50), "refused").map((n) => n.reason);
    assert.deepEqual(refusals, ["NOT_FOUND", "WRONG_SLOT"]);
    assert.equal(sim.recordOf("w")!.equipment.weapon, null);
  });
});
