import type { CompiledRegistry } from "./registry.ts";
import {
  CapKind,
  DEFAULT_CAP_SCOPE,
  type Bucket,
  type CapMode,
  type SubsystemOutput,
} from "./types.ts";

/** Contribution sections. */
export const Section = { PRIMARY: 0, DERIVED: 1 } as const;

/** Bucket codes, in pipeline order (the first sort key). */
export const BucketCode = {
  FLAT: 0,
  MULT: 1,
  POST_ADD: 2,
  OVERRIDE: 3,
} as const satisfies Record<Bucket, number>;

/** Cap mode codes inside a layer. HARD_MAX always bounds the max, HARD_MIN the min. */
export const CapModeCode = {
  BASELINE: 0,
  ADDITIVE: 1,
  HARD_MAX: 2,
  HARD_MIN: 3,
  OVERRIDE: 4,
} as const satisfies Record<CapMode, number>;

/** Cap kind codes. */
export const KindCode = { MAX: 0, MIN: 1 } as const;

/** Slots of one contribution in a packed Float64Array, ENTRY_STRIDE slots per entry. */
export const EntrySlot = { GROUP: 0, KEY: 1, SYS: 2, VALUE: 3, BUCKET: 4 } as const;
export const ENTRY_STRIDE = 5;

/** Slots of one cap in a packed Float64Array, CAP_STRIDE slots per cap. */
export const CapSlot = { DIM: 0, KEY: 1, SYS: 2, VALUE: 3, KIND: 4, MODE: 5, LAYER: 6 } as const;
export const CAP_STRIDE = 7;

/** Priorities are clamped to ±(2^39 - 1) so a sort key fits a double exactly. */
const PRIORITY_LIMIT = 2 ** 39 - 1;
const KEY_SCALE = 2 ** 40;

/**
 * Sort key for "major asc, priority desc" in one double: major × 2^40 + (2^39 − priority).
 * Major is the bucket code for contributions and the layer index for caps.
 */
export function sortKey(major: number, priority: number): number {
  const p = priority > PRIORITY_LIMIT ? PRIORITY_LIMIT : Math.max(priority, -PRIORITY_LIMIT);
  return major * KEY_SCALE + (PRIORITY_LIMIT + 1 - p);
}

/**
 * One subsystem output, packed: ids from the registry's name tables, one Float64Array for its
 * contributions and one for its caps. Compile it when the source changes; resolving copies these
 * arrays with one memcpy each.
 */
export type CompiledSubsystem = {
  readonly system: string;
  readonly count: number;
  /** ENTRY_STRIDE slots per contribution; GROUP is dimension id × 2 + section. */
  readonly entries: Float64Array;
  readonly capCount: number;
  /** CAP_STRIDE slots per cap. */
  readonly caps: Float64Array;
};

/**
 * Compile one (already validated) subsystem output against a registry; the result is only valid
 * with that registry. Interns new dimension and system names into the registry; caps whose scope
 * is not an active layer are dropped. Throws RangeError on a dimension name that is not
 * snake_case (validate input with parseSubsystemOutputs first).
 */
export function compileSubsystem(
  registry: CompiledRegistry,
  output: SubsystemOutput,
): CompiledSubsystem {
  const count = output.primary.length + output.derived.length;
  const entries = new Float64Array(count * ENTRY_STRIDE);
  let at = 0;
  for (const [section, list] of [
    [Section.PRIMARY, output.primary],
    [Section.DERIVED, output.derived],
  ] as const) {
    for (const c of list) {
      const bucket = BucketCode[c.bucket];
      entries[at + EntrySlot.GROUP] = 2 * registry.dims.intern(c.dimension) + section;
      entries[at + EntrySlot.KEY] = sortKey(bucket, c.priority ?? 0);
      entries[at + EntrySlot.SYS] = registry.systems.intern(c.system);
      entries[at + EntrySlot.VALUE] = c.value + 0; // -0 becomes 0: equal keys mean equal entries
      entries[at + EntrySlot.BUCKET] = bucket;
      at += ENTRY_STRIDE;
    }
  }

  const active = output.caps.filter((c) => registry.layerIndex.has(c.scope ?? DEFAULT_CAP_SCOPE));
  const caps = new Float64Array(active.length * CAP_STRIDE);
  at = 0;
  for (const c of active) {
    const layer = registry.layerIndex.get(c.scope ?? DEFAULT_CAP_SCOPE) ?? 0;
    caps[at + CapSlot.DIM] = registry.dims.intern(c.dimension);
    caps[at + CapSlot.KEY] = sortKey(layer, c.priority ?? 0);
    caps[at + CapSlot.SYS] = registry.systems.intern(c.system);
    caps[at + CapSlot.VALUE] = c.value + 0;
    caps[at + CapSlot.KIND] = c.kind === CapKind.MAX ? KindCode.MAX : KindCode.MIN;
    caps[at + CapSlot.MODE] = CapModeCode[c.mode];
    caps[at + CapSlot.LAYER] = layer;
    at += CAP_STRIDE;
  }
  return { system: output.meta.system, count, entries, capCount: active.length, caps };
}
