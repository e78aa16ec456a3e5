import { strict as assert } from "node:assert";
import { canAid, canHarm } from "./hostility.ts";
import { EntityKind, type Entity, type World } from "./world-types.ts";

const player = (id: string) => ({ kind: EntityKind.Player, id }) as Entity;
const mob = { kind: EntityKind.Mob, id: "m1" } as Entity;
const npc = { kind: EntityKind.Npc, id: "n1" } as Entity;

describe("hostility", () => {
  it("lets players hurt mobs everywhere and other players nowhere outside PvP worlds", () => {
    const world = {} as World;
    assert.equal(canHarm(world, "a", mob), true);
    assert.equal(canHarm(world, "a", player("b")), false);
    assert.equal(canHarm(world, "a", npc), false);
    assert.equal(canAid(world, "a", "b"), true);
  });

  it("in a PvP world, pits teams against each other and keeps aid within a team", () => {
    const world = {
      pvpTeams: new Map([
        ["a", 0],
        ["b", 1],
        ["c", 0],
      ]),
    } as World;
    assert.equal(canHarm(world, "a", player("b")), true);
    assert.equal(canHarm(world, "a", player("c")), false);
    assert.equal(canHarm(world, "a", player("a")), false);
    assert.equal(canHarm(world, "a", player("stranger")), false);
    assert.equal(canAid(world, "a", "c"), true);
    assert.equal(canAid(world, "a", "b"), false);
    assert.equal(canAid(world, "a", "a"), true);
  });
});
