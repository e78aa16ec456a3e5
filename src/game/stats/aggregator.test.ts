import assert from "node:assert/strict";
import { compileRegistry, FALLBACK_RULE } from "./registry.ts";
import { resolveSnapshot } from "./stats.ts";
import { capOf, contribution as c, subsystem } from "./test-helpers.ts";
import type { CapLayerRegistry, CombinerRegistry, SubsystemOutput } from "./types.ts";

const COMBINERS: CombinerRegistry = {
  dimensions: {
    power: { use_pipeline: true, clamp_default: { min: 0, max: 1_000_000 } },
    rate: { use_pipeline: true, clamp_default: { min: 0, max: 1 } },
    sum_dim: { use_pipeline: false, operator: "SUM", clamp_default: { min: -100, max: 100 } },
    max_dim: { use_pipeline: false, operator: "MAX", clamp_default: { min: -100, max: 100 } },
    min_dim: { use_pipeline: false, operator: "MIN", clamp_default: { min: -100, max: 100 } },
    avg_dim: { use_pipeline: false, operator: "AVERAGE", clamp_default: { min: -100, max: 100 } },
    mul_dim: { use_pipeline: false, operator: "MULTIPLY", clamp_default: { min: -100, max: 100 } },
  },
};
const INTERSECT: CapLayerRegistry = {
  order: ["REALM", "WORLD", "EVENT", "TOTAL"],
  across_policy: "INTERSECT",
};
const PRIORITIZED: CapLayerRegistry = { ...INTERSECT, across_policy: "PRIORITIZED_OVERRIDE" };

function resolve(outputs: SubsystemOutput[], layers = INTERSECT) {
  return resolveSnapshot(compileRegistry(COMBINERS, layers), outputs);
}

describe("stat aggregator pipeline", () => {
  it("computes ΣFLAT × Π(1 + MULT) + ΣPOST_ADD when all buckets contribute", () => {
    const s = resolve([
      subsystem({
        primary: [
          c("power", "FLAT", 10),
          c("power", "FLAT", 5),
          c("power", "MULT", 0.5),
          c("power", "MULT", -0.2),
          c("power", "POST_ADD", 3),
        ],
      }),
    ]);
    // multipliers in canonical order (same system and priority: value ascending), then × ΣFLAT
    assert.equal(s.Primary.power, 15 * ((1 - 0.2) * (1 + 0.5)) + 3);
  });

  it("takes the highest-priority OVERRIDE and ignores other buckets when overrides exist", () => {
    const s = resolve([
      subsystem({
        derived: [
          c("power", "FLAT", 1000),
          c("power", "OVERRIDE", 7, "low", 1),
          c("power", "OVERRIDE", 9, "high", 3),
        ],
      }),
    ]);
    assert.equal(s.Derived.power, 9);
  });

  it("breaks an OVERRIDE priority tie by system name ascending when priorities are equal", () => {
    const s = resolve([
      subsystem({ primary: [c("power", "OVERRIDE", 2, "zeta", 4)] }),
      subsystem({ primary: [c("power", "OVERRIDE", 1, "alpha", 4)] }),
    ]);
    assert.equal(s.Primary.power, 1);
  });

  it("resolves primary and derived separately under one CapsUsed entry when both name a dimension", () => {
    const s = resolve([
      subsystem({ primary: [c("power", "FLAT", 4)], derived: [c("power", "FLAT", 40)] }),
    ]);
    assert.deepEqual(s, {
      Primary: { power: 4 },
      Derived: { power: 40 },
      CapsUsed: { power: { Min: 0, Max: 1_000_000 } },
      Version: 1,
    });
  });

  it("passes the version through when one is given", () => {
    const registry = compileRegistry(COMBINERS, INTERSECT);
    assert.equal(resolveSnapshot(registry, [], 42).Version, 42);
  });

  it("returns empty maps when there are no subsystems", () => {
    assert.deepEqual(resolve([]), { Primary: {}, Derived: {}, CapsUsed: {}, Version: 1 });
  });

  it("uses the fallback rule when a dimension is not in the registry", () => {
    const s = resolve([subsystem({ primary: [c("fire_resist", "FLAT", -5e6)] })]);
    const { min, max } = FALLBACK_RULE.clamp_default;
    assert.deepEqual(s.CapsUsed.fire_resist, { Min: min, Max: max });
    assert.equal(s.Primary.fire_resist, min);
  });
});

describe("stat aggregator operator modes", () => {
  const values = [3, -2, 8, 0.5];
  const cases: [string, number][] = [
    ["sum_dim", 9.5],
    ["max_dim", 8],
    ["min_dim", -2],
    ["avg_dim", 9.5 / 4],
    ["mul_dim", -24],
  ];
  for (const [dim, expected] of cases) {
    it(`reduces raw values with ${dim.replace("_dim", "").toUpperCase()} when the rule says so`, () => {
      const s = resolve([
        subsystem({ primary: values.map((v, i) => c(dim, i % 2 ? "MULT" : "FLAT", v, `s${i}`)) }),
      ]);
      assert.equal(s.Primary[dim], expected);
    });
  }
});

describe("stat aggregator caps", () => {
  it("adds BASELINE and ADDITIVE and bounds them by HARD_MAX when all share a layer", () => {
    const s = resolve([
      subsystem({
        primary: [c("power", "FLAT", 900)],
        caps: [
          capOf("power", "BASELINE", "max", 500),
          capOf("power", "ADDITIVE", "max", 300),
          capOf("power", "HARD_MAX", "max", 700),
          capOf("power", "HARD_MIN", "min", 100),
        ],
      }),
    ]);
    assert.deepEqual(s.CapsUsed.power, { Min: 100, Max: 700 });
    assert.equal(s.Primary.power, 700);
  });

  it("lets the highest-priority OVERRIDE cap replace BASELINE + ADDITIVE when a layer has one", () => {
    const s = resolve([
      subsystem({
        primary: [c("power", "FLAT", 900)],
        caps: [
          capOf("power", "BASELINE", "max", 5000),
          capOf("power", "OVERRIDE", "max", 800, "TOTAL", { priority: 1, system: "a" }),
          capOf("power", "OVERRIDE", "max", 600, "TOTAL", { priority: 2, system: "b" }),
        ],
      }),
    ]);
    assert.equal(s.CapsUsed.power?.Max, 600);
    assert.equal(s.Primary.power, 600);
  });

  it("lowers the min to the max when layers disagree across INTERSECT", () => {
    const s = resolve([
      subsystem({
        primary: [c("power", "FLAT", 10)],
        caps: [
          capOf("power", "HARD_MIN", "min", 100, "REALM"),
          capOf("power", "HARD_MAX", "max", 50, "WORLD"),
        ],
      }),
    ]);
    assert.deepEqual(s.CapsUsed.power, { Min: 50, Max: 50 });
    assert.equal(s.Primary.power, 50);
  });

  it("keeps the tighter bound under INTERSECT but the OVERRIDE layer's under PRIORITIZED_OVERRIDE", () => {
    const outputs = [
      subsystem({
        primary: [c("power", "FLAT", 5000)],
        caps: [
          capOf("power", "OVERRIDE", "max", 2000, "WORLD", { priority: 10 }),
          capOf("power", "HARD_MAX", "max", 1000, "TOTAL"),
        ],
      }),
    ];
    assert.equal(resolve(outputs, INTERSECT).Primary.power, 1000);
    assert.equal(resolve(outputs, PRIORITIZED).Primary.power, 2000);
    assert.deepEqual(resolve(outputs, PRIORITIZED).CapsUsed.power, { Min: 0, Max: 2000 });
  });

  it("clamps the layer range into the combiner default when a cap exceeds it", () => {
    const s = resolve([
      subsystem({ derived: [c("rate", "FLAT", 3)], caps: [capOf("rate", "BASELINE", "max", 5)] }),
    ]);
    assert.deepEqual(s.CapsUsed.rate, { Min: 0, Max: 1 });
    assert.equal(s.Derived.rate, 1);
  });

  it("ignores caps when their scope is not an active layer", () => {
    const registry = compileRegistry(COMBINERS, { order: ["WORLD"], across_policy: "INTERSECT" });
    const s = resolveSnapshot(registry, [
      subsystem({
        primary: [c("power", "FLAT", 900)],
        caps: [
          capOf("power", "HARD_MAX", "max", 10, "EVENT"),
          capOf("rate", "HARD_MAX", "max", 0.5, "EVENT"),
        ],
      }),
    ]);
    assert.equal(s.Primary.power, 900);
    assert.deepEqual(Object.keys(s.CapsUsed), ["power"]);
  });

  it("puts a cap in the TOTAL layer when it names no scope", () => {
    const { scope: _scope, ...noScope } = capOf("power", "HARD_MAX", "max", 10);
    const s = resolve([subsystem({ primary: [c("power", "FLAT", 900)], caps: [noScope] })]);
    assert.equal(s.Primary.power, 10);
  });

  it("lists a dimension in CapsUsed only when it has caps but no contributions", () => {
    const s = resolve([subsystem({ caps: [capOf("power", "HARD_MIN", "min", 5)] })]);
    assert.deepEqual(s, {
      Primary: {},
      Derived: {},
      CapsUsed: { power: { Min: 5, Max: 1_000_000 } },
      Version: 1,
    });
  });

  it("orders CapsUsed keys primary, then derived-only, then caps-only, each by name", () => {
    const s = resolve([
      subsystem({
        primary: [c("rate", "FLAT", 0.1), c("power", "FLAT", 1)],
        derived: [c("mul_dim", "FLAT", 1), c("avg_dim", "FLAT", 1)],
        caps: [capOf("sum_dim", "HARD_MAX", "max", 1), capOf("max_dim", "HARD_MAX", "max", 1)],
      }),
    ]);
    assert.deepEqual(Object.keys(s.CapsUsed), [
      "power",
      "rate",
      "avg_dim",
      "mul_dim",
      "max_dim",
      "sum_dim",
    ]);
  });
});
