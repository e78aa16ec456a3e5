import assert from "node:assert/strict";
import fieldJson from "../../../content/zones/field.json" with { type: "json" };
import townJson from "../../../content/zones/town.json" with { type: "json" };
import type { ZoneContent } from "./zone-content.ts";
import { stepZone, type PlayerInput, type StepHooks } from "./zone-step.ts";
import { addDrop, addMob, addPlayer, createWorld, entityById } from "./world.ts";
import { fixtureMobTemplate, fixtureMobs, fixturePlayer, seededRng } from "./world-fixtures.ts";
import { MobState, type PlayerEntity, type World } from "./world-types.ts";
import type { WorldEvent } from "./world-events.ts";

const DT = 50;
const field = fieldJson as ZoneContent;
const town = townJson as ZoneContent;

function emptyTown(): World {
  return createWorld(town, fixtureMobTemplate, seededRng(1));
}

function join(world: World, id: string, x: number, y: number): PlayerEntity {
  const res = addPlayer(world, fixturePlayer(id, x, y));
  assert.ok(res.ok);
  return res.player;
}

function steps(world: World, n: number, inputs: PlayerInput[] = [], hooks?: StepHooks) {
  const rng = seededRng(9);
  const events: WorldEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(...stepZone(world, i === 0 ? inputs : [], DT, rng, hooks).events);
  }
  return events;
}

describe("stepZone", () => {
  it("moves a player at moveSpeed and acknowledges the highest seq when move inputs arrive", () => {
    const world = emptyTown();
    const p = join(world, "a", 768, 800);
    const events = steps(world, 4, [
      { type: "move", playerId: "a", seq: 7, dx: 0, dy: 5 },
      { type: "move", playerId: "a", seq: 6, dx: 0, dy: 1 },
    ]);
    assert.deepEqual(events, []);
    assert.equal(p.lastProcessedSeq, 7);
    assert.equal(p.x, 768);
    assert.equal(p.y, 800 + (4 * 160 * DT) / 1000);
    assert.deepEqual([world.grid.xOf(p.handle), world.grid.yOf(p.handle)], [p.x, p.y]);
    assert.deepEqual([world.playerGrid.xOf(p.handle), world.playerGrid.yOf(p.handle)], [p.x, p.y]);
  });

  it("stops the player when a stop input arrives", () => {
    const world = emptyTown();
    const p = join(world, "a", 768, 800);
    steps(world, 2, [{ type: "move", playerId: "a", seq: 1, dx: 1, dy: 0 }]);
    const x = p.x;
    steps(world, 3, [{ type: "stop", playerId: "a", seq: 2 }]);
    assert.equal(p.x, x);
    assert.equal(p.lastProcessedSeq, 2);
  });

  it("refuses a move and keeps the position when the direction is NaN or Infinity", () => {
    const world = emptyTown();
    const p = join(world, "a", 768, 800);
    const events = steps(world, 2, [
      { type: "move", playerId: "a", seq: 1, dx: NaN, dy: 0 },
      { type: "move", playerId: "a", seq: 2, dx: Infinity, dy: 1 },
    ]);
    assert.deepEqual([p.x, p.y, p.lastProcessedSeq], [768, 800, 2]);
    assert.deepEqual(
      events.map((e) => e.type === "refused" && e.reason),
      ["badDirection", "badDirection"],
    );
  });

  it("refuses input when the player is unknown", () => {
    const events = steps(emptyTown(), 1, [{ type: "stop", playerId: "ghost", seq: 1 }]);
    assert.deepEqual(events, [
      { type: "refused", playerId: "ghost", action: "stop", reason: "unknownPlayer" },
    ]);
  });

  it("emits portalEntered with the target when the player stands in the portal", () => {
    const world = emptyTown();
    join(world, "a", 1440, 768);
    join(world, "b", 768, 800);
    const events = steps(world, 1, [
      { type: "portal", playerId: "a", portalId: "town-to-field" },
      { type: "portal", playerId: "b", portalId: "town-to-field" },
      { type: "portal", playerId: "b", portalId: "nope" },
    ]);
    assert.deepEqual(events, [
      {
        type: "portalEntered",
        playerId: "a",
        portalId: "town-to-field",
        targetZone: "field",
        targetX: 224,
        targetY: 2048,
      },
      { type: "refused", playerId: "b", action: "portal", reason: "tooFar" },
      { type: "refused", playerId: "b", action: "portal", reason: "unknownPortal" },
    ]);
  });

  it("kills a mob, reports the template, and respawns it after respawnMs when a player attacks", () => {
    const world = emptyTown();
    const rng = seededRng(3);
    const mob = addMob(
      world,
      { ...fixtureMobs.slime, ai: { ...fixtureMobs.slime.ai, aggroRadius: 0 } },
      "m1",
      "s",
      800,
      800,
      rng,
    );
    join(world, "a", 780, 800);
    const hooks: StepHooks = { resolveAttack: () => ({ hit: true, damage: 12, crit: false }) };
    const events = steps(world, 60, [{ type: "attack", playerId: "a", targetId: "m1" }], hooks);
    const onMob = events.filter(
      (e) => (e.type === "damaged" ? e.targetId : "id" in e ? e.id : null) === "m1",
    );
    // 30 hp at 12 per hit, one hit per 1000 ms: hits at 0, 1000, 2000 ms.
    assert.deepEqual(
      onMob.map((e) => e.type),
      ["damaged", "aggro", "damaged", "damaged", "died"],
    );
    assert.deepEqual(onMob[4], {
      type: "died",
      id: "m1",
      kind: "mob",
      killerId: "a",
      templateId: "slime",
      level: 1,
      x: mob.x,
      y: mob.y,
    });
    assert.equal(mob.state, MobState.Dead);
    assert.equal(world.grid.has(mob.handle), false);
    const later = steps(world, fixtureMobs.slime.ai.respawnMs / DT, [], hooks);
    assert.deepEqual(
      later.filter((e) => e.type === "spawned"),
      [{ type: "spawned", id: "m1", kind: "mob" }],
    );
    assert.equal(world.grid.has(mob.handle), true);
  });

  it("damages and kills a player when a mob attacks, then refuses the dead player's input", () => {
    const world = emptyTown();
    addMob(world, fixtureMobs.wolf, "w1", "s", 800, 800, seededRng(1));
    const p = join(world, "a", 820, 800);
    const hooks: StepHooks = { resolveAttack: () => ({ hit: true, damage: 40, crit: true }) };
    const events = steps(world, 80, [], hooks);
    const damaged = events.filter((e) => e.type === "damaged");
    assert.deepEqual(
      damaged.map((e) => e.type === "damaged" && [e.targetId, e.amount, e.hp, e.crit]),
      [
        ["a", 40, 60, true],
        ["a", 40, 20, true],
        ["a", 20, 0, true],
      ],
    );
    assert.ok(events.some((e) => e.type === "died" && e.id === "a" && e.killerId === "w1"));
    assert.equal(p.dead, true);
    assert.equal(world.playerGrid.has(p.handle), false);
    const after = steps(world, 1, [{ type: "move", playerId: "a", seq: 9, dx: 1, dy: 0 }]);
    assert.ok(after.some((e) => e.type === "refused" && e.reason === "dead"));
  });

  it("reports a miss when the hook says the attack missed", () => {
    const world = emptyTown();
    addMob(world, fixtureMobs.wolf, "w1", "s", 800, 800, seededRng(1));
    join(world, "a", 820, 800);
    const hooks: StepHooks = { resolveAttack: () => ({ hit: false, damage: 0, crit: false }) };
    const events = steps(world, 1, [], hooks);
    assert.deepEqual(events.at(-1), { type: "missed", targetId: "a", sourceId: "w1" });
  });

  it("regenerates hp and mp at the regen rates, in whole points, up to the maxima, never when dead", () => {
    const world = emptyTown();
    const added = addPlayer(world, { ...fixturePlayer("r", 700, 800), hpRegen: 2.5, mpRegen: 1 });
    assert.ok(added.ok);
    const p = added.player;
    p.hp = 40;
    p.mp = 49;
    steps(world, 20); // 1 s: +2.5 hp (2 applied, 0.5 carried), +1 mp
    assert.deepEqual([p.hp, p.mp], [42, 50]);
    steps(world, 20); // the carried half point completes the 5th
    assert.equal(p.hp, 45);
    steps(world, 20 * 30);
    assert.deepEqual([p.hp, p.mp], [100, 50], "capped at hpMax and mpMax");

    const corpse = join(world, "c", 720, 800);
    corpse.hpRegen = 100;
    corpse.hp = 0;
    corpse.dead = true;
    steps(world, 40);
    assert.equal(corpse.hp, 0, "the dead do not regenerate");
  });

  it("expires a drop when its ttl runs out", () => {
    const world = emptyTown();
    const drop = addDrop(world, {
      itemId: "potion",
      name: "Potion",
      quantity: 1,
      ownerId: null,
      x: 700,
      y: 700,
      ttlMs: 120,
    });
    const events = steps(world, 3);
    assert.deepEqual(events, [{ type: "dropExpired", id: drop.id }]);
    assert.equal(entityById(world, drop.id), undefined);
  });

  it("refuses a player when the zone is full", () => {
    const world = createWorld({ ...town, maxPlayers: 1 }, fixtureMobTemplate, seededRng(1));
    join(world, "a", 768, 800);
    assert.deepEqual(addPlayer(world, fixturePlayer("b", 768, 800)), {
      ok: false,
      reason: "zoneFull",
    });
  });

  it("produces identical worlds and events when replayed with the same seed", () => {
    const play = () => {
      const world = createWorld(field, fixtureMobTemplate, seededRng(5));
      for (let i = 0; i < 10; i++) join(world, `p${i}`, 300 + i * 150, 1700 + i * 50);
      const rng = seededRng(11);
      const events: WorldEvent[] = [];
      for (let t = 0; t < 400; t++) {
        const inputs: PlayerInput[] = world.players.map((p, i) => ({
          type: "move",
          playerId: p.id,
          seq: t,
          dx: Math.cos(t / 20 + i),
          dy: Math.sin(t / 20 + i),
        }));
        events.push(...stepZone(world, inputs, DT, rng).events);
      }
      const snapshot = [...world.players, ...world.mobs].map((e) => [e.id, e.x, e.y, e.hp]);
      return { events, snapshot };
    };
    const a = play();
    const b = play();
    assert.ok(a.events.length > 0);
    assert.deepEqual(a, b);
  });
});
