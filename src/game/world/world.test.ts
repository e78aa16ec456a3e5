import assert from "node:assert/strict";
import mobs from "../../../content/mobs.json" with { type: "json" };
import crypt from "../../../content/zones/crypt.json" with { type: "json" };
import field from "../../../content/zones/field.json" with { type: "json" };
import forest from "../../../content/zones/forest.json" with { type: "json" };
import town from "../../../content/zones/town.json" with { type: "json" };
import type { ZoneContent } from "./zone-content.ts";
import { isBlocked } from "./zone-geometry.ts";
import {
  addPlayer,
  createWorld,
  entityById,
  removePlayer,
  revivePlayer,
  teleportPlayer,
} from "./world.ts";
import { fixtureMobTemplate, fixturePlayer, seededRng } from "./world-fixtures.ts";
import type { MobTemplateLike } from "./world-types.ts";

const contentMob = (id: string): MobTemplateLike | undefined => mobs.mobs.find((m) => m.id === id);

describe("world", () => {
  it("spawns every mob of every shipped zone off blocked tiles when built from content/mobs.json", () => {
    for (const zone of [town, field, forest, crypt] as ZoneContent[]) {
      const world = createWorld(zone, contentMob, seededRng(1));
      const expected = zone.mobSpawns.reduce((n, s) => n + s.count, 0);
      assert.equal(world.mobs.length, expected, zone.id);
      assert.equal(world.npcs.length, zone.npcs.length, zone.id);
      for (const mob of world.mobs) {
        assert.equal(isBlocked(world.geometry, mob.x, mob.y), false, `${zone.id} ${mob.id}`);
        assert.equal(world.grid.has(mob.handle), true);
      }
    }
  });

  it("throws when a spawn names a mob the templates do not have", () => {
    assert.throws(
      () => createWorld(field as ZoneContent, () => undefined, seededRng(1)),
      /zone "field": unknown mob "slime"/,
    );
  });

  it("places a player at the zone spawn point when the saved spot is blocked", () => {
    const world = createWorld(town as ZoneContent, fixtureMobTemplate, seededRng(1));
    const res = addPlayer(world, fixturePlayer("a", 5, 5));
    assert.ok(res.ok);
    assert.deepEqual([res.player.x, res.player.y], [town.spawn.x, town.spawn.y]);
  });

  it("teleports a player to a free spot and refuses a blocked or outside one", () => {
    const world = createWorld(town as ZoneContent, fixtureMobTemplate, seededRng(1));
    const res = addPlayer(world, fixturePlayer("a", town.spawn.x, town.spawn.y));
    assert.ok(res.ok);
    const p = res.player;
    p.moveX = 1;
    assert.equal(teleportPlayer(world, p, 5, 5), false, "blocked tile");
    assert.equal(teleportPlayer(world, p, -1, 100), false, "outside");
    assert.deepEqual([p.x, p.y], [town.spawn.x, town.spawn.y]);
    const to = { x: town.spawn.x + 64, y: town.spawn.y };
    assert.equal(isBlocked(world.geometry, to.x, to.y), false);
    assert.equal(teleportPlayer(world, p, to.x, to.y), true);
    assert.deepEqual([p.x, p.y, p.moveX], [to.x, to.y, 0]);
    const near: number[] = [];
    world.playerGrid.queryRadius(to.x, to.y, 1, near);
    assert.ok(near.includes(p.handle), "the player grid follows");
  });

  it("refuses a second player when the id is already present", () => {
    const world = createWorld(town as ZoneContent, fixtureMobTemplate, seededRng(1));
    addPlayer(world, fixturePlayer("a", 700, 800));
    assert.deepEqual(addPlayer(world, fixturePlayer("a", 700, 800)), {
      ok: false,
      reason: "duplicateId",
    });
  });

  it("frees the handle and bumps its grid generation when a player leaves and another joins", () => {
    const world = createWorld(town as ZoneContent, fixtureMobTemplate, seededRng(1));
    const a = addPlayer(world, fixturePlayer("a", 700, 800));
    assert.ok(a.ok);
    const gen = world.grid.generation(a.player.handle);
    assert.equal(removePlayer(world, "a"), a.player);
    assert.equal(entityById(world, "a"), undefined);
    assert.equal(world.playerGrid.has(a.player.handle), false);
    const b = addPlayer(world, fixturePlayer("b", 700, 800));
    assert.ok(b.ok);
    assert.equal(b.player.handle, a.player.handle);
    assert.equal(world.grid.generation(b.player.handle), gen + 1);
  });

  it("restores hp and mob targeting when a dead player is revived", () => {
    const world = createWorld(town as ZoneContent, fixtureMobTemplate, seededRng(1));
    const a = addPlayer(world, { ...fixturePlayer("a", 700, 800), hp: 0 });
    assert.ok(a.ok);
    assert.equal(a.player.dead, true);
    assert.equal(world.playerGrid.has(a.player.handle), false);
    revivePlayer(world, a.player, 768, 800);
    assert.deepEqual([a.player.dead, a.player.hp, a.player.x], [false, 100, 768]);
    assert.equal(world.playerGrid.has(a.player.handle), true);
  });
});
