/**
 * Actor Core stat aggregator: public API.
 *
 *   const registry = createDefaultRegistry({ withFormulas: true }); // or compileRegistry(...)
 *   resolveSnapshot(registry, outputs)                  // one-off, from subsystem outputs
 *   new StatCache(registry).resolve(charId, sources)    // per character, recompute on change
 *   const resolver = new Resolver(registry);            // reuse: scratch buffers
 *   resolver.resolve(compileSubsystems(registry, outputs))
 *   const plan = resolver.compile(compiled);            // merged + sorted once per character
 *   resolver.resolvePlan(plan)                          // hot path: arithmetic + snapshot only
 */
import { compileSubsystem, type CompiledSubsystem } from "./compile-subsystem.ts";
import type { CompiledRegistry } from "./registry.ts";
import { Resolver } from "./resolver.ts";
import type { Snapshot, SubsystemOutput } from "./types.ts";

export * from "./types.ts";
export { compileRegistry, FALLBACK_RULE } from "./registry.ts";
export type { CompiledRegistry, CompileRegistryOptions } from "./registry.ts";
export { compileSubsystem } from "./compile-subsystem.ts";
export type { CompiledSubsystem } from "./compile-subsystem.ts";
export type { CharacterPlan } from "./character-plan.ts";
export { Resolver } from "./resolver.ts";
export { StatCache } from "./stat-cache.ts";
export type { StatSource } from "./stat-cache.ts";
export { deriveStats, derivedFormulasSchema, parseDerivedFormulas } from "./formulas.ts";
export type { DerivedFormulas } from "./formulas.ts";
export {
  parseCapLayerRegistry,
  parseCombinerRegistry,
  parseSubsystemOutputs,
  subsystemOutputSchema,
} from "./schemas.ts";
export type { ParseResult } from "./schemas.ts";
export {
  createDefaultRegistry,
  DEFAULT_CAP_LAYER_REGISTRY,
  DEFAULT_COMBINER_REGISTRY,
  DEFAULT_DERIVED_FORMULAS,
} from "./default-registry.ts";

const resolvers = new WeakMap<CompiledRegistry, Resolver>();

/**
 * Resolve validated subsystem outputs (any order) into a snapshot in the golden-vector format.
 * Compiles every output on each call; keep compiled subsystems (StatCache does) for hot paths.
 */
export function resolveSnapshot(
  registry: CompiledRegistry,
  subsystems: readonly SubsystemOutput[],
  version = 1,
): Snapshot {
  let resolver = resolvers.get(registry);
  if (resolver === undefined) {
    resolver = new Resolver(registry);
    resolvers.set(registry, resolver);
  }
  return resolver.resolve(compileSubsystems(registry, subsystems), version);
}

/** Compile every (validated) subsystem output; see compileSubsystem. */
export function compileSubsystems(
  registry: CompiledRegistry,
  subsystems: readonly SubsystemOutput[],
): CompiledSubsystem[] {
  return subsystems.map((s) => compileSubsystem(registry, s));
}
