import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import { applyDamage, applyHeal, mobRespawnAtMs, respawnPlayer } from "./death.ts";
import { statsOf } from "./test-helpers.ts";

const point = { zone: "town", x: 10, y: 20 };

describe("death", () => {
  it("reports died only on the hit that brings hp to 0", () => {
    assert.deepEqual(applyDamage(50, 20), { hp: 30, died: false });
    assert.deepEqual(applyDamage(30, 99), { hp: 0, died: true });
    assert.deepEqual(applyDamage(0, 10), { hp: 0, died: false });
  });

  it("clamps heals to hp_max and reports the effective amount", () => {
    assert.deepEqual(applyHeal(450, 100, 500), { hp: 500, healed: 50 });
    assert.deepEqual(applyHeal(0, 100, 500), { hp: 0, healed: 0 });
  });

  it("refuses respawn when the delay has not passed", () => {
    assert.deepEqual(respawnPlayer(0, 1000, 5000, statsOf(), point), {
      ok: false,
      code: "TOO_SOON",
      remainingMs: 6000,
    });
    assert.deepEqual(respawnPlayer(10, 0, 99_999, statsOf(), point), {
      ok: false,
      code: "NOT_DEAD",
    });
  });

  it("restores half hp and mp at the respawn point when the delay has passed", () => {
    const r = respawnPlayer(0, 1000, 11_000, statsOf({ hp_max: 501, mp_max: 99 }), point);
    assert.deepEqual(r, { ok: true, hp: 250, mp: 49, zone: "town", x: 10, y: 20 });
  });

  it("schedules a mob's respawn from its template when it dies", () => {
    const rat = testContent().mobs.get("rat");
    assert.ok(rat);
    assert.equal(mobRespawnAtMs(rat, 1000), 6000);
  });
});
