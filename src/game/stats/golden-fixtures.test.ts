/**
 * The ten Actor Core golden vectors (test/fixtures/actor-core-golden-vectors), loaded as JSON
 * modules so tests under src/game do no file I/O. A .test.ts file so the build leaves it (and the
 * fixtures) out; other tests import its exports.
 */
import assert from "node:assert/strict";
import type { CombinerRegistry } from "./types.ts";
import case01Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case01_total_cap_sum/subsystems.json" with { type: "json" };
import case01Expected from "../../../test/fixtures/actor-core-golden-vectors/case01_total_cap_sum/expected.json" with { type: "json" };
import case02Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case02_realm_world_total/subsystems.json" with { type: "json" };
import case02Expected from "../../../test/fixtures/actor-core-golden-vectors/case02_realm_world_total/expected.json" with { type: "json" };
import case03Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case03_override_priority/subsystems.json" with { type: "json" };
import case03Expected from "../../../test/fixtures/actor-core-golden-vectors/case03_override_priority/expected.json" with { type: "json" };
import case04Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case04_mult_stacking/subsystems.json" with { type: "json" };
import case04Expected from "../../../test/fixtures/actor-core-golden-vectors/case04_mult_stacking/expected.json" with { type: "json" };
import case05Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case05_cdr_cap/subsystems.json" with { type: "json" };
import case05Expected from "../../../test/fixtures/actor-core-golden-vectors/case05_cdr_cap/expected.json" with { type: "json" };
import case06Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case06_lifespan_operator_max/subsystems.json" with { type: "json" };
import case06Expected from "../../../test/fixtures/actor-core-golden-vectors/case06_lifespan_operator_max/expected.json" with { type: "json" };
import case07Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case07_move_speed_floor/subsystems.json" with { type: "json" };
import case07Expected from "../../../test/fixtures/actor-core-golden-vectors/case07_move_speed_floor/expected.json" with { type: "json" };
import case08Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case08_min_gt_max_conflict/subsystems.json" with { type: "json" };
import case08Expected from "../../../test/fixtures/actor-core-golden-vectors/case08_min_gt_max_conflict/expected.json" with { type: "json" };
import case09Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case09_prioritized_override/subsystems.json" with { type: "json" };
import case09Expected from "../../../test/fixtures/actor-core-golden-vectors/case09_prioritized_override/expected.json" with { type: "json" };
import case10Subsystems from "../../../test/fixtures/actor-core-golden-vectors/case10_primary_derived_realm_min/subsystems.json" with { type: "json" };
import case10Expected from "../../../test/fixtures/actor-core-golden-vectors/case10_primary_derived_realm_min/expected.json" with { type: "json" };
import case09Layers from "../../../test/fixtures/actor-core-golden-vectors/case09_prioritized_override/cap_layer_registry.json" with { type: "json" };

/** One golden case as stored: inputs and expected output are unvalidated JSON. */
export type GoldenCase = {
  readonly name: string;
  readonly subsystems: unknown;
  readonly expected: unknown;
  readonly capLayers: unknown;
};

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: "case01_total_cap_sum",
    subsystems: case01Subsystems,
    expected: case01Expected,
    capLayers: null,
  },
  {
    name: "case02_realm_world_total",
    subsystems: case02Subsystems,
    expected: case02Expected,
    capLayers: null,
  },
  {
    name: "case03_override_priority",
    subsystems: case03Subsystems,
    expected: case03Expected,
    capLayers: null,
  },
  {
    name: "case04_mult_stacking",
    subsystems: case04Subsystems,
    expected: case04Expected,
    capLayers: null,
  },
  {
    name: "case05_cdr_cap",
    subsystems: case05Subsystems,
    expected: case05Expected,
    capLayers: null,
  },
  {
    name: "case06_lifespan_operator_max",
    subsystems: case06Subsystems,
    expected: case06Expected,
    capLayers: null,
  },
  {
    name: "case07_move_speed_floor",
    subsystems: case07Subsystems,
    expected: case07Expected,
    capLayers: null,
  },
  {
    name: "case08_min_gt_max_conflict",
    subsystems: case08Subsystems,
    expected: case08Expected,
    capLayers: null,
  },
  {
    name: "case09_prioritized_override",
    subsystems: case09Subsystems,
    expected: case09Expected,
    capLayers: case09Layers,
  },
  {
    name: "case10_primary_derived_realm_min",
    subsystems: case10Subsystems,
    expected: case10Expected,
    capLayers: null,
  },
];

/**
 * Registry.example.yml (actor-core-schemas) transcribed, plus attack_power 0..1,000,000: the
 * defaults reference/README.md names for the golden vectors. test/tools checks it against the
 * YAML file.
 */
export const REFERENCE_COMBINERS = {
  dimensions: {
    strength: { use_pipeline: true, clamp_default: { min: 0, max: 999999 } },
    intelligence: { use_pipeline: true, clamp_default: { min: 0, max: 999999 } },
    spirit: { use_pipeline: true, clamp_default: { min: 0, max: 999999 } },
    magic_power: { use_pipeline: true, clamp_default: { min: 0, max: 1000000 } },
    mp_max: { use_pipeline: true, clamp_default: { min: 0, max: 2000000 } },
    crit_rate: { use_pipeline: true, clamp_default: { min: 0, max: 1 } },
    cooldown_reduction: { use_pipeline: true, clamp_default: { min: 0, max: 0.5 } },
    move_speed: { use_pipeline: true, clamp_default: { min: 0, max: 12 } },
    lifespan_years: {
      use_pipeline: false,
      operator: "MAX",
      clamp_default: { min: 0, max: 100000 },
    },
    attack_power: { use_pipeline: true, clamp_default: { min: 0, max: 1000000 } },
  },
} as const satisfies CombinerRegistry;

describe("golden fixtures", () => {
  it("lists case01 to case10 in order when loaded", () => {
    assert.deepEqual(
      GOLDEN_CASES.map((c) => c.name.slice(0, 6)),
      Array.from({ length: 10 }, (_, i) => `case${String(i + 1).padStart(2, "0")}`),
    );
  });

  it("carries a cap layer registry only when the case is case09", () => {
    assert.deepEqual(
      GOLDEN_CASES.filter((c) => c.capLayers !== null).map((c) => c.name),
      ["case09_prioritized_override"],
    );
  });
});
