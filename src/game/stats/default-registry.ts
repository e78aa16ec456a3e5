import capLayersJson from "../../../content/stats/cap-layer-registry.json" with { type: "json" };
import combinersJson from "../../../content/stats/combiner-registry.json" with { type: "json" };
import formulasJson from "../../../content/stats/derived-formulas.json" with { type: "json" };
import { parseDerivedFormulas, type DerivedFormulas } from "./formulas.ts";
import { compileRegistry, type CompiledRegistry } from "./registry.ts";
import { parseCapLayerRegistry, parseCombinerRegistry, type ParseResult } from "./schemas.ts";
import type { CapLayerRegistry, CombinerRegistry } from "./types.ts";

function orThrow<T>(what: string, result: ParseResult<T>): T {
  if (result.ok) return result.value;
  throw new Error(`invalid ${what}: ${result.issues.join("; ")}`);
}

/** Combiner rules from content/stats/combiner-registry.json (validated at import). */
export const DEFAULT_COMBINER_REGISTRY: CombinerRegistry = orThrow(
  "content/stats/combiner-registry.json",
  parseCombinerRegistry(combinersJson),
);

/** Cap layers from content/stats/cap-layer-registry.json: REALM, WORLD, EVENT, TOTAL; INTERSECT. */
export const DEFAULT_CAP_LAYER_REGISTRY: CapLayerRegistry = orThrow(
  "content/stats/cap-layer-registry.json",
  parseCapLayerRegistry(capLayersJson),
);

/** Derived-from-primary formulas from content/stats/derived-formulas.json. */
export const DEFAULT_DERIVED_FORMULAS: DerivedFormulas = orThrow(
  "content/stats/derived-formulas.json",
  parseDerivedFormulas(formulasJson),
);

/**
 * A compiled registry from the default content. `withFormulas` adds the derived formulas (the
 * game's setting); without them the aggregator is the bare Actor Core the golden vectors test.
 */
export function createDefaultRegistry(
  options: { withFormulas?: boolean; capLayers?: CapLayerRegistry } = {},
): CompiledRegistry {
  return compileRegistry(
    DEFAULT_COMBINER_REGISTRY,
    options.capLayers ?? DEFAULT_CAP_LAYER_REGISTRY,
    options.withFormulas ? { formulas: DEFAULT_DERIVED_FORMULAS } : {},
  );
}
