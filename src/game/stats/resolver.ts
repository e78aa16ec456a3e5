import type { CharacterPlan } from "./character-plan.ts";
import { PlanBuilder } from "./plan-builder.ts";
import type { CompiledSubsystem } from "./compile-subsystem.ts";
import { reduceCaps } from "./effective-caps.ts";
import { reduceEntries } from "./reduce-contributions.ts";
import type { CompiledRegistry } from "./registry.ts";
import { DimFlag } from "./snapshot-builder.ts";
import type { Snapshot } from "./types.ts";

/**
 * Resolves characters into Snapshots with reusable scratch buffers (one Resolver serves any
 * number of characters; not re-entrant).
 * - `compile(sources)`: merge, group and sort compiled subsystems into an immutable plan (on change).
 * - `resolvePlan(plan)`: the hot path: caps, bucket pipeline or operator, formulas and clamps,
 *   recomputed from the plan's contributions; allocates only the returned Snapshot.
 * - `resolve(sources)`: both in one call.
 */
export class Resolver {
  private readonly planner: PlanBuilder;
  private values = new Float64Array(64);
  private primary = new Float64Array(32);
  private derived = new Float64Array(32);
  private capMin = new Float64Array(32);
  private capMax = new Float64Array(32);
  private readonly range = new Float64Array(2);

  constructor(registry: CompiledRegistry) {
    this.planner = new PlanBuilder(registry);
  }

  /** Merge compiled subsystems (any order) into a plan for resolvePlan. */
  compile(sources: readonly CompiledSubsystem[]): CharacterPlan {
    return this.planner.build(sources);
  }

  /** Resolve compiled subsystems (any order); `version` becomes Snapshot.Version. */
  resolve(sources: readonly CompiledSubsystem[], version = 1): Snapshot {
    return this.resolvePlan(this.planner.buildScratch(sources), version);
  }

  /** Resolve a plan; `version` becomes Snapshot.Version. */
  resolvePlan(plan: CharacterPlan, version = 1): Snapshot {
    this.reserve(plan);
    this.values.set(plan.values);
    this.resolveCaps(plan);
    this.resolveSection(plan, 0, DimFlag.PRIMARY, this.primary);
    this.applyFormulas(plan);
    this.resolveSection(plan, 1, DimFlag.DERIVED, this.derived);
    return plan.build(this.primary, this.derived, this.capMin, this.capMax, version);
  }

  /** Effective {min, max} per slot: clamp default alone, or layers then clamp default. */
  private resolveCaps(plan: CharacterPlan): void {
    const { count, capStart, clampMin, clampMax, prioritizedOverride } = plan;
    const { capMin, capMax, range } = this;
    for (let t = 0; t < count; t++) {
      const from = capStart[t] as number;
      const to = capStart[t + 1] as number;
      const lo = clampMin[t] as number;
      const hi = clampMax[t] as number;
      if (from === to) {
        capMin[t] = lo;
        capMax[t] = hi;
      } else {
        reduceCaps(plan, from, to, prioritizedOverride, lo, hi, range);
        capMin[t] = range[0] as number;
        capMax[t] = range[1] as number;
      }
    }
  }

  /** Reduce and clamp one section (0 primary, 1 derived) of every slot that has it. */
  private resolveSection(plan: CharacterPlan, sec: number, flag: number, out: Float64Array): void {
    const { count, flags, start, buckets, op } = plan;
    const { values, capMin, capMax } = this;
    for (let t = 0; t < count; t++) {
      if (((flags[t] as number) & flag) === 0) continue;
      const from = start[2 * t + sec] as number;
      const to = start[2 * t + sec + 1] as number;
      const v = reduceEntries(values, buckets, from, to, op[t] as number);
      const lo = capMin[t] as number;
      const hi = capMax[t] as number;
      out[t] = v < lo ? lo : v > hi ? hi : v;
    }
  }

  /** Evaluate formulas from clamped primaries into their value slots. */
  private applyFormulas(plan: CharacterPlan): void {
    const { formulaCount, formulaBase, formulaSlot, termStart, termSlot, termCoef } = plan;
    const { values, primary } = this;
    for (let i = 0; i < formulaCount; i++) {
      let v = formulaBase[i] as number;
      const end = termStart[i + 1] as number;
      for (let u = termStart[i] as number; u < end; u++) {
        v += (termCoef[u] as number) * (primary[termSlot[u] as number] as number);
      }
      values[formulaSlot[i] as number] = v;
    }
  }

  private reserve(plan: CharacterPlan): void {
    if (this.values.length < plan.values.length) {
      this.values = new Float64Array(plan.values.length * 2);
    }
    if (this.primary.length < plan.count) {
      const n = plan.count * 2;
      this.primary = new Float64Array(n);
      this.derived = new Float64Array(n);
      this.capMin = new Float64Array(n);
      this.capMax = new Float64Array(n);
    }
  }
}
