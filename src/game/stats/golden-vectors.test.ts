import assert from "node:assert/strict";
import { createDefaultRegistry, DEFAULT_CAP_LAYER_REGISTRY } from "./default-registry.ts";
import { GOLDEN_CASES, REFERENCE_COMBINERS } from "./golden-fixtures.test.ts";
import { compileRegistry } from "./registry.ts";
import { parseCapLayerRegistry, parseSubsystemOutputs, type ParseResult } from "./schemas.ts";
import { resolveSnapshot } from "./stats.ts";

function valueOf<T>(name: string, result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`${name}: ${result.issues.join("; ")}`);
  return result.value;
}

const cases = GOLDEN_CASES.map((c) => ({
  name: c.name,
  subsystems: valueOf(c.name, parseSubsystemOutputs(c.subsystems)),
  capLayers:
    c.capLayers === null
      ? DEFAULT_CAP_LAYER_REGISTRY
      : valueOf(c.name, parseCapLayerRegistry(c.capLayers)),
  expected: c.expected,
  // expected.json files are JSON.stringify(_, null, 2) output (the CLI test checks the bytes)
  expectedText: JSON.stringify(c.expected, null, 2),
}));

describe("actor core golden vectors", () => {
  for (const c of cases) {
    it(`matches expected.json exactly when resolving ${c.name} with the reference registry`, () => {
      const registry = compileRegistry(REFERENCE_COMBINERS, c.capLayers);
      const snapshot = resolveSnapshot(registry, c.subsystems);
      assert.deepStrictEqual(snapshot, c.expected);
      assert.equal(JSON.stringify(snapshot, null, 2), c.expectedText);
    });

    it(`matches expected.json exactly when resolving ${c.name} with the content registry`, () => {
      const registry = createDefaultRegistry({ capLayers: c.capLayers });
      assert.deepStrictEqual(resolveSnapshot(registry, c.subsystems), c.expected);
    });

    it(`matches expected.json when ${c.name} subsystems and lists come in reverse order`, () => {
      const registry = createDefaultRegistry({ capLayers: c.capLayers });
      const reversed = [...c.subsystems].reverse().map((s) => ({
        ...s,
        primary: [...s.primary].reverse(),
        derived: [...s.derived].reverse(),
        caps: [...s.caps].reverse(),
      }));
      assert.equal(JSON.stringify(resolveSnapshot(registry, reversed), null, 2), c.expectedText);
    });
  }
});
