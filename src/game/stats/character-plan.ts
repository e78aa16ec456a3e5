import type { CompiledRegistry } from "./registry.ts";
import type { SnapshotBuilder } from "./snapshot-builder.ts";

/**
 * One character's contributions and caps merged, grouped by dimension and sorted in the
 * canonical order (bucket, priority desc, system asc, value asc), as flat arrays indexed by slot
 * t (the character's dimensions in ascending name order). Immutable: resolving only reads it.
 * Formula results get value slots whose content the resolver supplies; they sort first among
 * entries with the same bucket, priority and system.
 */
export type CharacterPlan = {
  readonly count: number;
  readonly entryCount: number;
  readonly capCount: number;
  readonly flags: Uint8Array;
  readonly op: Uint8Array;
  readonly clampMin: Float64Array;
  readonly clampMax: Float64Array;
  /** Entry ranges per slot: [start[2t + section], start[2t + section + 1]). */
  readonly start: Int32Array;
  readonly values: Float64Array;
  readonly buckets: Uint8Array;
  /** Cap ranges per slot: [capStart[t], capStart[t + 1]). */
  readonly capStart: Int32Array;
  readonly capLayer: Int32Array;
  readonly capKind: Uint8Array;
  readonly capMode: Uint8Array;
  readonly capValue: Float64Array;
  readonly prioritizedOverride: boolean;
  readonly formulaCount: number;
  readonly formulaSlot: Int32Array;
  readonly formulaBase: Float64Array;
  /** Terms per formula: [termStart[i], termStart[i + 1]); inputs as slots with a primary value. */
  readonly termStart: Int32Array;
  readonly termSlot: Int32Array;
  readonly termCoef: Float64Array;
  readonly build: SnapshotBuilder;
};

/** A plan under construction (PlanBuilder's scratch). */
export type MutablePlan = { -readonly [K in keyof CharacterPlan]: CharacterPlan[K] };

/** `plan` when it is large enough for these sizes, else a new plan with room to grow. */
export function reservePlan(
  plan: MutablePlan | null,
  count: number,
  nEntries: number,
  nCaps: number,
  registry: CompiledRegistry,
): MutablePlan {
  const f = registry.formulas;
  const formulaCount = f?.count ?? 0;
  const terms = f?.termCoef.length ?? 0;
  if (
    plan !== null &&
    plan.flags.length >= count &&
    plan.values.length >= nEntries &&
    plan.capValue.length >= nCaps &&
    plan.formulaSlot.length === formulaCount &&
    plan.termCoef.length === terms
  ) {
    return plan;
  }
  return allocatePlan(count * 2, nEntries * 2, nCaps * 2, formulaCount, terms, registry);
}

function allocatePlan(
  count: number,
  nEntries: number,
  nCaps: number,
  formulaCount: number,
  terms: number,
  registry: CompiledRegistry,
): MutablePlan {
  return {
    count,
    entryCount: nEntries,
    capCount: nCaps,
    flags: new Uint8Array(count),
    op: new Uint8Array(count),
    clampMin: new Float64Array(count),
    clampMax: new Float64Array(count),
    start: new Int32Array(2 * count + 1),
    values: new Float64Array(nEntries),
    buckets: new Uint8Array(nEntries),
    capStart: new Int32Array(count + 1),
    capLayer: new Int32Array(nCaps),
    capKind: new Uint8Array(nCaps),
    capMode: new Uint8Array(nCaps),
    capValue: new Float64Array(nCaps),
    prioritizedOverride: registry.prioritizedOverride,
    formulaCount,
    formulaSlot: new Int32Array(formulaCount),
    formulaBase: new Float64Array(formulaCount),
    termStart: new Int32Array(formulaCount + 1),
    termSlot: new Int32Array(terms),
    termCoef: new Float64Array(terms),
    build: () => {
      throw new Error("unreachable: plan not built");
    },
  };
}

/** An exact-size copy of a plan. */
export function copyPlan(p: CharacterPlan): CharacterPlan {
  const terms = p.termStart[p.formulaCount] as number;
  return {
    count: p.count,
    entryCount: p.entryCount,
    capCount: p.capCount,
    flags: p.flags.slice(0, p.count),
    op: p.op.slice(0, p.count),
    clampMin: p.clampMin.slice(0, p.count),
    clampMax: p.clampMax.slice(0, p.count),
    start: p.start.slice(0, 2 * p.count + 1),
    values: p.values.slice(0, p.entryCount),
    buckets: p.buckets.slice(0, p.entryCount),
    capStart: p.capStart.slice(0, p.count + 1),
    capLayer: p.capLayer.slice(0, p.capCount),
    capKind: p.capKind.slice(0, p.capCount),
    capMode: p.capMode.slice(0, p.capCount),
    capValue: p.capValue.slice(0, p.capCount),
    prioritizedOverride: p.prioritizedOverride,
    formulaCount: p.formulaCount,
    formulaSlot: p.formulaSlot.slice(),
    formulaBase: p.formulaBase.slice(),
    termStart: p.termStart.slice(),
    termSlot: p.termSlot.slice(0, terms),
    termCoef: p.termCoef.slice(0, terms),
    build: p.build,
  };
}
