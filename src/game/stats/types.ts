/**
 * Actor Core data contracts, shaped like the JSON schemas in
 * test/fixtures/actor-core-schemas (snake_case fields, PascalCase snapshot keys).
 */

/** Contribution buckets, applied in this order by the pipeline. */
export const Bucket = {
  FLAT: "FLAT",
  MULT: "MULT",
  POST_ADD: "POST_ADD",
  OVERRIDE: "OVERRIDE",
} as const;
export type Bucket = (typeof Bucket)[keyof typeof Bucket];

/** How a cap contribution combines inside its layer. */
export const CapMode = {
  BASELINE: "BASELINE",
  ADDITIVE: "ADDITIVE",
  OVERRIDE: "OVERRIDE",
  HARD_MAX: "HARD_MAX",
  HARD_MIN: "HARD_MIN",
} as const;
export type CapMode = (typeof CapMode)[keyof typeof CapMode];

/** Which bound a cap contribution sets. */
export const CapKind = { MAX: "max", MIN: "min" } as const;
export type CapKind = (typeof CapKind)[keyof typeof CapKind];

/** How layer ranges combine into one range per dimension. */
export const AcrossPolicy = {
  INTERSECT: "INTERSECT",
  PRIORITIZED_OVERRIDE: "PRIORITIZED_OVERRIDE",
} as const;
export type AcrossPolicy = (typeof AcrossPolicy)[keyof typeof AcrossPolicy];

/** Operator-mode reducers (combiner rules with use_pipeline false). */
export const Operator = {
  SUM: "SUM",
  MAX: "MAX",
  MIN: "MIN",
  AVERAGE: "AVERAGE",
  MULTIPLY: "MULTIPLY",
} as const;
export type Operator = (typeof Operator)[keyof typeof Operator];

/** The cap layer a cap contribution lands in when it names no scope. */
export const DEFAULT_CAP_SCOPE = "TOTAL";

/** One stat contribution. MULT values are deltas: 0.2 multiplies by 1.2. */
export type Contribution = {
  readonly dimension: string;
  readonly bucket: Bucket;
  readonly value: number;
  readonly system: string;
  readonly priority?: number;
};

/** One bound contribution to a dimension's range, in one cap layer (`scope`). */
export type CapContribution = {
  readonly system: string;
  readonly dimension: string;
  readonly mode: CapMode;
  readonly kind: CapKind;
  readonly value: number;
  readonly priority?: number;
  readonly scope?: string;
  readonly realm?: string;
  readonly tags?: readonly string[];
};

/** Context modifier pack; accepted for schema compatibility, not applied by the aggregator. */
export type ModifierPack = {
  readonly additive_percent?: number;
  readonly multipliers?: readonly number[];
  readonly post_add?: number;
};

/** What one subsystem (race, job, equipment, buffs, zone, realm...) emits. */
export type SubsystemOutput = {
  readonly primary: readonly Contribution[];
  readonly derived: readonly Contribution[];
  readonly caps: readonly CapContribution[];
  readonly context?: Readonly<Record<string, ModifierPack>>;
  readonly meta: { readonly system: string; readonly stage?: string; readonly version?: number };
};

/** A closed numeric range. */
export type ClampRange = { readonly min: number; readonly max: number };

/** Combiner rule for one dimension (MergeRule.schema.json, plus AVERAGE and MULTIPLY). */
export type MergeRule = {
  readonly use_pipeline: boolean;
  readonly operator?: Operator;
  readonly clamp_default: ClampRange;
};

/** Combiner registry (Registry.schema.json). */
export type CombinerRegistry = {
  readonly dimensions: Readonly<Record<string, MergeRule>>;
};

/** Cap layer registry (CapLayerRegistry.schema.json). */
export type CapLayerRegistry = {
  readonly order: readonly string[];
  readonly across_policy: AcrossPolicy;
};

/** Effective range of one dimension. */
export type CapRange = { Min: number; Max: number };

/** Resolved stats, in the golden-vector format (Snapshot.schema.json). */
export type Snapshot = {
  Primary: Record<string, number>;
  Derived: Record<string, number>;
  CapsUsed: Record<string, CapRange>;
  Version: number;
};
