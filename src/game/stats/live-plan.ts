import {
  BucketCode,
  CAP_STRIDE,
  CapSlot,
  ENTRY_STRIDE,
  EntrySlot,
  sortKey,
  type CompiledSubsystem,
} from "./compile-subsystem.ts";
import { reduceCaps, sortCaps, type SortedCaps } from "./effective-caps.ts";
import { reduceEntries } from "./reduce-contributions.ts";
import { OpCode, type CompiledRegistry } from "./registry.ts";
import { DimFlag, mixShape, SnapshotBuilders, type SnapshotParts } from "./snapshot-builder.ts";
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
  /** Groups (dimension id × 2 + section) this subsystem has entries in. */
  readonly touchedGroups: Int32Array;
  /** Dimensions this subsystem has caps on. */
  readonly touchedCaps: Int32Array;
  /**
   * Equal for two subsystems whose entries have the same groups, sort keys, systems and buckets
   * in group order (values may differ): a race or job at another level.
   */
  readonly structure: number;
};

/** Structure ids by entry layout (group, key, system, bucket of each entry in group order). */
const structures = new Map<string, number>();

function structureOf(s: CompiledSubsystem, idx: Int32Array): number {
  let text = "";
  for (let k = 0; k < s.count; k++) {
    const at = (idx[k] as number) * ENTRY_STRIDE;
    const e = s.entries;
    text += `${e[at + EntrySlot.GROUP]},${e[at + EntrySlot.KEY]},${e[at + EntrySlot.SYS]},${e[at + EntrySlot.BUCKET]};`;
  }
  let id = structures.get(text);
  if (id === undefined) structures.set(text, (id = structures.size));
  return id;
}

const indexes = new WeakMap<CompiledSubsystem, Indexed>();

const EMPTY: CompiledSubsystem = {
  system: "",
  count: 0,
  entries: new Float64Array(0),
  capCount: 0,
  caps: new Float64Array(0),
};

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
  const touchedGroups: number[] = [];
  for (let g = 0; g < groups; g++) if (start.start[g + 1] !== start.start[g]) touchedGroups.push(g);
  const touchedCaps: number[] = [];
  for (let d = 0; d < dims; d++) {
    if (capStart.start[d + 1] !== capStart.start[d]) touchedCaps.push(d);
  }
  const index: Indexed = {
    groups,
    start: start.start,
    idx: start.idx,
    dims,
    capStart: capStart.start,
    capIdx: capStart.idx,
    touchedGroups: Int32Array.from(touchedGroups),
    touchedCaps: Int32Array.from(touchedCaps),
    structure: structureOf(s, start.idx),
  };
  indexes.set(s, index);
  return index;
}

const EMPTY_INDEX = indexOf(EMPTY);

/** Sources tracked per group by bit mask; with more, merging scans every source. */
const MASKED_SOURCES = 31;
/** changedSources value of a group merged from every source. */
const CHANGED_ALL = -1;
/** Sort key of a formula placeholder (a FLAT contribution at priority 0). */
const FORMULA_KEY = sortKey(BucketCode.FLAT, 0);

function csr(data: Float64Array, stride: number, field: number, n: number, keys: number) {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) (start[(data[i * stride + field] as number) + 1] as number)++;
  for (let k = 1; k <= keys; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const cursor = start.slice(0, keys);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[(cursor[data[i * stride + field] as number] as number)++] = i;
  return { start, idx };
}

/** Sorted caps of one dimension, scratch for reduceCaps. */
class CapRun implements SortedCaps {
  capLayer = new Int32Array(8);
  capKind = new Uint8Array(8);
  capMode = new Uint8Array(8);
  capValue = new Float64Array(8);

  reserve(n: number): void {
    if (this.capValue.length >= n) return;
    this.capLayer = new Int32Array(n * 2);
    this.capKind = new Uint8Array(n * 2);
    this.capMode = new Uint8Array(n * 2);
    this.capValue = new Float64Array(n * 2);
  }
}

const builderSets = new WeakMap<CompiledRegistry, SnapshotBuilders>();

/**
 * One character's resolved state kept between resolves. Each group (dimension × section) keeps
 * its entries merged from every source in canonical order; when some compiled subsystems change
 * (compared position by position; an empty one stands for a source added or removed at the end),
 * only the groups and cap ranges where the old and new entries differ are re-merged (in place:
 * the changed sources' entries out, their new ones merged in; a source of the same structure,
 * such as a race at the next level, only patches values), only those dimensions are re-reduced,
 * formulas run only when a primary changed, and only derived dimensions whose formula result
 * changed are re-reduced. The snapshot shares the
 * records (Primary, Derived, CapsUsed) no value of which changed with the previous snapshot.
 * Arithmetic and canonical order are the Resolver's, so results are bit-identical to a full
 * resolve. A change of shape (a section or caps appearing or disappearing on a dimension) or of
 * the registry's name tables rebuilds everything.
 */
export class LivePlan {
  private readonly registry: CompiledRegistry;
  private readonly builders: SnapshotBuilders;
  private sources: CompiledSubsystem[] = [];
  /** indexOf(sources[i]). */
  private readonly ix: Indexed[] = [];
  private built = false;
  private knownDims = -1;
  private knownSystems = -1;

  // per group (dimension id × 2 + section) and per dimension id
  /**
   * Merged entries (values, buckets) of every group in one pool, group g at g × groupCap (one
   * block, few cache lines, for the few dozen groups a character has).
   */
  private groupCap = 4;
  private values = new Float64Array(0);
  private buckets = new Uint8Array(0);
  private groupLength = new Int32Array(0);
  /** Offset of the formula placeholder inside its group, -1 where none. */
  private formulaAt = new Int32Array(0);
  /** Bit i set when source i has entries in the group (while there are at most 31 sources). */
  private groupMask = new Int32Array(0);
  /** Source position and offset in its group run of each merged entry (-1: the formula). */
  private slotSource = new Int32Array(0);
  private slotEntry = new Int32Array(0);
  /** Sort key and system rank of each merged entry (the formula placeholder's included). */
  private slotKey = new Float64Array(0);
  private slotRank = new Int32Array(0);
  /**
   * Per group, bit i set when source i's entries in it changed since its last merge (while
   * there are at most 31 sources); CHANGED_ALL to merge it from every source.
   */
  private changedSources = new Int32Array(0);
  /** 1 when no two merged entries of the group share (bucket, priority, system). */
  private tieFree = new Uint8Array(0);
  /** The swap that last patched the group in place. */
  private patchedAt = new Int32Array(0);
  private swapStamp = 0;
  private groupSources = new Int32Array(0);
  private capSources = new Int32Array(0);
  private groupDirty = new Uint8Array(0);
  private capDirty = new Uint8Array(0);
  private dirtyGroups = new Int32Array(0);
  private dirtyCaps = new Int32Array(0);
  private dirtyGroupCount = 0;
  private dirtyCapCount = 0;
  /** Sections (bit 1 primary, bit 2 derived) to re-reduce, per dimension id. */
  private reduce = new Uint8Array(0);
  /** Dimensions with a nonzero `reduce`, so a change re-reduces them without a scan of all. */
  private reduceList = new Int32Array(0);
  private reduceCount = 0;

  // per slot (position in the snapshot's shape; stable while the shape is)
  private count = 0;
  private slotOf = new Int32Array(0);
  private dimOf = new Int32Array(0);
  private flags = new Uint8Array(0);
  private shape = new Int32Array(0);
  private parts: SnapshotParts | null = null;
  private primary = new Float64Array(0);
  private derived = new Float64Array(0);
  private capMin = new Float64Array(0);
  private capMax = new Float64Array(0);

  // the last snapshot's records, shared while their values stay the same
  private primaryRecord: Snapshot["Primary"] = {};
  private derivedRecord: Snapshot["Derived"] = {};
  private capsRecord: Snapshot["CapsUsed"] = {};

  // formulas: inputs linked to slots, last results
  private readonly formulaCount: number;
  /** Formula index per dimension id, -1 where none (one formula per dimension at most). */
  private readonly formulaOfDim: Int32Array;
  private readonly formulaValue: Float64Array;
  private readonly termStart: Int32Array;
  private termSlot: Int32Array;
  private termCoef: Float64Array;

  // merge scratch
  private keyScratch = new Float64Array(16);
  private rankScratch = new Int32Array(16);
  private valueScratch = new Float64Array(16);
  private bucketScratch = new Uint8Array(16);
  private formulaScratch = new Int32Array(16);
  private sourceScratch = new Int32Array(16);
  private offsetScratch = new Int32Array(16);
  private order = new Int32Array(16);
  private capScratch = new Float64Array(8 * CAP_STRIDE);
  private capOrder = new Int32Array(8);
  private readonly capRun = new CapRun();
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
    this.formulaValue = new Float64Array(this.formulaCount);
    this.termStart = new Int32Array(this.formulaCount + 1);
    this.termSlot = new Int32Array(f?.termCoef.length ?? 0);
    this.termCoef = new Float64Array(f?.termCoef.length ?? 0);
  }

  /**
   * Resolve `sources` (any order, but keep it between calls to patch rather than rebuild);
   * `version` becomes Snapshot.Version. Sources are compared with last call's by identity,
   * position by position; sources may be added or removed at the end.
   */
  resolve(sources: readonly CompiledSubsystem[], version: number): Snapshot {
    const { dims, systems } = this.registry;
    let full = !this.built || dims.size !== this.knownDims || systems.size !== this.knownSystems;
    if (!full) {
      const { ix, groupSources, capSources } = this;
      const before = this.sources.length;
      const n = Math.max(before, sources.length);
      // a source added or removed at the end is swapped with an empty one
      for (let i = 0; i < n; i++) {
        const now = i < sources.length ? (sources[i] as CompiledSubsystem) : EMPTY;
        const was = i < before ? (this.sources[i] as CompiledSubsystem) : EMPTY;
        if (now === was) continue;
        const wasIx = i < before ? (ix[i] as Indexed) : EMPTY_INDEX;
        const nowIx = indexOf(now);
        ix[i] = nowIx;
        this.sources[i] = now;
        if (wasIx.structure === nowIx.structure) {
          this.patchValues(i, was, wasIx, now, nowIx);
        } else {
          this.swap(i, was, wasIx, now, nowIx);
          this.moveMask(i, wasIx, nowIx);
        }
      }
      // setting an array's length costs a runtime call even when it does not change
      if (this.sources.length !== sources.length) {
        this.sources.length = sources.length;
        ix.length = sources.length;
      }
      full = this.shapeChanged(groupSources, capSources);
    }
    if (full) this.rebuild(sources);
    const changed = this.resolveDirty(full);
    const parts = this.parts as SnapshotParts;
    if (full || (changed & DimFlag.PRIMARY) !== 0) this.primaryRecord = parts.primary(this.primary);
    if (full || (changed & DimFlag.DERIVED) !== 0) this.derivedRecord = parts.derived(this.derived);
    if (full || (changed & DimFlag.CAPS) !== 0) {
      this.capsRecord = parts.caps(this.capMin, this.capMax);
    }
    return {
      Primary: this.primaryRecord,
      Derived: this.derivedRecord,
      CapsUsed: this.capsRecord,
      Version: version,
    };
  }

  /**
   * Replace source `was` by `now` of the same structure (a race or job at another level): only
   * values differ, so each group whose values changed is patched in place (or merged again) and
   * no group gains or loses a source; caps are compared as in `swap`.
   */
  private patchValues(
    i: number,
    was: CompiledSubsystem,
    wasIx: Indexed,
    now: CompiledSubsystem,
    nowIx: Indexed,
  ): void {
    const groups = nowIx.touchedGroups;
    const { groupDirty, tieFree, slotSource, slotEntry, values, groupLength, groupCap } = this;
    const y = now.entries;
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k] as number;
      const from = nowIx.start[g] as number;
      if (groupDirty[g] === 0 && tieFree[g] === 1) {
        // as `patch`, comparing while writing: the merged entries of source i hold `was` values
        const base = g * groupCap;
        const end = base + (groupLength[g] as number);
        let changed = false;
        for (let m = base; m < end; m++) {
          if (slotSource[m] !== i) continue;
          const v = y[
            (nowIx.idx[from + (slotEntry[m] as number)] as number) * ENTRY_STRIDE + EntrySlot.VALUE
          ] as number;
          if (values[m] === v) continue;
          values[m] = v;
          changed = true;
        }
        if (changed) this.markReduce(g >> 1, (g & 1) === 0 ? DimFlag.PRIMARY : DimFlag.DERIVED);
        continue;
      }
      const to = nowIx.start[g + 1] as number;
      const x = was.entries;
      for (let u = from; u < to; u++) {
        // same structure: same entry order in both
        const at = (nowIx.idx[u] as number) * ENTRY_STRIDE + EntrySlot.VALUE;
        if (x[(wasIx.idx[u] as number) * ENTRY_STRIDE + EntrySlot.VALUE] !== y[at]) {
          this.markGroup(g, i);
          break;
        }
      }
    }
    this.swapCaps(was, wasIx, now, nowIx);
  }

  /**
   * Replace source `was` by `now`: groups and cap ranges where their entries are the same (an
   * unchanged item beside a swapped weapon, a race at the next level) stay as they are; the
   * others count `was` out and `now` in and are marked dirty.
   */
  private swap(
    i: number,
    was: CompiledSubsystem,
    wasIx: Indexed,
    now: CompiledSubsystem,
    nowIx: Indexed,
  ): void {
    const { groupSources } = this;
    const stamp = ++this.swapStamp;
    for (let k = 0; k < wasIx.touchedGroups.length; k++) {
      const g = wasIx.touchedGroups[k] as number;
      const diff = entryDiff(was, wasIx, now, nowIx, g);
      if (diff === Diff.SAME) continue;
      if (diff === Diff.VALUES && this.patch(i, g, now, nowIx, stamp)) continue;
      groupSources[g] = (groupSources[g] as number) - 1;
      this.markGroup(g, i);
    }
    for (let k = 0; k < nowIx.touchedGroups.length; k++) {
      const g = nowIx.touchedGroups[k] as number;
      const diff = entryDiff(was, wasIx, now, nowIx, g);
      if (diff === Diff.SAME) continue;
      if (diff === Diff.VALUES && this.patchedAt[g] === stamp) continue;
      groupSources[g] = (groupSources[g] as number) + 1;
      this.markGroup(g, i);
    }
    this.swapCaps(was, wasIx, now, nowIx);
  }

  /** Cap ranges where `was` and `now` differ count `was` out and `now` in and are marked dirty. */
  private swapCaps(
    was: CompiledSubsystem,
    wasIx: Indexed,
    now: CompiledSubsystem,
    nowIx: Indexed,
  ): void {
    const { capSources } = this;
    for (let k = 0; k < wasIx.touchedCaps.length; k++) {
      const d = wasIx.touchedCaps[k] as number;
      if (sameCaps(was, wasIx, now, nowIx, d)) continue;
      capSources[d] = (capSources[d] as number) - 1;
      this.markCaps(d);
    }
    for (let k = 0; k < nowIx.touchedCaps.length; k++) {
      const d = nowIx.touchedCaps[k] as number;
      if (sameCaps(was, wasIx, now, nowIx, d)) continue;
      capSources[d] = (capSources[d] as number) + 1;
      this.markCaps(d);
    }
  }

  /**
   * Source i's entries in group g changed values only (a race or job at the next level): when
   * no two merged entries of g share (bucket, priority, system), values never decide their
   * order, so the new values are written where the old ones sit and g is re-reduced without a
   * merge. False when g must be merged (ties, or already marked).
   */
  private patch(i: number, g: number, now: CompiledSubsystem, nowIx: Indexed, stamp: number) {
    if (this.groupDirty[g] === 1 || this.tieFree[g] === 0) return false;
    const base = g * this.groupCap;
    const end = base + (this.groupLength[g] as number);
    const from = nowIx.start[g] as number;
    const { slotSource, slotEntry, values } = this;
    for (let m = base; m < end; m++) {
      if (slotSource[m] !== i) continue;
      const at = (nowIx.idx[from + (slotEntry[m] as number)] as number) * ENTRY_STRIDE;
      values[m] = now.entries[at + EntrySlot.VALUE] as number;
    }
    this.markReduce(g >> 1, (g & 1) === 0 ? DimFlag.PRIMARY : DimFlag.DERIVED);
    this.patchedAt[g] = stamp;
    return true;
  }

  /** Source i's bit leaves the groups of `was` and joins those of `now`. */
  private moveMask(i: number, was: Indexed, now: Indexed): void {
    if (i >= MASKED_SOURCES) return;
    const { groupMask } = this;
    const bit = 1 << i;
    for (let k = 0; k < was.touchedGroups.length; k++) {
      const g = was.touchedGroups[k] as number;
      groupMask[g] = (groupMask[g] as number) & ~bit;
    }
    for (let k = 0; k < now.touchedGroups.length; k++) {
      const g = now.touchedGroups[k] as number;
      groupMask[g] = (groupMask[g] as number) | bit;
    }
  }

  /** Sections (DimFlag bits) of dimension d to re-reduce. */
  private markReduce(d: number, sections: number): void {
    const r = this.reduce[d] as number;
    if (r === 0) this.reduceList[this.reduceCount++] = d;
    this.reduce[d] = r | sections;
  }

  /** Group g is merged again: source i's entries in it changed. */
  private markGroup(g: number, i: number): void {
    this.changedSources[g] =
      (this.changedSources[g] as number) | (i < MASKED_SOURCES ? 1 << i : CHANGED_ALL);
    if (this.groupDirty[g] === 1) return;
    this.groupDirty[g] = 1;
    this.dirtyGroups[this.dirtyGroupCount++] = g;
  }

  private markCaps(d: number): void {
    if (this.capDirty[d] === 1) return;
    this.capDirty[d] = 1;
    this.dirtyCaps[this.dirtyCapCount++] = d;
  }

  /** Count a source in (+1) or out (-1) of the groups and caps it touches; mark them dirty. */
  private touch(groups: Int32Array, caps: Int32Array, by: number): void {
    const { groupSources, groupDirty, capSources, capDirty } = this;
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k] as number;
      groupSources[g] = (groupSources[g] as number) + by;
      this.changedSources[g] = CHANGED_ALL;
      if (groupDirty[g] === 1) continue;
      groupDirty[g] = 1;
      this.dirtyGroups[this.dirtyGroupCount++] = g;
    }
    for (let k = 0; k < caps.length; k++) {
      const d = caps[k] as number;
      capSources[d] = (capSources[d] as number) + by;
      if (capDirty[d] === 1) continue;
      capDirty[d] = 1;
      this.dirtyCaps[this.dirtyCapCount++] = d;
    }
  }

  /** Whether a dirty group or cap range appears or disappears (the snapshot's shape changes). */
  private shapeChanged(groupSources: Int32Array, capSources: Int32Array): boolean {
    const { slotOf, flags, formulaOfDim } = this;
    for (let k = 0; k < this.dirtyGroupCount; k++) {
      const g = this.dirtyGroups[k] as number;
      const d = g >> 1;
      const slot = slotOf[d] as number;
      const bit = (g & 1) === 0 ? DimFlag.PRIMARY : DimFlag.DERIVED;
      const had = slot >= 0 && ((flags[slot] as number) & bit) !== 0;
      const has =
        (groupSources[g] as number) > 0 ||
        (bit === DimFlag.DERIVED && d < formulaOfDim.length && (formulaOfDim[d] as number) >= 0);
      if (had !== has) return true;
    }
    for (let k = 0; k < this.dirtyCapCount; k++) {
      const d = this.dirtyCaps[k] as number;
      const slot = slotOf[d] as number;
      const had = slot >= 0 && ((flags[slot] as number) & DimFlag.CAPS) !== 0;
      if (had !== (capSources[d] as number) > 0) return true;
    }
    return false;
  }

  /** Per-dimension state, slots, snapshot builders and formula links for `sources`. */
  private rebuild(sources: readonly CompiledSubsystem[]): void {
    const { dims, systems, formulas } = this.registry;
    const nDims = dims.size;
    this.reservePerDim(nDims);
    this.sources = sources.slice();
    this.ix.length = 0;
    for (const s of sources) this.ix.push(indexOf(s));
    const { groupSources, capSources, groupDirty, capDirty, formulaOfDim } = this;
    groupSources.fill(0);
    capSources.fill(0);
    groupDirty.fill(0);
    capDirty.fill(0);
    this.dirtyGroupCount = 0;
    this.dirtyCapCount = 0;
    this.groupMask.fill(0);
    for (let i = 0; i < this.ix.length; i++) {
      const ix = this.ix[i] as Indexed;
      this.touch(ix.touchedGroups, ix.touchedCaps, 1);
      this.moveMask(i, EMPTY_INDEX, ix);
    }
    // every group with a formula placeholder is merged, even without sources
    for (let i = 0; i < this.formulaCount; i++) {
      const g = 2 * ((formulas as NonNullable<typeof formulas>).dim[i] as number) + 1;
      this.changedSources[g] = CHANGED_ALL;
      if (groupDirty[g] === 1) continue;
      groupDirty[g] = 1;
      this.dirtyGroups[this.dirtyGroupCount++] = g;
    }
    const byRank = dims.byRank;
    let count = 0;
    let hash = 0x811c9dc5;
    for (let r = 0; r < nDims; r++) {
      const d = byRank[r] as number;
      let f = 0;
      if ((groupSources[2 * d] as number) > 0) f |= DimFlag.PRIMARY;
      if ((groupSources[2 * d + 1] as number) > 0) f |= DimFlag.DERIVED;
      if (d < formulaOfDim.length && (formulaOfDim[d] as number) >= 0) f |= DimFlag.DERIVED;
      if ((capSources[d] as number) > 0) f |= DimFlag.CAPS;
      this.slotOf[d] = f === 0 ? -1 : count;
      if (f === 0) continue;
      this.dimOf[count] = d;
      this.flags[count] = f;
      this.shape[count] = (d << 3) | f;
      hash = mixShape(hash, (d << 3) | f);
      count++;
    }
    this.count = count;
    this.parts = this.builders.parts(this.shape, count, hash, dims.names);
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

  private reservePerDim(nDims: number): void {
    if (this.capDirty.length >= nDims) return;
    const n = nDims * 2;
    this.groupSources = new Int32Array(2 * n);
    this.groupDirty = new Uint8Array(2 * n);
    this.dirtyGroups = new Int32Array(2 * n);
    this.values = new Float64Array(2 * n * this.groupCap);
    this.buckets = new Uint8Array(2 * n * this.groupCap);
    this.groupLength = new Int32Array(2 * n);
    this.formulaAt = new Int32Array(2 * n);
    this.groupMask = new Int32Array(2 * n);
    this.slotSource = new Int32Array(2 * n * this.groupCap);
    this.slotEntry = new Int32Array(2 * n * this.groupCap);
    this.tieFree = new Uint8Array(2 * n);
    this.slotKey = new Float64Array(2 * n * this.groupCap);
    this.slotRank = new Int32Array(2 * n * this.groupCap);
    this.changedSources = new Int32Array(2 * n);
    this.patchedAt = new Int32Array(2 * n);
    this.capSources = new Int32Array(n);
    this.capDirty = new Uint8Array(n);
    this.dirtyCaps = new Int32Array(n);
    this.reduce = new Uint8Array(n);
    this.reduceList = new Int32Array(n);
    this.reduceCount = 0;
    this.slotOf = new Int32Array(n);
    this.dimOf = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.shape = new Int32Array(n);
    this.primary = new Float64Array(n);
    this.derived = new Float64Array(n);
    this.capMin = new Float64Array(n);
    this.capMax = new Float64Array(n);
  }

  /**
   * Re-merge dirty groups and cap ranges, then reduce in the Resolver's order: caps, primaries,
   * formulas (a changed result re-reduces its derived dimension), derived sections. Returns which
   * records (DimFlag bits) have a changed value.
   */
  private resolveDirty(full: boolean): number {
    const { slotOf, flags, reduce, primary, derived, capMin, capMax } = this;
    const { op, clampMin, clampMax } = this.registry.dims;
    let changed = 0;
    for (let k = 0; k < this.dirtyCapCount; k++) {
      const d = this.dirtyCaps[k] as number;
      this.capDirty[d] = 0;
      const t = slotOf[d] as number;
      if (t < 0) continue;
      const n = (this.capSources[d] as number) > 0 ? this.mergeCaps(d) : 0;
      let lo = clampMin[d] as number;
      let hi = clampMax[d] as number;
      if (n > 0) {
        reduceCaps(this.capRun, 0, n, this.registry.prioritizedOverride, lo, hi, this.range);
        lo = this.range[0] as number;
        hi = this.range[1] as number;
      }
      if (full || !sameNumber(lo, capMin[t] as number) || !sameNumber(hi, capMax[t] as number)) {
        capMin[t] = lo;
        capMax[t] = hi;
        this.markReduce(d, DimFlag.PRIMARY | DimFlag.DERIVED);
        changed |= DimFlag.CAPS;
      }
    }
    this.dirtyCapCount = 0;
    if (full) {
      // dimensions without caps sources take the clamp default
      for (let t = 0; t < this.count; t++) {
        const d = this.dimOf[t] as number;
        if (((flags[t] as number) & DimFlag.CAPS) !== 0) continue;
        capMin[t] = clampMin[d] as number;
        capMax[t] = clampMax[d] as number;
        this.markReduce(d, DimFlag.PRIMARY | DimFlag.DERIVED);
      }
    }
    for (let k = 0; k < this.dirtyGroupCount; k++) {
      const g = this.dirtyGroups[k] as number;
      this.groupDirty[g] = 0;
      const d = g >> 1;
      if ((slotOf[d] as number) < 0) continue;
      this.mergeGroup(g);
      this.markReduce(d, (g & 1) === 0 ? DimFlag.PRIMARY : DimFlag.DERIVED);
    }
    this.dirtyGroupCount = 0;

    // a full resolve reduces every slot; a change only the dimensions it marked
    const { dimOf, reduceList } = this;
    // merges may have grown the pool: read its arrays after them
    const { values, buckets, groupLength, groupCap } = this;
    let primariesChanged = false;
    const marked = full ? this.count : this.reduceCount;
    for (let k = 0; k < marked; k++) {
      const t = full ? k : (slotOf[reduceList[k] as number] as number);
      if (t < 0) continue;
      const d = dimOf[t] as number;
      if (((reduce[d] as number) & DimFlag.PRIMARY) === 0) continue;
      if (((flags[t] as number) & DimFlag.PRIMARY) === 0) continue;
      const from = 2 * d * groupCap;
      const to = from + (groupLength[2 * d] as number);
      const v = reduceEntries(values, buckets, from, to, op[d] as number);
      const a = capMin[t] as number;
      const b = capMax[t] as number;
      const clamped = v < a ? a : v > b ? b : v;
      if (!full && sameNumber(clamped, primary[t] as number)) continue;
      primary[t] = clamped;
      primariesChanged = true;
    }
    if (primariesChanged) changed |= DimFlag.PRIMARY;

    const formulas = this.registry.formulas;
    if (formulas !== null && (full || primariesChanged)) {
      const { termStart, termSlot, termCoef, formulaValue, formulaAt } = this;
      const { base, dim } = formulas;
      for (let i = 0; i < this.formulaCount; i++) {
        let v = base[i] as number;
        const end = termStart[i + 1] as number;
        for (let u = termStart[i] as number; u < end; u++) {
          v += (termCoef[u] as number) * (primary[termSlot[u] as number] as number);
        }
        if (!full && sameNumber(v, formulaValue[i] as number)) continue;
        formulaValue[i] = v;
        const d = dim[i] as number;
        const g = 2 * d + 1;
        values[g * groupCap + (formulaAt[g] as number)] = v;
        this.markReduce(d, DimFlag.DERIVED);
      }
    }

    let derivedChanged = false;
    const markedAll = full ? this.count : this.reduceCount;
    for (let k = 0; k < markedAll; k++) {
      const t = full ? k : (slotOf[reduceList[k] as number] as number);
      if (t < 0) continue;
      const d = dimOf[t] as number;
      const r = reduce[d] as number;
      if ((r & DimFlag.DERIVED) === 0 || ((flags[t] as number) & DimFlag.DERIVED) === 0) continue;
      const from = (2 * d + 1) * groupCap;
      const to = from + (groupLength[2 * d + 1] as number);
      const o = op[d] as number;
      // a lone FLAT entry (most often a formula result) reduces to 0 + value (-0 becomes 0)
      const v =
        to - from === 1 && o === OpCode.PIPELINE && buckets[from] === BucketCode.FLAT
          ? 0 + (values[from] as number)
          : reduceEntries(values, buckets, from, to, o);
      const a = capMin[t] as number;
      const b = capMax[t] as number;
      const clamped = v < a ? a : v > b ? b : v;
      if (!full && sameNumber(clamped, derived[t] as number)) continue;
      derived[t] = clamped;
      derivedChanged = true;
    }
    if (derivedChanged) changed |= DimFlag.DERIVED;
    for (let k = 0; k < this.reduceCount; k++) reduce[reduceList[k] as number] = 0;
    this.reduceCount = 0;
    return changed;
  }

  /**
   * Gather group g from every source (and its formula placeholder), sort by (bucket, priority
   * desc, system asc, value asc), write it into the group's arrays.
   */
  private mergeGroup(g: number): void {
    const changed = this.changedSources[g] as number;
    this.changedSources[g] = 0;
    if (changed === CHANGED_ALL || this.sources.length > MASKED_SOURCES) {
      this.writeGroup(g, this.gatherAll(g));
    } else {
      this.mergeInPlace(g, changed);
    }
  }

  /** Scratch and `order` for group g from every source, sorted; the entry count. */
  private gatherAll(g: number): number {
    const rank = this.registry.systems.rank;
    let n = 0;
    if ((this.groupSources[g] as number) > 0) {
      const count = this.sources.length;
      const mask = count <= MASKED_SOURCES ? (this.groupMask[g] as number) : -1;
      for (let si = 0; si < count; si++) {
        if (((mask >>> si) & 1) === 0) {
          if (mask >>> si === 0) break;
          continue;
        }
        const ix = this.ix[si] as Indexed;
        if (g >= ix.groups) continue;
        const to = ix.start[g + 1] as number;
        const from = ix.start[g] as number;
        if (from === to) continue;
        const entries = (this.sources[si] as CompiledSubsystem).entries;
        this.reserveScratch(n + to - from + 1);
        for (let k = from; k < to; k++, n++) {
          const at = (ix.idx[k] as number) * ENTRY_STRIDE;
          this.keyScratch[n] = entries[at + EntrySlot.KEY] as number;
          this.rankScratch[n] = rank[entries[at + EntrySlot.SYS] as number] as number;
          this.valueScratch[n] = entries[at + EntrySlot.VALUE] as number;
          this.bucketScratch[n] = entries[at + EntrySlot.BUCKET] as number;
          this.formulaScratch[n] = -1;
          this.sourceScratch[n] = si;
          this.offsetScratch[n] = k - from;
        }
      }
    }
    const d = g >> 1;
    const formula =
      (g & 1) === 1 && d < this.formulaOfDim.length ? (this.formulaOfDim[d] as number) : -1;
    if (formula >= 0) {
      this.reserveScratch(n + 1);
      // value -Infinity sorts it first among equal (bucket, priority, system), as PlanBuilder
      const formulas = this.registry.formulas as NonNullable<CompiledRegistry["formulas"]>;
      this.keyScratch[n] = FORMULA_KEY;
      this.rankScratch[n] = rank[formulas.systemId] as number;
      this.valueScratch[n] = -Infinity;
      this.bucketScratch[n] = BucketCode.FLAT;
      this.formulaScratch[n] = formula;
      this.sourceScratch[n] = -1;
      this.offsetScratch[n] = 0;
      n++;
    }
    for (let k = 0; k < n; k++) this.order[k] = k;
    this.sortOrder(0, n);
    return n;
  }

  /** Insertion sort (stable) of order[from, to) by (key asc, system rank asc, value asc). */
  private sortOrder(from: number, n: number): void {
    const { keyScratch, rankScratch, valueScratch, order } = this;
    // insertion sort (stable), by (key asc, system rank asc, value asc)
    for (let i = from + 1; i < n; i++) {
      const x = order[i] as number;
      const kx = keyScratch[x] as number;
      const rx = rankScratch[x] as number;
      const vx = valueScratch[x] as number;
      let j = i - 1;
      while (j >= from) {
        const y = order[j] as number;
        const ky = keyScratch[y] as number;
        const after =
          ky !== kx
            ? ky > kx
            : rankScratch[y] !== rx
              ? (rankScratch[y] as number) > rx
              : (valueScratch[y] as number) > vx;
        if (!after) break;
        order[j + 1] = y;
        j--;
      }
      order[j + 1] = x;
    }
  }

  /**
   * Merge group g again in place when only the `changed` sources' entries in it changed: their
   * old entries are compacted out, their new ones (sorted alone) merged in from the back. The
   * kept entries are in canonical order already; entries tied on (key, rank, value) have the
   * same value and bucket, so their order does not change a result.
   */
  private mergeInPlace(g: number, changed: number): void {
    const rank = this.registry.systems.rank;
    const count = this.sources.length;
    let added = 0;
    for (let si = 0; si < count && changed >>> si !== 0; si++) {
      if (((changed >>> si) & 1) === 0) continue;
      const ix = this.ix[si] as Indexed;
      if (g >= ix.groups) continue;
      const to = ix.start[g + 1] as number;
      const from = ix.start[g] as number;
      if (from === to) continue;
      const entries = (this.sources[si] as CompiledSubsystem).entries;
      this.reserveScratch(added + to - from);
      for (let k = from; k < to; k++, added++) {
        const at = (ix.idx[k] as number) * ENTRY_STRIDE;
        this.keyScratch[added] = entries[at + EntrySlot.KEY] as number;
        this.rankScratch[added] = rank[entries[at + EntrySlot.SYS] as number] as number;
        this.valueScratch[added] = entries[at + EntrySlot.VALUE] as number;
        this.bucketScratch[added] = entries[at + EntrySlot.BUCKET] as number;
        this.sourceScratch[added] = si;
        this.offsetScratch[added] = k - from;
      }
    }
    for (let k = 0; k < added; k++) this.order[k] = k;
    this.sortOrder(0, added);

    // compact out the changed sources' old entries
    let base = g * this.groupCap;
    const len = this.groupLength[g] as number;
    let f = this.formulaAt[g] as number;
    let kept = 0;
    {
      const { slotSource, slotEntry, slotKey, slotRank, values, buckets } = this;
      for (let r = 0; r < len; r++) {
        const si = slotSource[base + r] as number;
        if (si >= 0 && ((changed >>> si) & 1) !== 0) continue;
        if (kept !== r) {
          const from = base + r;
          const to = base + kept;
          slotSource[to] = si;
          slotEntry[to] = slotEntry[from] as number;
          slotKey[to] = slotKey[from] as number;
          slotRank[to] = slotRank[from] as number;
          values[to] = values[from] as number;
          buckets[to] = buckets[from] as number;
        }
        if (r === f) f = kept;
        kept++;
      }
    }
    this.groupLength[g] = kept;
    const total = kept + added;
    if (total > this.groupCap) {
      this.growGroups(total);
      base = g * this.groupCap;
    }

    // merge the new entries in from the back
    const { slotSource, slotEntry, slotKey, slotRank, values, buckets } = this;
    const { keyScratch, rankScratch, valueScratch, order } = this;
    let i = kept - 1;
    let j = added - 1;
    for (let out = base + total - 1; j >= 0; out--) {
      const x = order[j] as number;
      let keptAfter = false;
      if (i >= 0) {
        const m = base + i;
        const km = slotKey[m] as number;
        const kx = keyScratch[x] as number;
        // the formula placeholder sorts first among equal (bucket, priority, system)
        keptAfter =
          km !== kx
            ? km > kx
            : slotRank[m] !== rankScratch[x]
              ? (slotRank[m] as number) > (rankScratch[x] as number)
              : i !== f && (values[m] as number) > (valueScratch[x] as number);
      }
      if (keptAfter) {
        const m = base + i;
        slotSource[out] = slotSource[m] as number;
        slotEntry[out] = slotEntry[m] as number;
        slotKey[out] = slotKey[m] as number;
        slotRank[out] = slotRank[m] as number;
        values[out] = values[m] as number;
        buckets[out] = buckets[m] as number;
        if (i === f) f = out - base;
        i--;
      } else {
        slotSource[out] = this.sourceScratch[x] as number;
        slotEntry[out] = this.offsetScratch[x] as number;
        slotKey[out] = keyScratch[x] as number;
        slotRank[out] = rankScratch[x] as number;
        values[out] = valueScratch[x] as number;
        buckets[out] = this.bucketScratch[x] as number;
        j--;
      }
    }
    this.groupLength[g] = total;
    this.formulaAt[g] = f;
    let tieFree = 1;
    for (let m = base + 1; m < base + total; m++) {
      if (slotKey[m - 1] === slotKey[m] && slotRank[m - 1] === slotRank[m]) {
        tieFree = 0;
        break;
      }
    }
    this.tieFree[g] = tieFree;
  }

  /** Write the n entries of scratch, in `order`, into group g's arrays. */
  private writeGroup(g: number, n: number): void {
    const { keyScratch, rankScratch, valueScratch, order } = this;
    if (n > this.groupCap) this.growGroups(n);
    const base = g * this.groupCap;
    const { values, buckets } = this;
    const { slotSource, slotEntry } = this;
    this.groupLength[g] = n;
    this.formulaAt[g] = -1;
    let tieFree = 1;
    for (let k = 0; k < n; k++) {
      const at = order[k] as number;
      if (k > 0) {
        const prev = order[k - 1] as number;
        if (keyScratch[prev] === keyScratch[at] && rankScratch[prev] === rankScratch[at]) {
          tieFree = 0;
        }
      }
      slotSource[base + k] = this.sourceScratch[at] as number;
      this.slotKey[base + k] = keyScratch[at] as number;
      this.slotRank[base + k] = rankScratch[at] as number;
      slotEntry[base + k] = this.offsetScratch[at] as number;
      const f = this.formulaScratch[at] as number;
      if (f >= 0) {
        this.formulaAt[g] = k;
        values[base + k] = this.formulaValue[f] as number;
      } else {
        values[base + k] = valueScratch[at] as number;
      }
      buckets[base + k] = this.bucketScratch[at] as number;
    }
    this.tieFree[g] = tieFree;
  }

  /** Gather dimension d's caps from every source, sort, write them into capRun; their count. */
  private mergeCaps(d: number): number {
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
        const at = n * CAP_STRIDE;
        for (let f = 0; f < CAP_STRIDE; f++) this.capScratch[at + f] = s.caps[from + f] as number;
        n++;
      }
    }
    const { capScratch, capOrder, capRun } = this;
    for (let k = 0; k < n; k++) capOrder[k] = k;
    if (n > 1) sortCaps(capScratch, this.registry.systems.rank, capOrder, 0, n);
    capRun.reserve(n);
    for (let k = 0; k < n; k++) {
      const at = (capOrder[k] as number) * CAP_STRIDE;
      capRun.capLayer[k] = capScratch[at + CapSlot.LAYER] as number;
      capRun.capKind[k] = capScratch[at + CapSlot.KIND] as number;
      capRun.capMode[k] = capScratch[at + CapSlot.MODE] as number;
      capRun.capValue[k] = capScratch[at + CapSlot.VALUE] as number;
    }
    return n;
  }

  /** Room for n entries in every group: the pool is laid out again with a bigger stride. */
  private growGroups(n: number): void {
    const cap = Math.max(n, this.groupCap * 2);
    const groups = this.groupLength.length;
    const values = new Float64Array(groups * cap);
    const buckets = new Uint8Array(groups * cap);
    const slotSource = new Int32Array(groups * cap);
    const slotEntry = new Int32Array(groups * cap);
    const slotKey = new Float64Array(groups * cap);
    const slotRank = new Int32Array(groups * cap);
    for (let g = 0; g < groups; g++) {
      const from = g * this.groupCap;
      const to = from + (this.groupLength[g] as number);
      values.set(this.values.subarray(from, to), g * cap);
      buckets.set(this.buckets.subarray(from, to), g * cap);
      slotSource.set(this.slotSource.subarray(from, to), g * cap);
      slotEntry.set(this.slotEntry.subarray(from, to), g * cap);
      slotKey.set(this.slotKey.subarray(from, to), g * cap);
      slotRank.set(this.slotRank.subarray(from, to), g * cap);
    }
    this.slotKey = slotKey;
    this.slotRank = slotRank;
    this.values = values;
    this.buckets = buckets;
    this.slotSource = slotSource;
    this.slotEntry = slotEntry;
    this.groupCap = cap;
  }

  private reserveScratch(n: number): void {
    if (n <= this.order.length) return;
    const size = n * 2;
    this.keyScratch = grown(this.keyScratch, new Float64Array(size));
    this.rankScratch = grown(this.rankScratch, new Int32Array(size));
    this.valueScratch = grown(this.valueScratch, new Float64Array(size));
    this.bucketScratch = grown(this.bucketScratch, new Uint8Array(size));
    this.formulaScratch = grown(this.formulaScratch, new Int32Array(size));
    this.sourceScratch = grown(this.sourceScratch, new Int32Array(size));
    this.offsetScratch = grown(this.offsetScratch, new Int32Array(size));
    this.order = new Int32Array(size);
  }
}

/** How two subsystems' entries in one group compare (in the order they were compiled). */
const Diff = { SAME: 0, VALUES: 1, OTHER: 2 } as const;

/**
 * SAME: the same entries; VALUES: the same count, sort keys, systems and buckets, some values
 * differ; OTHER: anything else (absent from one of them included).
 */
function entryDiff(
  a: CompiledSubsystem,
  aIx: Indexed,
  b: CompiledSubsystem,
  bIx: Indexed,
  g: number,
): number {
  if (g >= aIx.groups || g >= bIx.groups) return Diff.OTHER;
  const from = aIx.start[g] as number;
  const n = (aIx.start[g + 1] as number) - from;
  const bFrom = bIx.start[g] as number;
  if ((bIx.start[g + 1] as number) - bFrom !== n) return Diff.OTHER;
  let diff: number = Diff.SAME;
  const x = a.entries;
  const y = b.entries;
  for (let k = 0; k < n; k++) {
    const i = (aIx.idx[from + k] as number) * ENTRY_STRIDE;
    const j = (bIx.idx[bFrom + k] as number) * ENTRY_STRIDE;
    // GROUP is g in both; values carry no -0 (compileSubsystem adds 0)
    if (
      x[i + EntrySlot.KEY] !== y[j + EntrySlot.KEY] ||
      x[i + EntrySlot.SYS] !== y[j + EntrySlot.SYS] ||
      x[i + EntrySlot.BUCKET] !== y[j + EntrySlot.BUCKET]
    ) {
      return Diff.OTHER;
    }
    if (x[i + EntrySlot.VALUE] !== y[j + EntrySlot.VALUE]) diff = Diff.VALUES;
  }
  return diff;
}

/** Whether two subsystems have the same caps, in the same order, on dimension d. */
function sameCaps(
  a: CompiledSubsystem,
  aIx: Indexed,
  b: CompiledSubsystem,
  bIx: Indexed,
  d: number,
): boolean {
  if (d >= aIx.dims || d >= bIx.dims) return false;
  const from = aIx.capStart[d] as number;
  const n = (aIx.capStart[d + 1] as number) - from;
  const bFrom = bIx.capStart[d] as number;
  if ((bIx.capStart[d + 1] as number) - bFrom !== n) return false;
  for (let k = 0; k < n; k++) {
    const i = (aIx.capIdx[from + k] as number) * CAP_STRIDE;
    const j = (bIx.capIdx[bFrom + k] as number) * CAP_STRIDE;
    for (let f = 1; f < CAP_STRIDE; f++) if (a.caps[i + f] !== b.caps[j + f]) return false;
  }
  return true;
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Equal including the sign of zero (a -0 formula result must reach the snapshot as -0). */
function sameNumber(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}
