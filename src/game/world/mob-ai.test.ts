import assert from "node:assert/strict";
import { killMob, provokeMob, stepMob, type MobContext, type MobIntent } from "./mob-ai.ts";
import { SpatialGrid } from "./spatial-grid.ts";
import { fixtureMobs, seededRng } from "./world-fixtures.ts";
import { EntityKind, MobState, type MobEntity } from "./world-types.ts";
import { openGeometry } from "./zone-geometry.ts";

const DT = 50;

function makeMob(overrides: Partial<MobEntity> = {}): MobEntity {
  const t = fixtureMobs.wolf;
  return {
    kind: EntityKind.Mob,
    handle: 100,
    id: "wolf:0",
    templateId: t.id,
    spawnId: "den",
    name: t.name,
    level: t.level,
    x: 1000,
    y: 1000,
    dir: 0,
    homeX: 1000,
    homeY: 1000,
    hp: t.hp,
    hpMax: t.hp,
    ai: t.ai,
    state: MobState.Idle,
    target: -1,
    targetGen: 0,
    stateMs: 0,
    cooldownMs: 0,
    wanderX: 1000,
    wanderY: 1000,
    ...overrides,
  };
}

function makeCtx(): MobContext {
  return {
    geometry: openGeometry(4000, 4000),
    playerGrid: new SpatialGrid(4000, 4000, 128),
    scratch: [],
    intents: [],
  };
}

function run(mob: MobEntity, ctx: MobContext, ms: number, seed = 1): MobIntent[] {
  const rng = seededRng(seed);
  const all: MobIntent[] = [];
  for (let t = 0; t < ms; t += DT) {
    ctx.intents.length = 0;
    stepMob(mob, ctx, DT, rng);
    all.push(...ctx.intents);
  }
  return all;
}

describe("mob AI", () => {
  it("wanders but stays within wanderRadius of home when no player is near", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    const rng = seededRng(7);
    const states = new Set<string>();
    for (let t = 0; t < 120_000; t += DT) {
      stepMob(mob, ctx, DT, rng);
      states.add(mob.state);
      const d = Math.hypot(mob.x - mob.homeX, mob.y - mob.homeY);
      assert.ok(d <= mob.ai.wanderRadius + 1e-6, `strayed ${d}`);
    }
    assert.deepEqual([...states].sort(), ["idle", "wander"]);
    assert.equal(ctx.intents.length, 0);
  });

  it("aggroes on the nearest player when players are within aggroRadius", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1150, 1000);
    ctx.playerGrid.insert(2, 1100, 1000);
    stepMob(mob, ctx, DT, seededRng(1));
    assert.equal(mob.state, MobState.Chase);
    assert.equal(mob.target, 2);
    assert.deepEqual(
      ctx.intents.map((i) => [i.type, "target" in i ? i.target : null]),
      [["aggro", 2]],
    );
  });

  it("ignores a player when the player is beyond aggroRadius", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1000 + fixtureMobs.wolf.ai.aggroRadius + 1, 1000);
    run(mob, ctx, 500);
    assert.notEqual(mob.state, MobState.Chase);
    assert.equal(mob.target, -1);
  });

  it("stays passive but fights back when aggroRadius is 0 and it is provoked", () => {
    const mob = makeMob({ ai: { ...fixtureMobs.wolf.ai, aggroRadius: 0 } });
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1000, 1000);
    run(mob, ctx, 500);
    assert.equal(mob.target, -1);
    assert.equal(provokeMob(mob, 1, ctx.playerGrid.generation(1)), true);
    const intents = run(mob, ctx, DT);
    assert.deepEqual(
      intents.map((i) => i.type),
      ["attack"],
    );
  });

  it("chases no faster than moveSpeed when the target is out of range", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1200, 1000);
    let x = mob.x;
    for (let i = 0; i < 5; i++) {
      stepMob(mob, ctx, DT, seededRng(1));
      assert.ok(mob.x - x <= (mob.ai.moveSpeed * DT) / 1000 + 1e-9);
      x = mob.x;
    }
    assert.equal(mob.x, 1000 + (5 * mob.ai.moveSpeed * DT) / 1000);
  });

  it("attacks once per cooldown when the target stays in range", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1030, 1000);
    const intents = run(mob, ctx, 3000);
    const attacks = intents.filter((i) => i.type === "attack");
    // At t = 0, 1500 ms; the next would be at 3000 ms.
    assert.equal(attacks.length, 2);
    assert.equal(mob.state, MobState.Attack);
    assert.ok(attacks.every((a) => a.type === "attack" && a.target === 1));
  });

  it("keeps pace with a target walking away, attacking on cooldown, without stopping", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    const range = mob.ai.attackRange;
    // The target walks east at 100 u/s (slower than the wolf), starting just inside range.
    let tx = 1000 + range * 0.9;
    ctx.playerGrid.insert(1, tx, 1000);
    const rng = seededRng(1);
    const steps: number[] = [];
    let attacks = 0;
    for (let i = 0; i < 60; i++) {
      tx += (100 * DT) / 1000;
      ctx.playerGrid.move(1, tx, 1000);
      const x0 = mob.x;
      ctx.intents.length = 0;
      stepMob(mob, ctx, DT, rng);
      attacks += ctx.intents.filter((it) => it.type === "attack").length;
      steps.push(mob.x - x0);
      assert.ok(tx - mob.x <= range, `in range at step ${i}: ${tx - mob.x}`);
    }
    // Once caught up it moves every step at the target's pace: no stand-and-chase stutter.
    assert.ok(
      steps.slice(5).every((d) => Math.abs(d - 5) < 1e-6),
      `per-step moves ${steps.map((d) => d.toFixed(2)).join(" ")}`,
    );
    assert.equal(mob.state, MobState.Attack);
    assert.equal(attacks, 2, "3 s at a 1.5 s cooldown");
  });

  it("leashes home with full hp and ignores players when dragged beyond leashRadius", () => {
    const mob = makeMob({ hp: 10 });
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1100, 1000);
    const intents: MobIntent[] = [];
    for (let x = 1100; x < 1000 + mob.ai.leashRadius + 200; x += 5) {
      ctx.playerGrid.move(1, x, 1000); // kiting: the player backs off as the mob follows
      ctx.intents.length = 0;
      stepMob(mob, ctx, DT, seededRng(1));
      intents.push(...ctx.intents);
      if (mob.state === MobState.Leash) break;
    }
    assert.equal(mob.state, MobState.Leash);
    assert.equal(mob.hp, mob.hpMax);
    assert.ok(intents.some((i) => i.type === "leashed"));
    ctx.playerGrid.move(1, mob.x + 10, mob.y); // right next to it: still evading
    run(mob, ctx, 200);
    assert.equal(mob.state, MobState.Leash);
    ctx.playerGrid.remove(1);
    const rng = seededRng(2);
    let steps = 0;
    while (mob.state === MobState.Leash && steps++ < 1000) stepMob(mob, ctx, DT, rng);
    assert.equal(mob.state, MobState.Idle);
    assert.deepEqual([mob.x, mob.y], [1000, 1000]);
  });

  it("leashes when its target disappears", () => {
    const mob = makeMob();
    const ctx = makeCtx();
    ctx.playerGrid.insert(1, 1100, 1000);
    run(mob, ctx, 200);
    ctx.playerGrid.remove(1);
    const intents = run(mob, ctx, DT);
    assert.equal(mob.state, MobState.Leash);
    assert.deepEqual(
      intents.map((i) => i.type),
      ["leashed"],
    );
  });

  it("respawns at home with full hp when respawnMs has elapsed after death", () => {
    const mob = makeMob({ x: 1200, y: 900 });
    const ctx = makeCtx();
    killMob(mob);
    const before = run(mob, ctx, mob.ai.respawnMs - DT);
    assert.equal(mob.state, MobState.Dead);
    assert.equal(before.length, 0);
    const after = run(mob, ctx, DT);
    assert.deepEqual(
      after.map((i) => i.type),
      ["respawned"],
    );
    assert.deepEqual([mob.x, mob.y, mob.hp, mob.state], [1000, 1000, mob.hpMax, MobState.Idle]);
  });

  it("replays the same path when the seed is the same", () => {
    const trace = (seed: number) => {
      const mob = makeMob();
      const ctx = makeCtx();
      const rng = seededRng(seed);
      const xs: number[] = [];
      for (let t = 0; t < 30_000; t += DT) {
        stepMob(mob, ctx, DT, rng);
        xs.push(mob.x, mob.y);
      }
      return xs;
    };
    assert.deepEqual(trace(42), trace(42));
    assert.notDeepEqual(trace(42), trace(43));
  });
});
