import {
  BucketCode,
  CAP_STRIDE,
  CapSlot,
  ENTRY_STRIDE,
  EntrySlot,
  sortKey,
  type CompiledSubsystem,
} from "./compile-subsystem.ts";
import { reduceCaps, sortCaps } from "./effective-caps.ts";
import { reduceEntries, sortEntries } from "./reduce-contributions.ts";
import type { CompiledFormulas, CompiledRegistry } from "./registry.ts";
import { DimFlag, mixShape, SnapshotBuilders, type SnapshotBuilder } from "./snapshot-builder.ts";
import type { Snapshot } from "./types.ts";

/** A compiled subsystem's entries and caps indexed by group and dimension (CSR). */
type Indexed = {
  /** Entry indices of group g: idx[start[g], start[g + 1]) for g < groups. */
  readonly groups: number;
  readonly start: Int32Array;
  readonly idx: Int32Array;
  readonly dims: number;
  readonly capStart: Int32Array;
  readonly capIdx: Int32Array;
  /** Distinct dimensions this subsystem touches (entries or caps). */
  readonly touched: Int32Array;
};

const indexes = new WeakMap<CompiledSubsystem, Indexed>();

/** Compiled subsystems are immutable, so their index is computed once and shared. */
function indexOf(s: CompiledSubsystem): Indexed {
  const known = indexes.get(s);
  if (known !== undefined) return known;
  let groups = 0;
  for (let i = 0; i < s.count; i++) {
    groups = Math.max(groups, (s.entries[i * ENTRY_STRIDE + EntrySlot.GROUP] as number) + 1);
  }
  let dims = 0;
  for (let i = 0; i < s.capCount; i++) {
    dims = Math.max(dims, (s.caps[i * CAP_STRIDE + CapSlot.DIM] as number) + 1);
  }
  const start = csr(s.entries, ENTRY_STRIDE, EntrySlot.GROUP, s.count, groups);
  const capStart = csr(s.caps, CAP_STRIDE, CapSlot.DIM, s.capCount, dims);
  const touched = new Set<number>();
  for (let g = 0; g < groups; g++) if (start.start[g + 1] !== start.start[g]) touched.add(g >> 1);
  for (let d = 0; d < dims; d++) if (capStart.start[d + 1] !== capStart.start[d]) touched.add(d);
  const index: Indexed = {
    groups,
    start: start.start,
    idx: start.idx,
    dims,
    capStart: capStart.start,
    capIdx: capStart.idx,
    touched: Int32Array.from(touched),
  };
  indexes.set(s, index);
  return index;
}

function csr(data: Float64Array, stride: number, field: number, n: number, keys: number) {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) (start[(data[i * stride + field] as number) + 1] as number)++;
  for (let k = 1; k <= keys; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const cursor = start.slice(0, keys);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[(cursor[data[i * stride + field] as number] as number)++] = i;
  return { start, idx };
}

/** Entries and caps of one plan in slot order (double-buffered by LivePlan). */
class Buffers {
  start = new Int32Array(0);
  values = new Float64Array(0);
  buckets = new Uint8Array(0);
  /** Formula index of a placeholder entry, -1 for a contribution. */
  formulaOf = new Int32Array(0);
  capStart = new Int32Array(0);
  capLayer = new Int32Array(0);
  capKind = new Uint8Array(0);
  capMode = new Uint8Array(0);
  capValue = new Float64Array(0);

  reserve(count: number, entries: number, caps: number): void {
    if (this.capStart.length < count + 1) {
      this.start = new Int32Array(4 * count + 1);
      this.capStart = new Int32Array(2 * count + 1);
    }
    if (this.values.length < entries) {
      this.values = new Float64Array(entries * 2);
      this.buckets = new Uint8Array(entries * 2);
      this.formulaOf = new Int32Array(entries * 2);
    }
    if (this.capValue.length < caps) {
      this.capLayer = new Int32Array(caps * 2);
      this.capKind = new Uint8Array(caps * 2);
      this.capMode = new Uint8Array(caps * 2);
      this.capValue = new Float64Array(caps * 2);
    }
  }
}

const builderSets = new WeakMap<CompiledRegistry, SnapshotBuilders>();

/**
 * One character's plan kept between resolves and patched in place: when some compiled
 * subsystems change (same count and order), only the dimensions they touch (before or after) are
 * re-merged and re-reduced, formulas are re-evaluated, and derived dimensions whose formula result
 * changed are re-reduced; everything else keeps last time's values. Arithmetic and canonical
 * order are the Resolver's, so results are bit-identical to a full resolve. Any change of the
 * plan's shape (a dimension appearing or disappearing, a section or caps appearing) or of the
 * registry's name tables rebuilds the whole plan.
 */
export class LivePlan {
  private readonly registry: CompiledRegistry;
  private readonly builders: SnapshotBuilders;
  private sources: CompiledSubsystem[] = [];
  /** indexOf(sources[i]), looked up once per resolve. */
  private readonly ix: Indexed[] = [];
  private built = false;
  private knownDims = -1;
  private knownSystems = -1;
  private cur = new Buffers();
  private next = new Buffers();

  // per slot (stable while the shape is)
  private count = 0;
  private slotOf = new Int32Array(0);
  private dimOf = new Int32Array(0);
  private flags = new Uint8Array(0);
  private shape = new Int32Array(0);
  private build: SnapshotBuilder | null = null;
  private primary = new Float64Array(0);
  private derived = new Float64Array(0);
  private capMin = new Float64Array(0);
  private capMax = new Float64Array(0);
  private dirty = new Uint8Array(0);

  // formulas: value slot, inputs linked to slots, last results
  private readonly formulaCount: number;
  /** Formula index per dimension id, -1 where none (one formula per dimension at most). */
  private readonly formulaOfDim: Int32Array;
  private readonly formulaSlot: Int32Array;
  private readonly formulaValue: Float64Array;
  private readonly termStart: Int32Array;
  private termSlot: Int32Array;
  private termCoef: Float64Array;

  // gather scratch
  private entryScratch = new Float64Array(16 * ENTRY_STRIDE);
  private entryOrder = new Int32Array(16);
  private capScratch = new Float64Array(8 * CAP_STRIDE);
  private capOrder = new Int32Array(8);
  private readonly range = new Float64Array(2);

  constructor(registry: CompiledRegistry) {
    this.registry = registry;
    let builders = builderSets.get(registry);
    if (builders === undefined) builderSets.set(registry, (builders = new SnapshotBuilders()));
    this.builders = builders;
    const f = registry.formulas;
    this.formulaCount = f?.count ?? 0;
    let maxDim = -1;
    for (let i = 0; i < this.formulaCount; i++) maxDim = Math.max(maxDim, f?.dim[i] ?? 0);
    this.formulaOfDim = new Int32Array(maxDim + 1).fill(-1);
    for (let i = 0; i < this.formulaCount; i++) this.formulaOfDim[f?.dim[i] ?? 0] = i;
    this.formulaSlot = new Int32Array(this.formulaCount);
    this.formulaValue = new Float64Array(this.formulaCount);
    this.termStart = new Int32Array(this.formulaCount + 1);
    this.termSlot = new Int32Array(f?.termCoef.length ?? 0);
    this.termCoef = new Float64Array(f?.termCoef.length ?? 0);
  }

  /**
   * Resolve `sources` (any order, but keep it between calls to patch rather than rebuild);
   * `version` becomes Snapshot.Version. Sources are compared with last call's by identity.
   */
  resolve(sources: readonly CompiledSubsystem[], version: number): Snapshot {
    const { dims, systems } = this.registry;
    let full =
      !this.built ||
      sources.length !== this.sources.length ||
      dims.size !== this.knownDims ||
      systems.size !== this.knownSystems;
    this.reservePerDim(dims.size);
    const { dirty, ix } = this;
    if (!full) {
      for (let i = 0; i < sources.length; i++) {
        const now = sources[i] as CompiledSubsystem;
        if (now === this.sources[i]) continue;
        markTouched(dirty, (ix[i] as Indexed).touched);
        ix[i] = indexOf(now);
        markTouched(dirty, (ix[i] as Indexed).touched);
      }
    } else {
      ix.length = 0;
      for (const s of sources) ix.push(indexOf(s));
    }
    this.sources.length = 0;
    for (const s of sources) this.sources.push(s);
    if (!full) full = this.shapeChanged();
    if (full) this.rebuildShape();
    this.emit(full);
    return this.resolveDirty(full, version);
  }

  private reservePerDim(nDims: number): void {
    if (this.dirty.length >= nDims) return;
    const n = nDims * 2;
    this.slotOf = new Int32Array(n);
    this.dimOf = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.shape = new Int32Array(n);
    this.primary = new Float64Array(n);
    this.derived = new Float64Array(n);
    this.capMin = new Float64Array(n);
    this.capMax = new Float64Array(n);
    this.dirty = new Uint8Array(n);
    this.built = false;
  }

  /** Flags a dimension has with the current sources (DimFlag bits). */
  private flagsOf(d: number): number {
    let f = 0;
    for (const ix of this.ix) {
      const g = 2 * d;
      if (g < ix.groups && ix.start[g + 1] !== ix.start[g]) f |= DimFlag.PRIMARY;
      if (g + 1 < ix.groups && ix.start[g + 2] !== ix.start[g + 1]) f |= DimFlag.DERIVED;
      if (d < ix.dims && ix.capStart[d + 1] !== ix.capStart[d]) f |= DimFlag.CAPS;
    }
    if (d < this.formulaOfDim.length && (this.formulaOfDim[d] as number) >= 0) f |= DimFlag.DERIVED;
    return f;
  }

  /** Whether a dirty dimension gains or loses a section or caps (the shape changes). */
  private shapeChanged(): boolean {
    const n = this.registry.dims.size;
    for (let d = 0; d < n; d++) {
      if (this.dirty[d] === 0) continue;
      const slot = this.slotOf[d] as number;
      const now = slot < 0 ? 0 : (this.flags[slot] as number);
      if (this.flagsOf(d) !== now) return true;
    }
    return false;
  }

  /** Slots, shape, snapshot builder and formula links for the current sources. */
  private rebuildShape(): void {
    const { dims, systems, formulas } = this.registry;
    const nDims = dims.size;
    const byRank = dims.byRank;
    let count = 0;
    let hash = 0x811c9dc5;
    for (let r = 0; r < nDims; r++) {
      const d = byRank[r] as number;
      const f = this.flagsOf(d);
      this.slotOf[d] = f === 0 ? -1 : count;
      if (f === 0) continue;
      this.dimOf[count] = d;
      this.flags[count] = f;
      this.shape[count] = (d << 3) | f;
      hash = mixShape(hash, (d << 3) | f);
      count++;
    }
    this.count = count;
    this.build = this.builders.get(this.shape, count, hash, dims.names);
    this.dirty.fill(1, 0, nDims);
    this.knownDims = nDims;
    this.knownSystems = systems.size;
    this.built = true;
    if (formulas === null) return;
    let u = 0;
    for (let i = 0; i < formulas.count; i++) {
      this.termStart[i] = u;
      for (
        let t = formulas.termStart[i] as number;
        t < (formulas.termStart[i + 1] as number);
        t++
      ) {
        const slot = this.slotOf[formulas.termDim[t] as number] as number;
        // a term whose input has no primary value adds 0: leave it out (as PlanBuilder does)
        if (slot < 0 || ((this.flags[slot] as number) & DimFlag.PRIMARY) === 0) continue;
        this.termSlot[u] = slot;
        this.termCoef[u] = formulas.termCoef[t] as number;
        u++;
      }
    }
    this.termStart[formulas.count] = u;
  }

  /** Write the plan into `next`: dirty dimensions re-merged, the rest copied; then swap. */
  private emit(full: boolean): void {
    let nEntries = this.formulaCount;
    let nCaps = 0;
    for (const s of this.sources) {
      nEntries += s.count;
      nCaps += s.capCount;
    }
    const { cur, next, count, dimOf, dirty } = this;
    next.reserve(count, nEntries, nCaps);
    let e = 0;
    let c = 0;
    for (let t = 0; t < count; t++) {
      const d = dimOf[t] as number;
      const fresh = full || dirty[d] === 1;
      for (let sec = 0; sec < 2; sec++) {
        next.start[2 * t + sec] = e;
        e = fresh ? this.mergeGroup(2 * d + sec, e) : copyEntries(cur, next, 2 * t + sec, e);
      }
      next.capStart[t] = c;
      c = fresh ? this.mergeCaps(d, c) : copyCaps(cur, next, t, c);
    }
    next.start[2 * count] = e;
    next.capStart[count] = c;
    for (let k = 0; k < e; k++) {
      const i = next.formulaOf[k] as number;
      if (i >= 0) this.formulaSlot[i] = k;
    }
    this.cur = next;
    this.next = cur;
  }

  /** Gather group g from every source (and its formula placeholder), sort, write at `e`. */
  private mergeGroup(g: number, e: number): number {
    let n = 0;
    for (let si = 0; si < this.sources.length; si++) {
      const s = this.sources[si] as CompiledSubsystem;
      const ix = this.ix[si] as Indexed;
      if (g >= ix.groups) continue;
      const to = ix.start[g + 1] as number;
      for (let k = ix.start[g] as number; k < to; k++) {
        this.reserveEntries(n + 1);
        const from = (ix.idx[k] as number) * ENTRY_STRIDE;
        const to = n * ENTRY_STRIDE;
        for (let f = 0; f < ENTRY_STRIDE; f++) {
          this.entryScratch[to + f] = s.entries[from + f] as number;
        }
        n++;
      }
    }
    const d = g >> 1;
    const formula =
      (g & 1) === 1 && d < this.formulaOfDim.length ? (this.formulaOfDim[d] as number) : -1;
    if (formula >= 0) {
      this.reserveEntries(n + 1);
      // value -Infinity sorts it first among equal (bucket, priority, system), as PlanBuilder
      const at = n * ENTRY_STRIDE;
      this.entryScratch[at + EntrySlot.GROUP] = -1 - formula;
      this.entryScratch[at + EntrySlot.KEY] = sortKey(BucketCode.FLAT, 0);
      this.entryScratch[at + EntrySlot.SYS] = (this.registry.formulas as CompiledFormulas).systemId;
      this.entryScratch[at + EntrySlot.VALUE] = -Infinity;
      this.entryScratch[at + EntrySlot.BUCKET] = BucketCode.FLAT;
      n++;
    }
    const { entryScratch, entryOrder } = this;
    for (let k = 0; k < n; k++) entryOrder[k] = k;
    if (n > 1) sortEntries(entryScratch, this.registry.systems.rank, entryOrder, 0, n);
    const out = this.next;
    for (let k = 0; k < n; k++, e++) {
      const at = (entryOrder[k] as number) * ENTRY_STRIDE;
      const group = entryScratch[at + EntrySlot.GROUP] as number;
      const formula = group < 0 ? -1 - group : -1;
      out.formulaOf[e] = formula;
      out.values[e] =
        formula >= 0
          ? (this.formulaValue[formula] as number)
          : (entryScratch[at + EntrySlot.VALUE] as number);
      out.buckets[e] = entryScratch[at + EntrySlot.BUCKET] as number;
    }
    return e;
  }

  /** Gather dimension d's caps from every source, sort, write at `c`. */
  private mergeCaps(d: number, c: number): number {
    let n = 0;
    for (let si = 0; si < this.sources.length; si++) {
      const s = this.sources[si] as CompiledSubsystem;
      const ix = this.ix[si] as Indexed;
      if (d >= ix.dims) continue;
      const to = ix.capStart[d + 1] as number;
      for (let k = ix.capStart[d] as number; k < to; k++) {
        if ((n + 1) * CAP_STRIDE > this.capScratch.length) {
          const grown = new Float64Array(this.capScratch.length * 2);
          grown.set(this.capScratch);
          this.capScratch = grown;
          this.capOrder = new Int32Array(this.capOrder.length * 2);
        }
        const from = (ix.capIdx[k] as number) * CAP_STRIDE;
        const to = n * CAP_STRIDE;
        for (let f = 0; f < CAP_STRIDE; f++) this.capScratch[to + f] = s.caps[from + f] as number;
        n++;
      }
    }
    const { capScratch, capOrder } = this;
    for (let k = 0; k < n; k++) capOrder[k] = k;
    if (n > 1) sortCaps(capScratch, this.registry.systems.rank, capOrder, 0, n);
    const out = this.next;
    for (let k = 0; k < n; k++, c++) {
      const at = (capOrder[k] as number) * CAP_STRIDE;
      out.capLayer[c] = capScratch[at + CapSlot.LAYER] as number;
      out.capKind[c] = capScratch[at + CapSlot.KIND] as number;
      out.capMode[c] = capScratch[at + CapSlot.MODE] as number;
      out.capValue[c] = capScratch[at + CapSlot.VALUE] as number;
    }
    return c;
  }

  private reserveEntries(n: number): void {
    if (n * ENTRY_STRIDE <= this.entryScratch.length) return;
    const grown = new Float64Array(this.entryScratch.length * 2);
    grown.set(this.entryScratch);
    this.entryScratch = grown;
    this.entryOrder = new Int32Array(this.entryOrder.length * 2);
  }

  /**
   * Caps and sections of dirty dimensions, then formulas (a changed result dirties its derived
   * dimension), then the remaining dirty derived sections; the same steps as Resolver.resolvePlan.
   */
  private resolveDirty(full: boolean, version: number): Snapshot {
    const { cur, count, dimOf, flags, dirty, primary, derived, capMin, capMax, range } = this;
    const { op, clampMin, clampMax } = this.registry.dims;
    const prioritized = this.registry.prioritizedOverride;
    let primariesChanged = false;
    for (let t = 0; t < count; t++) {
      const d = dimOf[t] as number;
      if (!full && dirty[d] === 0) continue;
      const from = cur.capStart[t] as number;
      const to = cur.capStart[t + 1] as number;
      const lo = clampMin[d] as number;
      const hi = clampMax[d] as number;
      if (from === to) {
        capMin[t] = lo;
        capMax[t] = hi;
      } else {
        reduceCaps(cur, from, to, prioritized, lo, hi, range);
        capMin[t] = range[0] as number;
        capMax[t] = range[1] as number;
      }
      if (((flags[t] as number) & DimFlag.PRIMARY) === 0) continue;
      const v = reduceEntries(
        cur.values,
        cur.buckets,
        cur.start[2 * t] as number,
        cur.start[2 * t + 1] as number,
        op[d] as number,
      );
      const a = capMin[t] as number;
      const b = capMax[t] as number;
      const clamped = v < a ? a : v > b ? b : v;
      if (!sameNumber(clamped, primary[t] as number)) primariesChanged = true;
      primary[t] = clamped;
    }
    const { termStart, termSlot, termCoef, formulaSlot, formulaValue } = this;
    const formulas = this.registry.formulas;
    // formulas read only primaries: unchanged primaries, unchanged results
    const formulaCount = full || primariesChanged ? this.formulaCount : 0;
    for (let i = 0; i < formulaCount; i++) {
      let v = (formulas as NonNullable<typeof formulas>).base[i] as number;
      const end = termStart[i + 1] as number;
      for (let u = termStart[i] as number; u < end; u++) {
        v += (termCoef[u] as number) * (primary[termSlot[u] as number] as number);
      }
      if (!full && sameNumber(v, formulaValue[i] as number)) continue;
      formulaValue[i] = v;
      cur.values[formulaSlot[i] as number] = v;
      dirty[(formulas as NonNullable<typeof formulas>).dim[i] as number] = 1;
    }
    for (let t = 0; t < count; t++) {
      const d = dimOf[t] as number;
      if (!full && dirty[d] === 0) continue;
      dirty[d] = 0;
      if (((flags[t] as number) & DimFlag.DERIVED) === 0) continue;
      const v = reduceEntries(
        cur.values,
        cur.buckets,
        cur.start[2 * t + 1] as number,
        cur.start[2 * t + 2] as number,
        op[d] as number,
      );
      const a = capMin[t] as number;
      const b = capMax[t] as number;
      derived[t] = v < a ? a : v > b ? b : v;
    }
    if (full) this.dirty.fill(0);
    return (this.build as SnapshotBuilder)(primary, derived, capMin, capMax, version);
  }
}

/** Equal including the sign of zero (a -0 formula result must reach the snapshot as -0). */
function sameNumber(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}

function markTouched(dirty: Uint8Array, dims: Int32Array): void {
  for (let i = 0; i < dims.length; i++) dirty[dims[i] as number] = 1;
}

function copyEntries(from: Buffers, to: Buffers, group: number, e: number): number {
  const a = from.start[group] as number;
  const b = from.start[group + 1] as number;
  for (let k = a; k < b; k++, e++) {
    to.values[e] = from.values[k] as number;
    to.buckets[e] = from.buckets[k] as number;
    to.formulaOf[e] = from.formulaOf[k] as number;
  }
  return e;
}

function copyCaps(from: Buffers, to: Buffers, t: number, c: number): number {
  const a = from.capStart[t] as number;
  const b = from.capStart[t + 1] as number;
  for (let k = a; k < b; k++, c++) {
    to.capLayer[c] = from.capLayer[k] as number;
    to.capKind[c] = from.capKind[k] as number;
    to.capMode[c] = from.capMode[k] as number;
    to.capValue[c] = from.capValue[k] as number;
  }
  return c;
}
