import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { PARTY_XP_RANGE } from "../game/social/party-xp.ts";
import type { MobEntity, PlayerEntity } from "../game/world/world-types.ts";
import { noticesOf, parkMob, placeAt, testRecord } from "./sim-test-helpers.ts";
import { ZoneSimulation, type SimNotice } from "./zone-simulation.ts";

describe("ZoneSimulation party XP (setPartyOf)", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function kill(sim: ZoneSimulation, killerId: string, slime: MobEntity): SimNotice[] {
    const notices: SimNotice[] = [];
    sim.queue({ type: "attack", playerId: killerId, targetId: slime.id });
    for (let t = 0; t < 600 && slime.state !== "dead"; t++) notices.push(...sim.step(50));
    assert.equal(slime.state, "dead");
    return notices;
  }

  const xpOf = (notices: SimNotice[], id: string) =>
    noticesOf(notices, "xpGained")
      .filter((n) => n.characterId === id)
      .reduce((sum, n) => sum + n.amount, 0);

  it("shares a kill with party members near it, not with far members or strangers", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 3);
    const slime = sim.world.mobs.find((m) => m.templateId === "slime")!;
    // Where it spawned: moved away, it would leash home.
    const [sx, sy] = [slime.x, slime.y];
    parkMob(sim.world, slime, sx, sy);
    const at = (id: string, dx: number, dy: number) => {
      const [x, y] = [sx + dx, sy + dy];
      assert.ok(sim.join(testRecord(id, "field", x, y)).ok);
      const e = sim.world.players.find((p) => p.id === id) as PlayerEntity;
      placeAt(sim.world, e, x, y);
    };
    at("a", 20, 0);
    at("b", -(PARTY_XP_RANGE - 50), 0);
    at("far", 0, PARTY_XP_RANGE + 400);
    at("stranger", 0, -30);
    for (const id of ["a", "b", "far"]) sim.setPartyOf(id, "p1");
    const slimeXp = data.content.mobs.get("slime")!.xp;

    const notices = kill(sim, "a", slime);
    assert.ok(xpOf(notices, "b") > 0, "the near member who dealt no damage gets a share");
    assert.equal(xpOf(notices, "a") + xpOf(notices, "b"), slimeXp, "the split adds up");
    assert.ok(Math.abs(xpOf(notices, "a") - xpOf(notices, "b")) <= 1, "equal levels: even");
    assert.equal(xpOf(notices, "far"), 0);
    assert.equal(xpOf(notices, "stranger"), 0);

    sim.setPartyOf("b", undefined);
    sim.setPartyOf("far", undefined);
    const again = sim.world.mobs.find((m) => m.templateId === "slime" && m.state !== "dead")!;
    parkMob(sim.world, again, again.x, again.y);
    const me = sim.world.players.find((p) => p.id === "a")!;
    placeAt(sim.world, me, again.x + 20, again.y);
    const solo = kill(sim, "a", again);
    assert.equal(xpOf(solo, "a"), slimeXp, "out of the party: no share for b");
    assert.equal(xpOf(solo, "b"), 0);
  });
});
