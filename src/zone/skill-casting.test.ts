import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import type { ActiveEffect } from "../game/combat/effects.ts";
import { mobCombatStats, type CombatStats } from "../game/combat/combat-stats.ts";
import type { PlayerEntity } from "../game/world/world-types.ts";
import { noticesOf, parkMob, placeAt, testRecord } from "./sim-test-helpers.ts";
import type { SimNotice } from "./sim-types.ts";
import { withEffects } from "./mob-combat.ts";
import { ZoneSimulation } from "./zone-simulation.ts";

const TICK_MS = 50;

describe("ZoneSimulation skills", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  /** A field simulation with one character `a` at (800, 1600) and `n` slimes parked around it. */
  function setup(job: string, seed = 1, over: Parameters<typeof testRecord>[4] = {}) {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, seed);
    const joined = sim.join(testRecord("a", "field", 800, 1600, { job, ...over }));
    assert.ok(joined.ok);
    const me = joined.entity;
    // Regeneration off: the tests assert exact hp and mp.
    me.hpRegen = 0;
    me.mpRegen = 0;
    const slimes = sim.world.mobs.filter((m) => m.templateId === "slime");
    // Everyone else far away, so only the mobs a test parks are near.
    for (const [i, m] of sim.world.mobs.entries()) parkMob(sim.world, m, 2000 + i * 5, 3600);
    return { sim, me, slimes };
  }

  function run(sim: ZoneSimulation, ms: number): SimNotice[] {
    const out: SimNotice[] = [];
    for (let t = 0; t < ms; t += TICK_MS) out.push(...sim.step(TICK_MS));
    return out;
  }

  it("kills a slime with an instant heavy_slash, spends mp and grants the slime's xp", () => {
    const { sim, me, slimes } = setup("warrior", 1, { level: 5 });
    const slime = slimes[0]!;
    parkMob(sim.world, slime, me.x + 30, me.y);
    const mp0 = me.mp;
    sim.queue({ type: "cast", playerId: "a", skillId: "heavy_slash", targetId: slime.id });
    const notices = sim.step(TICK_MS);
    assert.deepEqual(noticesOf(notices, "casted")[0], {
      type: "casted",
      casterId: "a",
      skillId: "heavy_slash",
      targetId: slime.id,
      x: slime.x,
      y: slime.y,
    });
    assert.equal(me.mp, mp0 - data.content.skills.get("heavy_slash")!.mpCost);
    const hit = noticesOf(notices, "damaged").find((n) => n.targetId === slime.id);
    assert.ok(hit, "the slash lands (seeded)");
    assert.equal(hit.sourceId, "a");
    assert.ok(noticesOf(notices, "died").some((n) => n.id === slime.id && n.killerId === "a"));
    const xp = noticesOf(notices, "xpGained").find((n) => n.characterId === "a");
    assert.ok(xp && xp.amount > 0, "the kill pays xp through the usual died path");
    assert.equal(sim.recordOf("a")!.character.xp, xp.amount);
  });

  it("refuses a skill on cooldown and shows the remaining cooldown on the caster", () => {
    const { sim, me, slimes } = setup("warrior");
    const slime = slimes[0]!;
    parkMob(sim.world, slime, me.x + 30, me.y);
    sim.queue({ type: "cast", playerId: "a", skillId: "heavy_slash", targetId: slime.id });
    sim.step(TICK_MS);
    const shown = me.cooldowns.get("heavy_slash");
    const cdr = sim.combatStatsOf("a")!.cooldown_reduction;
    const full = Math.round(6000 * (1 - cdr));
    assert.equal(shown, full - TICK_MS, "ms remaining after one step");
    const mp = me.mp;
    sim.queue({ type: "cast", playerId: "a", skillId: "heavy_slash", targetId: slime.id });
    const refused = noticesOf(sim.step(TICK_MS), "refused");
    assert.deepEqual(refused, [
      {
        type: "refused",
        characterId: "a",
        action: "cast",
        reason: "ON_COOLDOWN",
        remainingMs: full - TICK_MS,
      },
    ]);
    assert.equal(me.mp, mp, "a refused cast costs nothing");
    run(sim, full);
    assert.equal(me.cooldowns.has("heavy_slash"), false, "gone from the map once ready");
  });

  it("refuses wrong job, missing target, out of range and too little mp", () => {
    const { sim, me, slimes } = setup("warrior");
    const slime = slimes[0]!;
    parkMob(sim.world, slime, me.x + 300, me.y);
    const reasons = (skillId: string, targetId?: string) => {
      sim.queue({ type: "cast", playerId: "a", skillId, ...(targetId ? { targetId } : {}) });
      return noticesOf(sim.step(TICK_MS), "refused").map((n) => n.reason);
    };
    assert.deepEqual(reasons("fireball", slime.id), ["WRONG_JOB"]);
    assert.deepEqual(reasons("heavy_slash"), ["NO_TARGET"]);
    assert.deepEqual(reasons("heavy_slash", "a"), ["NO_TARGET"], "players are not enemies");
    assert.deepEqual(reasons("heavy_slash", slime.id), ["OUT_OF_RANGE"]);
    me.mp = 5;
    parkMob(sim.world, slime, me.x + 30, me.y);
    assert.deepEqual(reasons("heavy_slash", slime.id), ["NOT_ENOUGH_MP"]);
    assert.deepEqual(reasons("no_such_skill", slime.id), ["UNKNOWN_SKILL"]);
  });

  it("resolves a cast-time fireball only after its cast time", () => {
    const { sim, me, slimes } = setup("mage", 3);
    const slime = slimes[0]!;
    parkMob(sim.world, slime, me.x + 200, me.y);
    sim.queue({ type: "cast", playerId: "a", skillId: "fireball", targetId: slime.id });
    const first = sim.step(TICK_MS);
    assert.equal(noticesOf(first, "castStarted")[0]?.castTimeMs, 1500);
    assert.equal(noticesOf(first, "casted").length, 0);
    const during = run(sim, 1400);
    assert.equal(noticesOf(during, "casted").length, 0, "nothing before 1.5 s");
    assert.equal(noticesOf(during, "damaged").length + noticesOf(during, "missed").length, 0);
    const after = run(sim, 150);
    assert.equal(noticesOf(after, "casted").length, 1);
    const landed = [...noticesOf(after, "damaged"), ...noticesOf(after, "missed")];
    assert.deepEqual(
      landed.map((n) => [n.targetId, n.sourceId]),
      [[slime.id, "a"]],
    );
  });

  it("cancels a cast-time skill when the caster moves, keeping mp and cooldown spent", () => {
    const { sim, me, slimes } = setup("mage");
    const slime = slimes[0]!;
    parkMob(sim.world, slime, me.x + 200, me.y);
    const mp0 = me.mp;
    sim.queue({ type: "cast", playerId: "a", skillId: "fireball", targetId: slime.id });
    sim.step(TICK_MS);
    assert.equal(me.moveX, 0, "casting stops the caster");
    sim.queue({ type: "move", playerId: "a", dx: 0, dy: 1, seq: 1 });
    const notices = run(sim, 2000);
    assert.deepEqual(
      noticesOf(notices, "castCancelled").map((n) => n.reason),
      ["MOVED"],
    );
    assert.equal(noticesOf(notices, "casted").length, 0);
    assert.equal(me.mp, mp0 - 20);
    assert.ok((me.cooldowns.get("fireball") ?? 0) > 0, "the cooldown still runs");
    assert.ok(me.y > 1600, "and it walks");
  });

  it("hits every mob inside a whirlwind and none outside it", () => {
    const { sim, me, slimes } = setup("warrior", 5, { level: 3 });
    const inside = slimes.slice(0, 3);
    inside.forEach((m, i) => parkMob(sim.world, m, me.x + 40 * (i - 1), me.y + 60));
    const outside = slimes[3]!;
    parkMob(sim.world, outside, me.x + 200, me.y);
    sim.queue({ type: "cast", playerId: "a", skillId: "whirlwind" });
    const notices = sim.step(TICK_MS);
    const touched = new Set(
      [...noticesOf(notices, "damaged"), ...noticesOf(notices, "missed")]
        .filter((n) => n.sourceId === "a")
        .map((n) => n.targetId),
    );
    assert.deepEqual([...touched].sort(), inside.map((m) => m.id).sort());
    assert.equal(outside.hp, outside.hpMax);
  });

  it("raises defense with iron_body for its duration, then restores it", () => {
    const { sim } = setup("warrior");
    const base = sim.combatStatsOf("a")!.defense;
    sim.queue({ type: "cast", playerId: "a", skillId: "iron_body" });
    const applied = sim.step(TICK_MS);
    assert.equal(noticesOf(applied, "effectApplied")[0]?.effectId, "iron_body");
    assert.ok(Math.abs(sim.combatStatsOf("a")!.defense - base * 1.3) < 1e-9);
    const during = run(sim, 9_900);
    assert.equal(noticesOf(during, "effectExpired").length, 0);
    const expired = run(sim, 200);
    assert.deepEqual(
      noticesOf(expired, "effectExpired").map((n) => [n.targetId, n.effectId]),
      [["a", "iron_body"]],
    );
    assert.equal(sim.combatStatsOf("a")!.defense, base);
  });

  it("slows a mob with frost_shackle and lets it walk at full speed when it wears off", () => {
    const { sim, me, slimes } = setup("mage");
    const slime = slimes[0]!;
    parkMob(sim.world, slime, me.x + 200, me.y);
    const speed = slime.ai.moveSpeed;
    sim.queue({ type: "cast", playerId: "a", skillId: "frost_shackle", targetId: slime.id });
    sim.step(TICK_MS);
    assert.equal(slime.ai.moveSpeed, speed * 0.5);
    assert.equal(data.content.mobs.get("slime")!.ai.moveSpeed, speed, "template untouched");
    run(sim, 5_000);
    assert.equal(slime.ai.moveSpeed, speed);
  });

  it("clamps a heal to the target's hp max", () => {
    const { sim, me } = setup("taoist", 2);
    me.hp = me.hpMax - 5;
    sim.queue({ type: "cast", playerId: "a", skillId: "healing_talisman" });
    const notices = run(sim, 1_300);
    assert.deepEqual(
      noticesOf(notices, "healed").map((n) => [n.targetId, n.sourceId, n.amount]),
      [["a", "a", 5]],
    );
    assert.equal(me.hp, me.hpMax);
  });

  it("lets a healer heal another player in range", () => {
    const { sim, me } = setup("taoist");
    const other = sim.join(testRecord("b", "field", 900, 1600)).ok
      ? (sim.world.players.find((p) => p.id === "b") as PlayerEntity)
      : assert.fail("join b");
    placeAt(sim.world, other, me.x + 100, me.y);
    other.hpRegen = 0;
    other.hp = 10;
    sim.queue({ type: "cast", playerId: "a", skillId: "healing_talisman", targetId: "b" });
    const healed = noticesOf(run(sim, 1_300), "healed");
    assert.equal(healed[0]?.targetId, "b");
    assert.equal(other.hp, 10 + healed[0]!.amount);
  });
});

describe("withEffects (mob stats)", () => {
  let slime: CombatStats;
  before(async () => {
    slime = mobCombatStats((await loadGameData()).content.mobs.get("slime")!);
  });
  const effect = (modifiers: ActiveEffect["modifiers"]): ActiveEffect => ({
    id: "x",
    sourceId: "s",
    kind: "debuff",
    modifiers,
    appliedAtMs: 0,
    expiresAtMs: 1,
  });

  it("adds FLAT then multiplies by each MULT, and keeps rates within [0, 1]", () => {
    const out = withEffects(slime, [
      effect([{ dimension: "attack_power", bucket: "FLAT", value: 2 }]),
      effect([{ dimension: "attack_power", bucket: "MULT", value: -0.5 }]),
      effect([{ dimension: "dodge_rate", bucket: "FLAT", value: 5 }]),
    ]);
    assert.equal(out.attack_power, (slime.attack_power + 2) * 0.5);
    assert.equal(out.dodge_rate, 1);
    assert.equal(out.defense, slime.defense);
  });
});
