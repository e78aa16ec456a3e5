import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_COMBINER_REGISTRY, DEFAULT_DERIVED_FORMULAS } from "./default-registry.ts";
import { compileRegistry } from "./registry.ts";
import {
  DIMS,
  LAYERS,
  outputArbitrary,
  priorityArbitrary as priority,
  SYSTEMS,
} from "./stat-arbitraries.ts";
import { compileSubsystems, resolveSnapshot, Resolver } from "./stats.ts";
import type { AcrossPolicy, Contribution, Snapshot, SubsystemOutput } from "./types.ts";

const PIPELINE_DIMS = DIMS.filter((d) => d !== "lifespan_years");
const outputArb = outputArbitrary({ maxContributions: 8, maxCaps: 5 });

const characterArb = fc.array(outputArb, { minLength: 1, maxLength: 6 });
const policyArb = fc.constantFrom<AcrossPolicy>("INTERSECT", "PRIORITIZED_OVERRIDE");

function registryFor(policy: AcrossPolicy, withFormulas: boolean) {
  return compileRegistry(
    DEFAULT_COMBINER_REGISTRY,
    { order: LAYERS, across_policy: policy },
    withFormulas ? { formulas: DEFAULT_DERIVED_FORMULAS } : {},
  );
}

/** Deterministic Fisher-Yates from a seed (mulberry32). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function shuffleCharacter(outputs: SubsystemOutput[], seed: number): SubsystemOutput[] {
  return shuffle(outputs, seed).map((o, i) => ({
    ...o,
    primary: shuffle(o.primary, seed + 1 + i),
    derived: shuffle(o.derived, seed + 101 + i),
    caps: shuffle(o.caps, seed + 201 + i),
  }));
}

describe("stat aggregator properties", () => {
  it("produces the same snapshot when subsystems and their lists are shuffled", () => {
    fc.assert(
      fc.property(
        characterArb,
        policyArb,
        fc.boolean(),
        fc.integer(),
        (outputs, policy, f, seed) => {
          const registry = registryFor(policy, f);
          const expected = resolveSnapshot(registry, outputs);
          const shuffled = resolveSnapshot(registry, shuffleCharacter(outputs, seed));
          assert.deepStrictEqual(shuffled, expected);
          assert.equal(JSON.stringify(shuffled), JSON.stringify(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("produces equal snapshots when resolving twice, by any path", () => {
    fc.assert(
      fc.property(characterArb, policyArb, fc.boolean(), (outputs, policy, f) => {
        const registry = registryFor(policy, f);
        const before = JSON.stringify(outputs);
        const resolver = new Resolver(registry);
        const compiled = compileSubsystems(registry, outputs);
        const plan = resolver.compile(compiled);
        const first = resolver.resolve(compiled);
        assert.deepStrictEqual(resolver.resolve(compiled), first);
        assert.deepStrictEqual(resolver.resolvePlan(plan), first);
        assert.deepStrictEqual(resolver.resolvePlan(plan), first);
        assert.deepStrictEqual(resolveSnapshot(registry, outputs), first);
        assert.equal(JSON.stringify(outputs), before, "inputs must not be mutated");
      }),
      { numRuns: 200 },
    );
  });

  it("keeps every final value inside its effective caps and its combiner default", () => {
    fc.assert(
      fc.property(characterArb, policyArb, fc.boolean(), (outputs, policy, f) => {
        const s: Snapshot = resolveSnapshot(registryFor(policy, f), outputs);
        for (const [dim, range] of Object.entries(s.CapsUsed)) {
          assert.ok(range.Min <= range.Max, `${dim}: ${range.Min} > ${range.Max}`);
          const rule = DEFAULT_COMBINER_REGISTRY.dimensions[dim]?.clamp_default;
          if (rule) assert.ok(range.Min >= rule.min && range.Max <= rule.max, dim);
        }
        for (const values of [s.Primary, s.Derived]) {
          for (const [dim, v] of Object.entries(values)) {
            const range = s.CapsUsed[dim];
            assert.ok(range, `${dim} has no CapsUsed entry`);
            assert.ok(
              v >= range.Min && v <= range.Max,
              `${dim}=${v} outside ${JSON.stringify(range)}`,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("leaves the snapshot unchanged when a MULT of 0 is added to a pipeline dimension", () => {
    fc.assert(
      fc.property(
        characterArb,
        fc.constantFrom(...PIPELINE_DIMS),
        fc.constantFrom(...SYSTEMS),
        priority,
        fc.boolean(),
        (outputs, dimension, system, p, f) => {
          const registry = registryFor("INTERSECT", f);
          const first = outputs[0] as SubsystemOutput;
          const zero: Contribution = {
            dimension,
            bucket: "MULT",
            value: 0,
            system,
            priority: p ?? 0,
          };
          // only where the dimension already has a contribution, so presence does not change
          const section = first.primary.some((x) => x.dimension === dimension)
            ? "primary"
            : "derived";
          fc.pre(first[section].some((x) => x.dimension === dimension));
          const withZero = [
            { ...first, [section]: [...first[section], zero] },
            ...outputs.slice(1),
          ];
          assert.deepStrictEqual(
            resolveSnapshot(registry, withZero),
            resolveSnapshot(registry, outputs),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
