import { orderFormulas, type DerivedFormulas } from "./formulas.ts";
import { NameTable } from "./name-table.ts";
import {
  AcrossPolicy,
  Operator,
  type CapLayerRegistry,
  type ClampRange,
  type CombinerRegistry,
  type MergeRule,
} from "./types.ts";

/** Per-dimension reducer codes: 0 is the bucket pipeline, the rest are operator modes. */
export const OpCode = {
  PIPELINE: 0,
  SUM: 1,
  MAX: 2,
  MIN: 3,
  AVERAGE: 4,
  MULTIPLY: 5,
} as const;
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

const OPERATOR_CODES: Record<Operator, OpCode> = {
  [Operator.SUM]: OpCode.SUM,
  [Operator.MAX]: OpCode.MAX,
  [Operator.MIN]: OpCode.MIN,
  [Operator.AVERAGE]: OpCode.AVERAGE,
  [Operator.MULTIPLY]: OpCode.MULTIPLY,
};

/**
 * Rule for dimensions the combiner registry does not list ("constants clamp ranges"): pipeline,
 * symmetric bounds so a negative stat (a resistance under a debuff) is not silently zeroed.
 */
export const FALLBACK_RULE: MergeRule = {
  use_pipeline: true,
  clamp_default: { min: -1_000_000, max: 1_000_000 },
};

const DIMENSION_NAME = /^[a-z][a-z0-9_]*$/;

function opCodeOf(rule: MergeRule): OpCode {
  if (rule.use_pipeline) return OpCode.PIPELINE;
  return OPERATOR_CODES[rule.operator ?? Operator.SUM];
}

/** Dimension names with their combiner rule as flat arrays indexed by dimension id. */
export class DimensionTable extends NameTable {
  op = new Uint8Array(16);
  clampMin = new Float64Array(16);
  clampMax = new Float64Array(16);

  private readonly fallback: MergeRule;

  constructor(fallback: MergeRule) {
    super();
    this.fallback = fallback;
  }

  /** Id of a dimension, interning it first; names must be snake_case (a bug otherwise). */
  override intern(name: string): number {
    const id = this.find(name);
    if (id >= 0) return id;
    if (!DIMENSION_NAME.test(name))
      throw new RangeError(`bad dimension name ${JSON.stringify(name)}`);
    return super.intern(name);
  }

  /** Set the combiner rule of one dimension id. */
  setRule(id: number, rule: MergeRule): void {
    this.op[id] = opCodeOf(rule);
    this.clampMin[id] = rule.clamp_default.min;
    this.clampMax[id] = rule.clamp_default.max;
  }

  /** Clamp default of one dimension id. */
  clampOf(id: number): ClampRange {
    return { min: this.clampMin[id] ?? 0, max: this.clampMax[id] ?? 0 };
  }

  protected override onGrow(size: number): void {
    if (size > this.op.length) {
      const cap = this.op.length * 2;
      this.op = grow(this.op, new Uint8Array(cap));
      this.clampMin = grow(this.clampMin, new Float64Array(cap));
      this.clampMax = grow(this.clampMax, new Float64Array(cap));
    }
    this.setRule(size - 1, this.fallback);
  }
}

function grow<T extends Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Formulas as flat arrays: output dimension, base, and a CSR list of (input dimension, coef). */
export type CompiledFormulas = {
  readonly systemId: number;
  readonly count: number;
  readonly dim: Int32Array;
  readonly base: Float64Array;
  readonly termStart: Int32Array;
  readonly termDim: Int32Array;
  readonly termCoef: Float64Array;
};

/** Combiner rules, cap layers and formulas, precompiled for the resolver. */
export type CompiledRegistry = {
  /** Active cap layers in registry order; caps in other scopes are ignored. */
  readonly layerNames: readonly string[];
  readonly layerIndex: ReadonlyMap<string, number>;
  readonly prioritizedOverride: boolean;
  readonly dims: DimensionTable;
  readonly systems: NameTable;
  readonly formulas: CompiledFormulas | null;
};

/** Options for compileRegistry. */
export type CompileRegistryOptions = {
  /** Derived-from-primary formulas; omit for a pure aggregator (the golden vectors). */
  readonly formulas?: DerivedFormulas;
  /** Rule for unlisted dimensions; FALLBACK_RULE by default. */
  readonly fallbackRule?: MergeRule;
};

/** Precompile a combiner registry and a cap layer registry (dimension name -> index). */
export function compileRegistry(
  combiners: CombinerRegistry,
  capLayers: CapLayerRegistry,
  options: CompileRegistryOptions = {},
): CompiledRegistry {
  const dims = new DimensionTable(options.fallbackRule ?? FALLBACK_RULE);
  for (const name of Object.keys(combiners.dimensions)) {
    const rule = combiners.dimensions[name];
    if (rule !== undefined) dims.setRule(dims.intern(name), rule);
  }
  const systems = new NameTable();
  const layerIndex = new Map<string, number>();
  capLayers.order.forEach((name, i) => {
    if (!layerIndex.has(name)) layerIndex.set(name, i);
  });
  return {
    layerNames: [...capLayers.order],
    layerIndex,
    prioritizedOverride: capLayers.across_policy === AcrossPolicy.PRIORITIZED_OVERRIDE,
    dims,
    systems,
    formulas: options.formulas ? compileFormulas(options.formulas, dims, systems) : null,
  };
}

function compileFormulas(
  formulas: DerivedFormulas,
  dims: DimensionTable,
  systems: NameTable,
): CompiledFormulas {
  const ordered = orderFormulas(formulas);
  const termCount = ordered.reduce((n, f) => n + f.terms.length, 0);
  const compiled = {
    systemId: systems.intern(formulas.system),
    count: ordered.length,
    dim: new Int32Array(ordered.length),
    base: new Float64Array(ordered.length),
    termStart: new Int32Array(ordered.length + 1),
    termDim: new Int32Array(termCount),
    termCoef: new Float64Array(termCount),
  };
  let t = 0;
  ordered.forEach((f, i) => {
    compiled.dim[i] = dims.intern(f.dimension);
    compiled.base[i] = f.base + 0;
    compiled.termStart[i] = t;
    for (const term of f.terms) {
      compiled.termDim[t] = dims.intern(term.stat);
      compiled.termCoef[t] = term.coef;
      t++;
    }
  });
  compiled.termStart[ordered.length] = t;
  return compiled;
}
