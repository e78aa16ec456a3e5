import assert from "node:assert/strict";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import capContribution from "../../../test/fixtures/actor-core-schemas/CapContribution.schema.json" with { type: "json" };
import capLayerRegistry from "../../../test/fixtures/actor-core-schemas/CapLayerRegistry.schema.json" with { type: "json" };
import contributionSchema from "../../../test/fixtures/actor-core-schemas/Contribution.schema.json" with { type: "json" };
import effectiveCaps from "../../../test/fixtures/actor-core-schemas/EffectiveCaps.schema.json" with { type: "json" };
import mergeRule from "../../../test/fixtures/actor-core-schemas/MergeRule.schema.json" with { type: "json" };
import registrySchema from "../../../test/fixtures/actor-core-schemas/Registry.schema.json" with { type: "json" };
import snapshotSchema from "../../../test/fixtures/actor-core-schemas/Snapshot.schema.json" with { type: "json" };
import subsystemOutput from "../../../test/fixtures/actor-core-schemas/SubsystemOutput.schema.json" with { type: "json" };
import {
  createDefaultRegistry,
  DEFAULT_CAP_LAYER_REGISTRY,
  DEFAULT_COMBINER_REGISTRY,
} from "./default-registry.ts";
import { GOLDEN_CASES, REFERENCE_COMBINERS } from "./golden-fixtures.test.ts";
import { sampleCharacterOutputs } from "./sample-character.ts";
import { parseCapLayerRegistry, parseCombinerRegistry, parseSubsystemOutputs } from "./schemas.ts";
import { resolveSnapshot } from "./stats.ts";

// the upstream CapContribution schema requires `realm` inside if/then: allowed, not "strict"
const ajv = new Ajv2020({ allErrors: true, strictRequired: false });
const SCHEMAS: Record<string, object> = {
  "CapContribution.schema.json": capContribution,
  "CapLayerRegistry.schema.json": capLayerRegistry,
  "Contribution.schema.json": contributionSchema,
  "EffectiveCaps.schema.json": effectiveCaps,
  "MergeRule.schema.json": mergeRule,
  "Registry.schema.json": registrySchema,
  "Snapshot.schema.json": snapshotSchema,
  "SubsystemOutput.schema.json": subsystemOutput,
};
for (const [key, schema] of Object.entries(SCHEMAS)) ajv.addSchema(schema, key);

function schema(name: string): ValidateFunction {
  const validate = ajv.getSchema(`${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate;
}

function assertValid(name: string, data: unknown): void {
  const validate = schema(name);
  assert.ok(validate(data), `${name}: ${ajv.errorsText(validate.errors)}`);
}

describe("actor core schemas", () => {
  it("accepts every golden subsystem output with both ajv and zod when loaded", () => {
    assert.equal(GOLDEN_CASES.length, 10);
    for (const c of GOLDEN_CASES) {
      for (const output of c.subsystems as unknown[]) assertValid("SubsystemOutput", output);
      assert.equal(parseSubsystemOutputs(c.subsystems).ok, true, c.name);
      assertValid("Snapshot", c.expected);
      if (c.capLayers !== null) assertValid("CapLayerRegistry", c.capLayers);
    }
  });

  it("accepts the sample character's subsystem outputs when validated", () => {
    for (const output of sampleCharacterOutputs()) assertValid("SubsystemOutput", output);
  });

  it("produces schema-valid snapshots for the sample character with and without formulas", () => {
    for (const withFormulas of [false, true]) {
      const snapshot = resolveSnapshot(
        createDefaultRegistry({ withFormulas }),
        sampleCharacterOutputs(),
      );
      assertValid("Snapshot", snapshot);
      assertValid("EffectiveCaps", snapshot.CapsUsed);
    }
  });

  it("produces schema-valid snapshots when subsystem outputs are random", () => {
    const dims = ["strength", "hp_max", "crit_rate", "lifespan_years", "poise_rank"];
    const contribution = fc.record({
      dimension: fc.constantFrom(...dims),
      bucket: fc.constantFrom("FLAT", "MULT", "POST_ADD", "OVERRIDE" as const),
      value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      system: fc.constantFrom("a", "b", "c"),
    });
    const cap = fc.record({
      system: fc.constantFrom("a", "b"),
      dimension: fc.constantFrom(...dims),
      mode: fc.constantFrom("BASELINE", "ADDITIVE", "OVERRIDE", "HARD_MAX", "HARD_MIN" as const),
      kind: fc.constantFrom("max", "min" as const),
      value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      scope: fc.constantFrom("WORLD", "EVENT", "TOTAL"),
    });
    const output = fc.record({
      primary: fc.array(contribution, { maxLength: 5 }),
      derived: fc.array(contribution, { maxLength: 5 }),
      caps: fc.array(cap, { maxLength: 4 }),
      meta: fc.record({ system: fc.constantFrom("a", "b") }),
    });
    fc.assert(
      fc.property(fc.array(output, { maxLength: 4 }), (outputs) => {
        for (const o of outputs) assertValid("SubsystemOutput", o);
        assertValid("Snapshot", resolveSnapshot(createDefaultRegistry(), outputs));
      }),
      { numRuns: 100 },
    );
  });

  it("accepts the content registries against Registry and CapLayerRegistry schemas", () => {
    assertValid("Registry", DEFAULT_COMBINER_REGISTRY);
    assertValid("CapLayerRegistry", DEFAULT_CAP_LAYER_REGISTRY);
  });

  it("accepts the transcribed reference registry with ajv and zod", () => {
    assertValid("Registry", REFERENCE_COMBINERS);
    assert.equal(parseCombinerRegistry(REFERENCE_COMBINERS).ok, true);
    assert.equal(parseCapLayerRegistry(DEFAULT_CAP_LAYER_REGISTRY).ok, true);
  });

  it("agrees with the content registry on every dimension of the reference registry", () => {
    for (const [dim, rule] of Object.entries(REFERENCE_COMBINERS.dimensions)) {
      assert.deepEqual(DEFAULT_COMBINER_REGISTRY.dimensions[dim], rule, dim);
    }
  });

  const valid = {
    primary: [{ dimension: "strength", bucket: "FLAT", value: 1, system: "race" }],
    derived: [],
    caps: [
      {
        system: "realm",
        dimension: "strength",
        mode: "HARD_MAX",
        kind: "max",
        value: 9,
        scope: "REALM",
        realm: "r",
      },
    ],
    meta: { system: "race" },
  };
  const [contribution] = valid.primary;
  const [cap] = valid.caps;
  const invalid: [string, unknown][] = [
    ["an unknown bucket", { ...valid, primary: [{ ...contribution, bucket: "PERCENT" }] }],
    [
      "a dimension that is not snake_case",
      { ...valid, primary: [{ ...contribution, dimension: "Str" }] },
    ],
    ["a fractional priority", { ...valid, primary: [{ ...contribution, priority: 1.5 }] }],
    ["an extra property", { ...valid, primary: [{ ...contribution, note: "x" }] }],
    ["a REALM cap without realm", { ...valid, caps: [{ ...cap, realm: undefined }] }],
    ["an unknown cap mode", { ...valid, caps: [{ ...cap, mode: "SOFT_MAX" }] }],
    ["a missing meta", { ...valid, meta: undefined }],
  ];

  it("accepts the baseline sample when checking invalid variants", () => {
    assertValid("SubsystemOutput", valid);
    assert.equal(parseSubsystemOutputs([valid]).ok, true);
  });

  for (const [what, data] of invalid) {
    it(`rejects with both ajv and zod when an output has ${what}`, () => {
      const clean = JSON.parse(JSON.stringify(data)) as unknown; // drops undefined keys
      assert.equal(schema("SubsystemOutput")(clean), false);
      assert.equal(parseSubsystemOutputs([clean]).ok, false);
    });
  }
});
