import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { EntityKind } from "../game/world/world-types.ts";
import { entityById } from "../game/world/world.ts";
import { noticesOf, testRecord } from "./sim-test-helpers.ts";
import { ZoneSimulation, type SimNotice } from "./zone-simulation.ts";

describe("ZoneSimulation hooks for world events", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  it("spawns a mob of a template at a point under a given id, and removes it for good", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 1);
    assert.equal(sim.spawnMob("thunder_ape_king", "event:boss:1", 2048, 2560), true);
    assert.equal(sim.spawnMob("thunder_ape_king", "event:boss:1", 2048, 2560), false, "id taken");
    assert.equal(sim.spawnMob("no_such_mob", "event:x", 2048, 2560), false);
    const boss = entityById(sim.world, "event:boss:1");
    assert.equal(boss?.kind, EntityKind.Mob);
    assert.deepEqual([boss.x, boss.y, boss.hp], [2048, 2560, 40_000]);
    assert.ok(sim.world.grid.has(boss.handle));
    assert.equal(sim.removeMob("event:boss:1"), true);
    assert.equal(entityById(sim.world, "event:boss:1"), undefined);
    assert.ok(!sim.world.mobs.some((m) => m.id === "event:boss:1"));
    assert.equal(sim.removeMob("event:boss:1"), false);
    sim.step(50);
  });

  it("shows observers every step's notices, damage to a spawned mob included", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 2);
    assert.ok(sim.join(testRecord("a", "field", 2000, 2560)).ok);
    sim.spawnMob("thunder_ape_king", "boss", 2040, 2560);
    const seen: SimNotice[] = [];
    const stop = sim.observeSteps((notices) => seen.push(...notices));
    sim.queue({ type: "attack", playerId: "a", targetId: "boss" });
    const returned: SimNotice[] = [];
    for (let t = 0; t < 100; t++) returned.push(...sim.step(50));
    assert.deepEqual(seen, returned);
    const hits = noticesOf(seen, "damaged").filter((n) => n.targetId === "boss");
    assert.ok(hits.length > 0 && hits.every((n) => n.sourceId === "a"));
    stop();
    sim.step(50);
    assert.equal(seen.length, returned.length, "unsubscribed");
  });

  it("grants xp between steps: the next step reports it and levels up", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 3);
    assert.ok(sim.join(testRecord("a", "field", 224, 2048)).ok);
    assert.equal(sim.grantXp("a", 1_000), true);
    assert.equal(sim.grantXp("nobody", 5), false);
    const notices = sim.step(50);
    assert.deepEqual(
      noticesOf(notices, "xpGained").map((n) => [n.characterId, n.amount]),
      [["a", 1_000]],
    );
    assert.ok(sim.recordOf("a")!.character.level > 1);
    assert.deepEqual(sim.dirtyCharacters(), ["a"]);
  });
});
