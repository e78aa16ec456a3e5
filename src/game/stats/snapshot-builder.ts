import type { Snapshot } from "./types.ts";

/** Dimension flags of one resolve. */
export const DimFlag = { PRIMARY: 1, DERIVED: 2, CAPS: 4 } as const;

/** Builds one Snapshot from per-slot values (slot = position in the shape). */
export type SnapshotBuilder = (
  primary: Float64Array,
  derived: Float64Array,
  capMin: Float64Array,
  capMax: Float64Array,
  version: number,
) => Snapshot;

/**
 * A snapshot's three records built apart, so a snapshot can share the records a change left as
 * they were with the previous snapshot (they are read-only).
 */
export type SnapshotParts = {
  readonly primary: (p: Float64Array) => Snapshot["Primary"];
  readonly derived: (q: Float64Array) => Snapshot["Derived"];
  readonly caps: (lo: Float64Array, hi: Float64Array) => Snapshot["CapsUsed"];
};

type Generated = { build: SnapshotBuilder; parts: SnapshotParts | null };
type CachedBuilder = { readonly shape: Int32Array; readonly made: Generated };

const MAX_SHAPES = 512;
const SAFE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Snapshot builders per "shape" (which dimensions are Primary, Derived or caps-only, in output
 * order). A builder is a generated function returning one object literal: V8 then creates the
 * snapshot from a boilerplate instead of ~40 megamorphic keyed stores (about 5x faster).
 * Keys come only from dimension names matching ^[a-z][a-z0-9_]*$, checked here, so the
 * generated source cannot be injected into.
 */
export class SnapshotBuilders {
  private readonly cache = new Map<number, CachedBuilder[]>();
  private count = 0;

  /** Builder for `shape` (dimension id × 8 + flags, in output order). */
  get(shape: Int32Array, length: number, hash: number, names: readonly string[]): SnapshotBuilder {
    return this.entry(shape, length, hash, names).build;
  }

  /** The same snapshot's records as three builders (same keys, same order as `get`'s). */
  parts(shape: Int32Array, length: number, hash: number, names: readonly string[]): SnapshotParts {
    const made = this.entry(shape, length, hash, names);
    return (made.parts ??= generateParts(shape, length, names));
  }

  private entry(
    shape: Int32Array,
    length: number,
    hash: number,
    names: readonly string[],
  ): Generated {
    const bucket = this.cache.get(hash);
    if (bucket !== undefined) {
      for (const b of bucket) if (sameShape(b.shape, shape, length)) return b.made;
    }
    if (this.count >= MAX_SHAPES) {
      this.cache.clear();
      this.count = 0;
    }
    const made: Generated = { build: generate(shape, length, names), parts: null };
    const entry = { shape: shape.slice(0, length), made };
    if (bucket === undefined) this.cache.set(hash, [entry]);
    else bucket.push(entry);
    this.count++;
    return made;
  }
}

/** Mix one shape element into an FNV-1a style hash. */
export function mixShape(hash: number, element: number): number {
  return Math.imul(hash ^ element, 16777619);
}

function sameShape(a: Int32Array, b: Int32Array, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Fields = { primary: string[]; derived: string[]; caps: string[] };

/** Object literal fields of the three records, in output order. */
function fieldsOf(shape: Int32Array, length: number, names: readonly string[]): Fields {
  const primary: string[] = [];
  const derived: string[] = [];
  const capsPrimary: string[] = [];
  const capsDerived: string[] = [];
  const capsOnly: string[] = [];
  for (let t = 0; t < length; t++) {
    const el = shape[t] as number;
    const flags = el & 7;
    const name = names[el >> 3] ?? "";
    if (!SAFE_NAME.test(name))
      throw new RangeError(`unsafe dimension name ${JSON.stringify(name)}`);
    const range = `${name}: { Min: lo[${t}], Max: hi[${t}] }`;
    if (flags & DimFlag.PRIMARY) {
      primary.push(`${name}: p[${t}]`);
      capsPrimary.push(range);
    }
    if (flags & DimFlag.DERIVED) {
      derived.push(`${name}: q[${t}]`);
      if (!(flags & DimFlag.PRIMARY)) capsDerived.push(range);
    }
    if (flags === DimFlag.CAPS) capsOnly.push(range);
  }
  return { primary, derived, caps: [...capsPrimary, ...capsDerived, ...capsOnly] };
}

function generate(shape: Int32Array, length: number, names: readonly string[]): SnapshotBuilder {
  const { primary, derived, caps } = fieldsOf(shape, length, names);
  const body =
    `return { Primary: { ${primary.join(", ")} }, Derived: { ${derived.join(", ")} }, ` +
    `CapsUsed: { ${caps.join(", ")} }, Version: version };`;
  return new Function("p", "q", "lo", "hi", "version", body) as SnapshotBuilder;
}

function generateParts(shape: Int32Array, length: number, names: readonly string[]): SnapshotParts {
  const { primary, derived, caps } = fieldsOf(shape, length, names);
  return {
    primary: new Function("p", `return { ${primary.join(", ")} };`) as SnapshotParts["primary"],
    derived: new Function("q", `return { ${derived.join(", ")} };`) as SnapshotParts["derived"],
    caps: new Function("lo", "hi", `return { ${caps.join(", ")} };`) as SnapshotParts["caps"],
  };
}
