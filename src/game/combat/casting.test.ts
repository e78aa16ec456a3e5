import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import type { Skill } from "../content/skills.ts";
import {
  beginCast,
  cancelCast,
  CastRefusal,
  tickCast,
  type CasterState,
  type CastRequest,
} from "./casting.ts";
import { autoAttackIntervalMs, effectiveCooldownMs, startCooldown } from "./cooldowns.ts";
import { statsOf } from "./test-helpers.ts";

const content = testContent();
const skill = (id: string) => content.skills.get(id) as Skill;
const fresh: CasterState = { mp: 100, cooldowns: {}, cast: null };

function request(id: string, extra: Partial<CastRequest> = {}): CastRequest {
  const s = skill(id);
  return {
    skill: s,
    jobId: s.job,
    stats: statsOf(),
    alive: true,
    targetId: "mob1",
    distance: 1,
    x: 1,
    y: 0,
    nowMs: 1000,
    ...extra,
  };
}

describe("beginCast", () => {
  it("spends mp and starts the cooldown when an instant skill is used", () => {
    const r = beginCast(fresh, request("slash"));
    assert.ok(r.ok);
    assert.equal(r.instant, true);
    assert.equal(r.caster.mp, 90);
    assert.equal(r.caster.cooldowns.slash, 5000);
    assert.equal(r.caster.cast, null);
    assert.equal(r.cast.completesAtMs, 1000);
  });

  it("refuses with remainingMs when the skill is on cooldown", () => {
    const r1 = beginCast(fresh, request("slash"));
    assert.ok(r1.ok);
    const r2 = beginCast(r1.caster, request("slash", { nowMs: 3500 }));
    assert.deepEqual(r2, { ok: false, code: CastRefusal.ON_COOLDOWN, remainingMs: 1500 });
    assert.ok(beginCast(r1.caster, request("slash", { nowMs: 5000 })).ok);
  });

  it("shortens the cooldown when the caster has cooldown_reduction", () => {
    const r = beginCast(fresh, request("slash", { stats: statsOf({ cooldown_reduction: 0.25 }) }));
    assert.ok(r.ok);
    assert.equal(r.caster.cooldowns.slash, 1000 + 3000);
  });

  it("refuses each precondition with its own code when it fails", () => {
    const cases: [CastRequest, CasterState, CastRefusal][] = [
      [request("slash", { alive: false }), fresh, CastRefusal.DEAD],
      [request("slash", { jobId: "mage" }), fresh, CastRefusal.WRONG_JOB],
      [request("slash"), { ...fresh, mp: 9 }, CastRefusal.NOT_ENOUGH_MP],
      [request("slash", { distance: 2.6 }), fresh, CastRefusal.OUT_OF_RANGE],
      [request("slash", { targetId: null }), fresh, CastRefusal.NO_TARGET],
    ];
    for (const [req, caster, code] of cases) {
      const r = beginCast(caster, req);
      assert.equal(r.ok ? "ok" : r.code, code);
    }
  });

  it("ignores range when the skill targets self", () => {
    assert.ok(beginCast(fresh, request("guard", { distance: 999, targetId: null })).ok);
  });

  it("completes a cast-time skill only when its time has come", () => {
    const r = beginCast(fresh, request("fire", { distance: 9 }));
    assert.ok(r.ok);
    assert.equal(r.instant, false);
    assert.equal(r.caster.cast?.completesAtMs, 2000);
    const busy = beginCast(r.caster, request("mend", { nowMs: 1500 }));
    assert.deepEqual(busy, { ok: false, code: CastRefusal.ALREADY_CASTING, remainingMs: 500 });
    assert.equal(tickCast(r.caster, 1999).completed, null);
    const done = tickCast(r.caster, 2000);
    assert.equal(done.completed?.skillId, "fire");
    assert.equal(done.caster.cast, null);
    assert.equal(done.caster.mp, 85);
  });

  it("keeps mp and cooldown spent when a cast is cancelled", () => {
    const r = beginCast(fresh, request("fire", { distance: 9 }));
    assert.ok(r.ok);
    const cancelled = cancelCast(r.caster);
    assert.equal(cancelled.cast, null);
    assert.equal(cancelled.mp, 85);
    assert.equal(cancelled.cooldowns.fire, 4000);
  });
});

describe("cooldowns", () => {
  it("caps cooldown_reduction at the rules' cap when it is higher", () => {
    assert.equal(effectiveCooldownMs(4000, 0.2), 3200);
    assert.equal(effectiveCooldownMs(4000, 0.9), 2000);
    assert.equal(effectiveCooldownMs(4000, -1), 4000);
  });

  it("drops expired entries when a new cooldown starts", () => {
    assert.deepEqual(startCooldown({ a: 500, b: 3000 }, "c", 1000, 200), { b: 3000, c: 1200 });
  });

  it("divides the auto-attack interval by attack_speed, floored at the minimum speed", () => {
    const auto = content.autoAttacks.get("strike");
    assert.ok(auto);
    assert.equal(autoAttackIntervalMs(auto, statsOf({ attack_speed: 2 })), 500);
    assert.equal(autoAttackIntervalMs(auto, statsOf({ attack_speed: 0 })), 10_000);
  });
});
