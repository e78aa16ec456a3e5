import assert from "node:assert/strict";
import { DEFAULT_COMBINER_REGISTRY, DEFAULT_DERIVED_FORMULAS } from "./default-registry.ts";
import { deriveStats, parseDerivedFormulas, type DerivedFormulas } from "./formulas.ts";
import { compileRegistry } from "./registry.ts";
import { sampleCharacterOutputs } from "./sample-character.ts";
import { resolveSnapshot } from "./stats.ts";
import { capOf, contribution as c, subsystem } from "./test-helpers.ts";
import type { CapLayerRegistry } from "./types.ts";

const LAYERS: CapLayerRegistry = {
  order: ["REALM", "WORLD", "EVENT", "TOTAL"],
  across_policy: "INTERSECT",
};

function formulas(input: unknown): DerivedFormulas {
  const parsed = parseDerivedFormulas(input);
  if (!parsed.ok) throw new Error(parsed.issues.join("; "));
  return parsed.value;
}

const HP = formulas({ formulas: { hp_max: { base: 50, per: { vitality: 10, level: 5 } } } });

describe("deriveStats", () => {
  it("computes base + Σ coef × stat when every input is present", () => {
    assert.deepEqual(deriveStats({ vitality: 12, level: 3 }, HP), { hp_max: 50 + 120 + 15 });
  });

  it("counts a missing stat as 0 when the primary map lacks it", () => {
    assert.deepEqual(deriveStats({ vitality: 2 }, HP), { hp_max: 70 });
  });

  it("ignores inherited properties when a formula reads a stat named like one", () => {
    const f = formulas({ formulas: { hp_max: { base: 1, per: { constructor: 2 } } } });
    assert.deepEqual(deriveStats({}, f), { hp_max: 1 });
  });

  it("covers the ten required derived stats when using the content formulas", () => {
    const out = deriveStats(
      { strength: 10, agility: 10, intelligence: 10, vitality: 10, spirit: 10 },
      DEFAULT_DERIVED_FORMULAS,
    );
    for (const dim of [
      "hp_max",
      "mp_max",
      "attack_power",
      "magic_power",
      "defense",
      "crit_rate",
      "crit_damage",
      "attack_speed",
      "move_speed",
      "cooldown_reduction",
    ]) {
      assert.equal(typeof out[dim], "number", dim);
    }
    assert.equal(out.hp_max, 50 + 10 * 10 + 10 * 2);
  });

  it("defaults the system to base when the data names none", () => {
    assert.equal(HP.system, "base");
  });

  it("rejects formula data when a name is not snake_case or a coefficient is not a number", () => {
    assert.equal(parseDerivedFormulas({ formulas: { HP: { base: 1 } } }).ok, false);
    assert.equal(
      parseDerivedFormulas({ formulas: { hp_max: { base: 1, per: { vit: "2" } } } }).ok,
      false,
    );
    assert.equal(parseDerivedFormulas({ formulas: { hp_max: { base: 1, extra: 1 } } }).ok, false);
  });
});

describe("formulas inside the aggregator", () => {
  const registry = () => compileRegistry(DEFAULT_COMBINER_REGISTRY, LAYERS, { formulas: HP });

  it("adds the formula result as a FLAT derived contribution when other buckets also apply", () => {
    const s = resolveSnapshot(registry(), [
      subsystem({
        primary: [c("vitality", "FLAT", 20), c("level", "FLAT", 10)],
        derived: [c("hp_max", "FLAT", 100, "items"), c("hp_max", "MULT", 0.5, "buffs")],
      }),
    ]);
    assert.equal(s.Derived.hp_max, (50 + 200 + 50 + 100) * 1.5);
  });

  it("reads the clamped primary value when a cap bounds the input", () => {
    const s = resolveSnapshot(registry(), [
      subsystem({
        primary: [c("vitality", "FLAT", 500)],
        caps: [capOf("vitality", "HARD_MAX", "max", 30, "REALM")],
      }),
    ]);
    assert.equal(s.Primary.vitality, 30);
    assert.equal(s.Derived.hp_max, 50 + 300);
  });

  it("caps the formula result when the derived dimension has caps", () => {
    const s = resolveSnapshot(registry(), [
      subsystem({
        primary: [c("vitality", "FLAT", 100)],
        caps: [capOf("hp_max", "HARD_MAX", "max", 400, "WORLD")],
      }),
    ]);
    assert.equal(s.Derived.hp_max, 400);
    assert.deepEqual(s.CapsUsed.hp_max, { Min: 1, Max: 400 });
  });

  it("matches deriveStats when no other contribution or cap touches the derived stats", () => {
    const registryAll = compileRegistry(DEFAULT_COMBINER_REGISTRY, LAYERS, {
      formulas: DEFAULT_DERIVED_FORMULAS,
    });
    const primary = { strength: 30, agility: 20, intelligence: 15, vitality: 25, spirit: 10 };
    const s = resolveSnapshot(registryAll, [
      subsystem({ primary: Object.entries(primary).map(([d, v]) => c(d, "FLAT", v)) }),
    ]);
    const expected = deriveStats(primary, DEFAULT_DERIVED_FORMULAS);
    for (const [dim, v] of Object.entries(expected)) {
      const { Min, Max } = s.CapsUsed[dim] ?? { Min: NaN, Max: NaN };
      assert.equal(s.Derived[dim], Math.min(Math.max(v, Min), Max), dim);
    }
  });

  it("leaves golden-style output untouched when the registry has no formulas", () => {
    const plain = compileRegistry(DEFAULT_COMBINER_REGISTRY, LAYERS);
    const s = resolveSnapshot(plain, sampleCharacterOutputs());
    assert.equal(s.Derived.hp_max, 250 + 100);
    assert.equal("hit_rate" in s.Derived, false);
  });
});
