/**
 * fast-check generators of aggregator inputs, shared by the property tests (properties.test.ts,
 * live-plan.test.ts): contributions and caps over a few dimensions, systems and cap layers.
 */
import fc from "fast-check";
import type { CapContribution, Contribution, SubsystemOutput } from "./types.ts";

/** Pipeline dims, an operator-mode dim (lifespan_years: MAX) and one outside the registry. */
export const DIMS = [
  "strength",
  "vitality",
  "crit_rate",
  "move_speed",
  "lifespan_years",
  "fire_resist",
];
export const SYSTEMS = ["race", "job", "items", "buffs", "zone", "realm", "base"];
export const LAYERS = ["REALM", "WORLD", "EVENT", "TOTAL"];

export type ArbitraryShape = {
  /** Most contributions per section (primary, derived). */
  maxContributions: number;
  maxCaps: number;
  /** Whether values include -0 (the live plan must keep its sign as the resolver does). */
  negativeZero?: boolean;
};

/** Contribution and cap values: integers, doubles and the awkward small ones. */
export function valueArbitrary(negativeZero = false): fc.Arbitrary<number> {
  const special = negativeZero ? [0, -0, 0.1, 0.2, 0.5, -0.5] : [0, 0.1, 0.2, 0.5, -0.5];
  return fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ min: -1000, max: 1000, noNaN: true }),
    fc.constantFrom(...special),
  );
}

/** A contribution's or cap's priority, often absent. */
export const priorityArbitrary = fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined });

export function outputArbitrary(shape: ArbitraryShape): fc.Arbitrary<SubsystemOutput> {
  const value = valueArbitrary(shape.negativeZero);
  const priority = priorityArbitrary;
  const contribution: fc.Arbitrary<Contribution> = fc
    .record({
      dimension: fc.constantFrom(...DIMS),
      bucket: fc.constantFrom("FLAT", "MULT", "POST_ADD", "OVERRIDE" as const),
      value,
      system: fc.constantFrom(...SYSTEMS),
      priority,
    })
    .map(({ priority: p, ...rest }) => (p === undefined ? rest : { ...rest, priority: p }));
  const cap: fc.Arbitrary<CapContribution> = fc
    .record({
      system: fc.constantFrom(...SYSTEMS),
      dimension: fc.constantFrom(...DIMS),
      mode: fc.constantFrom("BASELINE", "ADDITIVE", "OVERRIDE", "HARD_MAX", "HARD_MIN" as const),
      kind: fc.constantFrom("max", "min" as const),
      value,
      scope: fc.constantFrom(...LAYERS),
      priority,
    })
    .map(({ priority: p, ...rest }) => {
      const c = p === undefined ? rest : { ...rest, priority: p };
      return c.scope === "REALM" ? { ...c, realm: "r:1" } : c;
    });
  return fc.record({
    primary: fc.array(contribution, { maxLength: shape.maxContributions }),
    derived: fc.array(contribution, { maxLength: shape.maxContributions }),
    caps: fc.array(cap, { maxLength: shape.maxCaps }),
    meta: fc.record({ system: fc.constantFrom(...SYSTEMS) }),
  });
}
