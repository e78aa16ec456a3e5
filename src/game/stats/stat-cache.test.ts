import assert from "node:assert/strict";
import { createDefaultRegistry } from "./default-registry.ts";
import { StatCache, type StatSource } from "./stat-cache.ts";
import { contribution as c, subsystem } from "./test-helpers.ts";

function sources(swordAttack: number, equipmentVersion: number): StatSource[] {
  return [
    { id: "race", version: 1, output: subsystem({ primary: [c("strength", "FLAT", 10, "race")] }) },
    {
      id: "equipment",
      version: equipmentVersion,
      output: subsystem({ derived: [c("attack_power", "FLAT", swordAttack, "equipment")] }),
    },
  ];
}

const buff: StatSource = {
  id: "buffs",
  version: 1,
  output: subsystem({ derived: [c("attack_power", "MULT", 0.5, "buffs")] }),
};

describe("StatCache", () => {
  it("returns the same snapshot without recomputing when no source version changed", () => {
    const cache = new StatCache(createDefaultRegistry());
    const first = cache.resolve("hero", sources(100, 1));
    const second = cache.resolve("hero", sources(100, 1));
    assert.equal(second, first);
    assert.equal(cache.recomputes, 1);
    assert.equal(first.Version, 1);
  });

  it("trusts the version when a source output changes but its version does not", () => {
    const cache = new StatCache(createDefaultRegistry());
    cache.resolve("hero", sources(100, 1));
    assert.equal(cache.resolve("hero", sources(999, 1)).Derived.attack_power, 100);
    assert.equal(cache.recomputes, 1);
  });

  it("recomputes and bumps Version when one source version changes", () => {
    const cache = new StatCache(createDefaultRegistry());
    cache.resolve("hero", sources(100, 1));
    const equipped = cache.resolve("hero", sources(250, 2));
    assert.equal(equipped.Derived.attack_power, 250);
    assert.equal(equipped.Version, 2);
    assert.equal(cache.recomputes, 2);
  });

  it("recomputes when a source starts and again when it expires", () => {
    const cache = new StatCache(createDefaultRegistry());
    cache.resolve("hero", sources(100, 1));
    assert.equal(cache.resolve("hero", [...sources(100, 1), buff]).Derived.attack_power, 150);
    assert.equal(cache.resolve("hero", sources(100, 1)).Derived.attack_power, 100);
    assert.equal(cache.recomputes, 3);
  });

  it("keeps characters apart when two are cached", () => {
    const cache = new StatCache(createDefaultRegistry());
    const a = cache.resolve("a", sources(100, 1));
    const b = cache.resolve("b", sources(300, 1));
    assert.equal(a.Derived.attack_power, 100);
    assert.equal(b.Derived.attack_power, 300);
    assert.equal(cache.resolve("a", sources(100, 1)), a);
    assert.equal(cache.size, 2);
  });

  it("recomputes from scratch when a forgotten character comes back", () => {
    const cache = new StatCache(createDefaultRegistry());
    cache.resolve("hero", sources(100, 1));
    assert.equal(cache.forget("hero"), true);
    assert.equal(cache.resolve("hero", sources(100, 1)).Version, 1);
    assert.equal(cache.recomputes, 2);
  });

  it("throws when two sources share an id", () => {
    const cache = new StatCache(createDefaultRegistry());
    const [race] = sources(100, 1);
    assert.ok(race);
    assert.throws(() => cache.resolve("hero", [race, race]), /duplicate source id/);
  });
});
