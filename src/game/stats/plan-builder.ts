import {
  BucketCode,
  CAP_STRIDE,
  CapSlot,
  ENTRY_STRIDE,
  EntrySlot,
  Section,
  sortKey,
  type CompiledSubsystem,
} from "./compile-subsystem.ts";
import { copyPlan, reservePlan, type CharacterPlan, type MutablePlan } from "./character-plan.ts";
import { sortCaps } from "./effective-caps.ts";
import { sortEntries } from "./reduce-contributions.ts";
import type { CompiledRegistry } from "./registry.ts";
import { DimFlag, mixShape, SnapshotBuilders } from "./snapshot-builder.ts";

/** Merges compiled subsystems into plans; holds reusable scratch buffers (not re-entrant). */
export class PlanBuilder {
  private readonly registry: CompiledRegistry;
  private readonly builders = new SnapshotBuilders();
  private entries = new Float64Array(64 * ENTRY_STRIDE);
  private entryOrder = new Int32Array(64);
  private caps = new Float64Array(32 * CAP_STRIDE);
  private capOrder = new Int32Array(32);
  private groupStart = new Int32Array(0);
  private capStart = new Int32Array(0);
  private flags = new Uint8Array(0);
  private slotOf = new Int32Array(0);
  private shape = new Int32Array(0);
  private scratch: MutablePlan | null = null;

  constructor(registry: CompiledRegistry) {
    this.registry = registry;
  }

  /** Merge, group and sort `sources` (any order) into a new plan of its own. */
  build(sources: readonly CompiledSubsystem[]): CharacterPlan {
    return copyPlan(this.buildScratch(sources));
  }

  /**
   * Like build, into a plan reused by the next call: valid until then, and no allocation in
   * steady state. For resolving right away.
   */
  buildScratch(sources: readonly CompiledSubsystem[]): CharacterPlan {
    const { nEntries, nCaps } = this.collect(sources);
    const { registry, entries, caps, entryOrder, capOrder, groupStart, flags, slotOf } = this;
    const { dims, systems } = registry;
    const nDims = dims.size;
    const rank = systems.rank;
    const byRank = dims.byRank;

    let count = 0;
    let hash = 0x811c9dc5;
    for (let r = 0; r < nDims; r++) {
      const d = byRank[r] as number;
      const f = flags[d] as number;
      slotOf[d] = f === 0 ? -1 : count;
      if (f === 0) continue;
      this.shape[count] = (d << 3) | f;
      hash = mixShape(hash, (d << 3) | f);
      count++;
    }
    const plan = reservePlan(this.scratch, count, nEntries, nCaps, registry);
    this.scratch = plan;
    plan.count = count;
    plan.entryCount = nEntries;
    plan.capCount = nCaps;
    const firstPlaceholder = nEntries - plan.formulaCount;
    let e = 0;
    let c = 0;
    for (let t = 0; t < count; t++) {
      const d = (this.shape[t] as number) >> 3;
      plan.flags[t] = (this.shape[t] as number) & 7;
      plan.op[t] = dims.op[d] as number;
      plan.clampMin[t] = dims.clampMin[d] as number;
      plan.clampMax[t] = dims.clampMax[d] as number;
      for (let sec = 0; sec < 2; sec++) {
        const from = groupStart[2 * d + sec] as number;
        const to = groupStart[2 * d + sec + 1] as number;
        if (to - from > 1) sortEntries(entries, rank, entryOrder, from, to);
        plan.start[2 * t + sec] = e;
        for (let i = from; i < to; i++, e++) {
          const at = (entryOrder[i] as number) * ENTRY_STRIDE;
          plan.values[e] = entries[at + EntrySlot.VALUE] as number;
          plan.buckets[e] = entries[at + EntrySlot.BUCKET] as number;
          const source = entryOrder[i] as number;
          if (source >= firstPlaceholder) plan.formulaSlot[source - firstPlaceholder] = e;
        }
      }
      const from = this.capStart[d] as number;
      const to = this.capStart[d + 1] as number;
      if (to - from > 1) sortCaps(caps, rank, capOrder, from, to);
      plan.capStart[t] = c;
      for (let i = from; i < to; i++, c++) {
        const at = (capOrder[i] as number) * CAP_STRIDE;
        plan.capLayer[c] = caps[at + CapSlot.LAYER] as number;
        plan.capKind[c] = caps[at + CapSlot.KIND] as number;
        plan.capMode[c] = caps[at + CapSlot.MODE] as number;
        plan.capValue[c] = caps[at + CapSlot.VALUE] as number;
      }
    }
    plan.start[2 * count] = e;
    plan.capStart[count] = c;
    this.linkFormulas(plan);
    plan.build = this.builders.get(this.shape, count, hash, dims.names);
    return plan;
  }

  /** Copy entries and caps into scratch (one memcpy per source) and group them by dimension. */
  private collect(sources: readonly CompiledSubsystem[]): { nEntries: number; nCaps: number } {
    const nDims = this.registry.dims.size;
    const formulas = this.registry.formulas;
    let n = formulas?.count ?? 0;
    let k = 0;
    for (const s of sources) {
      n += s.count;
      k += s.capCount;
    }
    this.reserve(n, k, nDims);
    const { entries, caps, flags, groupStart, capStart, entryOrder, capOrder } = this;
    flags.fill(0, 0, nDims);
    groupStart.fill(0, 0, 2 * nDims + 1);
    capStart.fill(0, 0, nDims + 1);
    n = 0;
    k = 0;
    for (const s of sources) {
      entries.set(s.entries, n * ENTRY_STRIDE);
      caps.set(s.caps, k * CAP_STRIDE);
      n += s.count;
      k += s.capCount;
    }
    if (formulas !== null) {
      // placeholders: value -Infinity sorts them first among equal (bucket, priority, system)
      const key = sortKey(BucketCode.FLAT, 0);
      for (let i = 0, at = n * ENTRY_STRIDE; i < formulas.count; i++, at += ENTRY_STRIDE) {
        entries[at + EntrySlot.GROUP] = 2 * (formulas.dim[i] as number) + Section.DERIVED;
        entries[at + EntrySlot.KEY] = key;
        entries[at + EntrySlot.SYS] = formulas.systemId;
        entries[at + EntrySlot.VALUE] = -Infinity;
        entries[at + EntrySlot.BUCKET] = BucketCode.FLAT;
      }
      n += formulas.count;
    }
    for (let i = 0, at = EntrySlot.GROUP; i < n; i++, at += ENTRY_STRIDE) {
      const g = entries[at] as number;
      (groupStart[g + 1] as number)++;
      flags[g >> 1] = (flags[g >> 1] as number) | ((g & 1) + 1); // section 0 PRIMARY, 1 DERIVED
    }
    for (let i = 0, at = CapSlot.DIM; i < k; i++, at += CAP_STRIDE) {
      const d = caps[at] as number;
      (capStart[d + 1] as number)++;
      flags[d] = (flags[d] as number) | DimFlag.CAPS;
    }
    for (let g = 1; g <= 2 * nDims; g++) {
      groupStart[g] = (groupStart[g] as number) + (groupStart[g - 1] as number);
    }
    for (let d = 1; d <= nDims; d++) {
      capStart[d] = (capStart[d] as number) + (capStart[d - 1] as number);
    }
    // place with each group's start as a cursor; afterwards start[g] holds the end of g
    for (let i = 0, at = EntrySlot.GROUP; i < n; i++, at += ENTRY_STRIDE) {
      entryOrder[(groupStart[entries[at] as number] as number)++] = i;
    }
    for (let i = 0, at = CapSlot.DIM; i < k; i++, at += CAP_STRIDE) {
      capOrder[(capStart[caps[at] as number] as number)++] = i;
    }
    groupStart.copyWithin(1, 0, 2 * nDims);
    groupStart[0] = 0;
    capStart.copyWithin(1, 0, nDims);
    capStart[0] = 0;
    return { nEntries: n, nCaps: k };
  }

  /** Point each formula's inputs at primary slots (its value slot is set while emitting). */
  private linkFormulas(plan: MutablePlan): void {
    const f = this.registry.formulas;
    if (f === null) return;
    let u = 0;
    for (let i = 0; i < f.count; i++) {
      plan.formulaBase[i] = f.base[i] as number;
      plan.termStart[i] = u;
      for (let t = f.termStart[i] as number; t < (f.termStart[i + 1] as number); t++) {
        const slot = this.slotOf[f.termDim[t] as number] as number;
        // a term whose input has no primary value adds 0: leave it out
        if (slot < 0 || ((plan.flags[slot] as number) & DimFlag.PRIMARY) === 0) continue;
        plan.termSlot[u] = slot;
        plan.termCoef[u] = f.termCoef[t] as number;
        u++;
      }
    }
    plan.termStart[f.count] = u;
  }

  private reserve(nEntries: number, nCaps: number, nDims: number): void {
    if (this.entryOrder.length < nEntries) {
      this.entries = new Float64Array(nEntries * 2 * ENTRY_STRIDE);
      this.entryOrder = new Int32Array(nEntries * 2);
    }
    if (this.capOrder.length < nCaps) {
      this.caps = new Float64Array(nCaps * 2 * CAP_STRIDE);
      this.capOrder = new Int32Array(nCaps * 2);
    }
    if (this.flags.length < nDims) {
      const n = nDims * 2;
      this.groupStart = new Int32Array(2 * n + 1);
      this.capStart = new Int32Array(n + 1);
      this.flags = new Uint8Array(n);
      this.slotOf = new Int32Array(n);
      this.shape = new Int32Array(n);
    }
  }
}
