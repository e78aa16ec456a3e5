import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { noticesOf, testRecord } from "../../src/zone/sim-test-helpers.ts";
import type { SimNotice } from "../../src/zone/sim-types.ts";

/** The zone simulation with PvP teams, as an arena room runs it (content/zones/arena.json). */
describe("PvP in the zone simulation (arena zone)", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function arena(teams?: [string, number][]) {
    const zone = data.zones.get("arena")!;
    const sim = new ZoneSimulation(zone, data, 7, () => 0);
    if (teams) sim.world.pvpTeams = new Map(teams);
    return sim;
  }

  function run(sim: ZoneSimulation, ms: number): SimNotice[] {
    const out: SimNotice[] = [];
    for (let t = 0; t < ms; t += 50) out.push(...sim.step(50));
    return out;
  }

  it("lets players of different teams fight to the death, without respawn", () => {
    const sim = arena([
      ["a", 0],
      ["b", 1],
    ]);
    assert.ok(sim.join(testRecord("a", "arena", 500, 256, { level: 30 })).ok);
    assert.ok(sim.join(testRecord("b", "arena", 540, 256)).ok);
    sim.queue({ type: "attack", playerId: "a", targetId: "b" });
    const notices = run(sim, 20_000);
    const hits = noticesOf(notices, "damaged").filter((d) => d.sourceId === "a");
    assert.ok(hits.length > 0, "a hit b");
    assert.deepEqual(
      noticesOf(notices, "died").map((d) => [d.id, d.killerId]),
      [["b", "a"]],
    );
    const b = sim.world.players.find((p) => p.id === "b")!;
    assert.equal(b.dead, true, "no respawn in an arena");
    assert.equal(sim.recordOf("a")?.character.xp, 0, "no xp for a player kill");
  });

  it("refuses attacks on team mates and on anyone where there are no teams", () => {
    const sim = arena([
      ["a", 0],
      ["c", 0],
    ]);
    sim.join(testRecord("a", "arena", 500, 256));
    sim.join(testRecord("c", "arena", 520, 256));
    sim.queue({ type: "attack", playerId: "a", targetId: "c" });
    const refused = noticesOf(run(sim, 100), "refused");
    assert.deepEqual(
      refused.map((r) => [r.characterId, r.reason]),
      [["a", "notAttackable"]],
    );
    const field = new ZoneSimulation(data.zones.get("field")!, data, 7, () => 0);
    field.join(testRecord("a", "field", 800, 1600));
    field.join(testRecord("b", "field", 820, 1600));
    field.queue({ type: "attack", playerId: "a", targetId: "b" });
    const open = noticesOf(run(field, 100), "refused").filter((r) => r.characterId === "a");
    assert.deepEqual(
      open.map((r) => r.reason),
      ["notAttackable"],
    );
  });

  it("aims hostile skills at the other team only and heals at one's own team only", () => {
    const sim = arena([
      ["a", 0],
      ["mate", 0],
      ["b", 1],
      ["healer", 1],
    ]);
    sim.join(testRecord("a", "arena", 500, 256));
    sim.join(testRecord("mate", "arena", 480, 256));
    sim.join(testRecord("b", "arena", 540, 256));
    sim.join(testRecord("healer", "arena", 560, 256, { job: "taoist" }));
    sim.queue({ type: "cast", playerId: "a", skillId: "whirlwind" });
    const hit = noticesOf(run(sim, 100), "damaged").filter((d) => d.sourceId === "a");
    assert.deepEqual(hit.map((d) => d.targetId).sort(), ["b", "healer"], "an area spares the mate");
    sim.queue({ type: "cast", playerId: "a", skillId: "heavy_slash", targetId: "mate" });
    const refused = noticesOf(run(sim, 100), "refused").filter((r) => r.characterId === "a");
    assert.deepEqual(
      refused.map((r) => r.reason),
      ["NO_TARGET"],
    );
    sim.queue({ type: "cast", playerId: "healer", skillId: "healing_talisman", targetId: "a" });
    const noHeal = noticesOf(run(sim, 100), "refused").filter((r) => r.characterId === "healer");
    assert.deepEqual(
      noHeal.map((r) => r.reason),
      ["NO_TARGET"],
    );
  });

  it("sends a player out as a portal would and places players with given vitals", () => {
    const sim = arena([["a", 0]]);
    sim.join(testRecord("a", "arena", 500, 256));
    sim.placePlayer("a", 300, 200, 5, 0);
    const a = sim.world.players.find((p) => p.id === "a")!;
    assert.deepEqual([a.x, a.y, a.hp, a.mp], [300, 200, 5, 0]);
    sim.sendOut("a", "town", 100, 120);
    const out = noticesOf(sim.step(50), "portalEntered");
    assert.deepEqual(out, [
      { type: "portalEntered", characterId: "a", targetZone: "town", x: 100, y: 120 },
    ]);
  });
});
