import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_COMBINER_REGISTRY, DEFAULT_DERIVED_FORMULAS } from "./default-registry.ts";
import { GOLDEN_CASES, REFERENCE_COMBINERS } from "./golden-fixtures.test.ts";
import { LivePlan } from "./live-plan.ts";
import { compileRegistry } from "./registry.ts";
import { parseCapLayerRegistry, parseSubsystemOutputs } from "./schemas.ts";
import {
  compileSubsystem,
  compileSubsystems,
  Resolver,
  DEFAULT_CAP_LAYER_REGISTRY,
} from "./stats.ts";
import { LAYERS, outputArbitrary, valueArbitrary } from "./stat-arbitraries.ts";
import type { AcrossPolicy, SubsystemOutput } from "./types.ts";

const value = valueArbitrary(true);
const outputArb = outputArbitrary({ maxContributions: 6, maxCaps: 4, negativeZero: true });

/** The same output with new values (same shape: the plan is patched, not rebuilt). */
function revalue(o: SubsystemOutput, values: readonly number[]): SubsystemOutput {
  let i = 0;
  const next = () => values[i++ % values.length] ?? 1;
  return {
    ...o,
    primary: o.primary.map((c) => ({ ...c, value: next() })),
    derived: o.derived.map((c) => ({ ...c, value: next() })),
    caps: o.caps.map((c) => ({ ...c, value: next() })),
  };
}

type Step = { source: number; output: SubsystemOutput | null; values: number[] };

const stepArb: fc.Arbitrary<Step> = fc.record({
  source: fc.nat({ max: 5 }),
  // null: keep the shape and change values only
  output: fc.option(outputArb, { nil: null, freq: 3 }),
  values: fc.array(value, { minLength: 1, maxLength: 5 }),
});

function registryFor(policy: AcrossPolicy, withFormulas: boolean) {
  return compileRegistry(
    DEFAULT_COMBINER_REGISTRY,
    { order: LAYERS, across_policy: policy },
    withFormulas ? { formulas: DEFAULT_DERIVED_FORMULAS } : {},
  );
}

describe("live plan", () => {
  it("gives the full resolver's snapshot, bit for bit, after every change of one source", () => {
    fc.assert(
      fc.property(
        fc.array(outputArb, { minLength: 1, maxLength: 6 }),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<AcrossPolicy>("INTERSECT", "PRIORITIZED_OVERRIDE"),
        fc.boolean(),
        (initial, steps, policy, withFormulas) => {
          const registry = registryFor(policy, withFormulas);
          const resolver = new Resolver(registry);
          const live = new LivePlan(registry);
          const outputs = [...initial];
          const compiled = compileSubsystems(registry, outputs);
          let version = 1;
          assert.deepStrictEqual(live.resolve(compiled, version), resolver.resolve(compiled, 1));
          for (const step of steps) {
            const at = step.source % outputs.length;
            const was = outputs[at] as SubsystemOutput;
            outputs[at] = step.output ?? revalue(was, step.values);
            compiled[at] = compileSubsystem(registry, outputs[at]);
            version++;
            const patched = live.resolve(compiled, version);
            const full = resolver.resolve(compiled, version);
            assert.deepStrictEqual(patched, full);
            assert.equal(JSON.stringify(patched), JSON.stringify(full));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("gives the full resolver's snapshot when sources are added and removed at the end", () => {
    // a buff starting or ending adds or removes a part; past 31 parts the merge scans every one
    const smallArb = outputArbitrary({ maxContributions: 3, maxCaps: 2, negativeZero: true });
    const resizeArb = fc.record({
      add: fc.array(smallArb, { maxLength: 20, size: "max" }),
      remove: fc.nat({ max: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(smallArb, { minLength: 20, maxLength: 40 }),
        fc.array(resizeArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<AcrossPolicy>("INTERSECT", "PRIORITIZED_OVERRIDE"),
        fc.boolean(),
        (initial, steps, policy, withFormulas) => {
          const registry = registryFor(policy, withFormulas);
          const resolver = new Resolver(registry);
          const live = new LivePlan(registry);
          const compiled = compileSubsystems(registry, initial);
          live.resolve(compiled, 1);
          let version = 1;
          for (const step of steps) {
            compiled.length = Math.max(0, compiled.length - step.remove);
            compiled.push(...compileSubsystems(registry, step.add));
            version++;
            const patched = live.resolve(compiled, version);
            const full = resolver.resolve(compiled, version);
            assert.deepStrictEqual(patched, full);
            assert.equal(JSON.stringify(patched), JSON.stringify(full));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("matches every golden vector when its subsystems arrive one change at a time", () => {
    for (const c of GOLDEN_CASES) {
      const parsed = parseSubsystemOutputs(c.subsystems);
      if (!parsed.ok) throw new Error(parsed.issues.join("; "));
      const layers = c.capLayers === null ? null : parseCapLayerRegistry(c.capLayers);
      if (layers !== null && !layers.ok) throw new Error(layers.issues.join("; "));
      const capLayers = layers === null ? DEFAULT_CAP_LAYER_REGISTRY : layers.value;
      const registry = compileRegistry(REFERENCE_COMBINERS, capLayers);
      const live = new LivePlan(registry);
      const target = compileSubsystems(registry, parsed.value);
      // start with each subsystem emptied, then put them back one at a time
      const sources = parsed.value.map((o) =>
        compileSubsystem(registry, { ...o, primary: [], derived: [], caps: [] }),
      );
      live.resolve(sources, 1);
      let last = null;
      for (let i = 0; i < target.length; i++) {
        sources[i] = target[i] as (typeof target)[number];
        last = live.resolve(sources, 1);
      }
      assert.deepStrictEqual(last, c.expected, c.name);
      assert.equal(JSON.stringify(last, null, 2), JSON.stringify(c.expected, null, 2), c.name);
    }
  });
});
