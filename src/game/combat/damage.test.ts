import { strict as assert } from "node:assert";
import fc from "fast-check";
import { createRng } from "../rng.ts";
import { createDamageResult, mitigate, resolveDamage, resolveHeal } from "./damage.ts";
import { DEFAULT_COMBAT_RULES } from "./rules.ts";
import { scriptedRng, statsOf } from "./test-helpers.ts";

// Draw order on a hit: hit roll, variance roll (0.5 = no variance), crit roll.
const NO_CRIT = [0, 0.5, 0.99];
const CRIT = [0, 0.5, 0];

describe("resolveDamage", () => {
  it("deals power x factor halved when defense equals K", () => {
    const r = resolveDamage(statsOf(), statsOf({ defense: 100 }), 2, scriptedRng(NO_CRIT));
    assert.deepEqual(r, { hit: true, crit: false, amount: 100, raw: 200 });
  });

  it("multiplies by crit_damage when the crit roll succeeds", () => {
    const attacker = statsOf({ crit_rate: 0.5, crit_damage: 2 });
    const r = resolveDamage(attacker, statsOf(), 1, scriptedRng(CRIT));
    assert.deepEqual([r.hit, r.crit, r.amount], [true, true, 200]);
  });

  it("uses magic_power when the scaling is magic_power", () => {
    const attacker = statsOf({ attack_power: 10, magic_power: 300 });
    const r = resolveDamage(attacker, statsOf(), 1, scriptedRng(NO_CRIT), undefined, "magic_power");
    assert.equal(r.amount, 300);
  });

  it("misses when the hit roll is at or above hit_rate - dodge_rate", () => {
    const attacker = statsOf({ hit_rate: 0.95 });
    const defender = statsOf({ dodge_rate: 0.05 });
    const miss = resolveDamage(attacker, defender, 1, scriptedRng([0.9, 0.5, 0.99]));
    assert.deepEqual(miss, { hit: false, crit: false, amount: 0, raw: 0 });
    const hit = resolveDamage(attacker, defender, 1, scriptedRng([0.89, 0.5, 0.99]));
    assert.equal(hit.hit, true);
  });

  it("still hits 5% of the time when dodge exceeds hit", () => {
    const defender = statsOf({ dodge_rate: 5 });
    assert.equal(resolveDamage(statsOf(), defender, 1, scriptedRng([0.049, 0.5, 0.9])).hit, true);
    assert.equal(resolveDamage(statsOf(), defender, 1, scriptedRng([0.05, 0.5, 0.9])).hit, false);
  });

  it("varies by at most the rules' variance when the variance roll is extreme", () => {
    const low = resolveDamage(statsOf(), statsOf(), 1, scriptedRng([0, 0, 0.99]));
    const high = resolveDamage(statsOf(), statsOf(), 1, scriptedRng([0, 0.999999, 0.99]));
    assert.equal(low.amount, 95);
    assert.equal(high.amount, 104);
  });

  it("deals at least 1 when defense dwarfs the attack", () => {
    const r = resolveDamage(
      statsOf({ attack_power: 1 }),
      statsOf({ defense: 1e9 }),
      0.1,
      scriptedRng(NO_CRIT),
    );
    assert.equal(r.amount, 1);
  });

  it("writes into and returns the same object when out is passed", () => {
    const out = createDamageResult();
    const rng = createRng(1);
    assert.equal(resolveDamage(statsOf(), statsOf(), 1, rng, out), out);
  });

  it("always yields a finite integer >= 1 on a hit when stats are arbitrary numbers", () => {
    const num = fc.oneof(fc.double(), fc.double({ min: 0, max: 1e7, noNaN: true }));
    fc.assert(
      fc.property(
        num,
        num,
        num,
        num,
        num,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (ap, def, factor, critRate, critDmg, dodge, seed) => {
          const out = resolveDamage(
            statsOf({ attack_power: ap, crit_rate: critRate, crit_damage: critDmg }),
            statsOf({ defense: def, dodge_rate: dodge }),
            factor,
            createRng(seed),
          );
          assert.ok(Number.isInteger(out.amount) && Number.isFinite(out.amount));
          assert.ok(out.hit ? out.amount >= 1 : out.amount === 0);
          assert.ok(out.amount <= DEFAULT_COMBAT_RULES.maxAmount);
        },
      ),
    );
  });
});

describe("mitigate", () => {
  it("gives diminishing returns when defense grows", () => {
    assert.equal(mitigate(100, 0, 100), 100);
    assert.equal(mitigate(100, 100, 100), 50);
    assert.equal(mitigate(100, 300, 100), 25);
    assert.equal(mitigate(100, -50, 100), 100);
  });
});

describe("resolveHeal", () => {
  it("heals magic_power x factor, never misses, crits when rolled", () => {
    const healer = statsOf({ magic_power: 80, crit_rate: 0.5, crit_damage: 1.5 });
    const plain = resolveHeal(healer, 2, scriptedRng([0.5, 0.9]));
    assert.deepEqual(plain, { hit: true, crit: false, amount: 160, raw: 160 });
    assert.equal(resolveHeal(healer, 2, scriptedRng([0.5, 0.1])).amount, 240);
  });
});
