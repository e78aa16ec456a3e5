import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { mobCombatStats } from "../game/combat/combat-stats.ts";
import { MobCombat } from "./mob-combat.ts";
import { parkMob, testRecord } from "./sim-test-helpers.ts";
import { ZoneSimulation } from "./zone-simulation.ts";

describe("MobCombat threat", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function setup() {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 1);
    assert.ok(sim.join(testRecord("a", "field", 800, 1600)).ok);
    assert.ok(sim.join(testRecord("b", "field", 840, 1600)).ok);
    const [a, b] = sim.world.players;
    const slime = sim.world.mobs.find((m) => m.templateId === "slime")!;
    parkMob(sim.world, slime, 820, 1640);
    const mobs = new MobCombat({
      world: sim.world,
      data,
      mobBaseStats: (id) => mobCombatStats(data.content.mobs.get(id)!),
    });
    return { mobs, slime, a: a!, b: b! };
  }

  it("chases the first attacker until another holds clearly more threat", () => {
    const { mobs, slime, a, b } = setup();
    mobs.addThreat(slime, "a", 10);
    assert.equal(slime.target, a.handle);
    mobs.addThreat(slime, "b", 10.5);
    assert.equal(slime.target, a.handle, "within the switch ratio: no ping-pong");
    mobs.addThreat(slime, "b", 5);
    assert.equal(slime.target, b.handle);
  });

  it("turns on a healer who heals the player it fights", () => {
    const { mobs, slime, a, b } = setup();
    mobs.addThreat(slime, "a", 10);
    mobs.addHealThreat("b", "a", 100);
    assert.equal(slime.target, b.handle);
    mobs.forgetPlayer("b");
    mobs.addThreat(slime, "a", 1);
    assert.equal(slime.target, a.handle);
  });
});
