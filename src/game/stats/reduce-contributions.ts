import { BucketCode, ENTRY_STRIDE, EntrySlot } from "./compile-subsystem.ts";
import { OpCode } from "./registry.ts";

/**
 * Sort order[start, end) by (bucket, priority desc, system asc, value asc): insertion sort over
 * packed entries (`data`, ENTRY_STRIDE slots each); `rank` maps system id to name rank.
 */
export function sortEntries(
  data: Float64Array,
  rank: Int32Array,
  order: Int32Array,
  start: number,
  end: number,
): void {
  for (let i = start + 1; i < end; i++) {
    const x = order[i] as number;
    let j = i - 1;
    while (j >= start && entryAfter(data, rank, order[j] as number, x)) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = x;
  }
}

function entryAfter(data: Float64Array, rank: Int32Array, a: number, b: number): boolean {
  const ka = data[a * ENTRY_STRIDE + EntrySlot.KEY] as number;
  const kb = data[b * ENTRY_STRIDE + EntrySlot.KEY] as number;
  if (ka !== kb) return ka > kb;
  const sa = rank[data[a * ENTRY_STRIDE + EntrySlot.SYS] as number] as number;
  const sb = rank[data[b * ENTRY_STRIDE + EntrySlot.SYS] as number] as number;
  if (sa !== sb) return sa > sb;
  return (
    (data[a * ENTRY_STRIDE + EntrySlot.VALUE] as number) >
    (data[b * ENTRY_STRIDE + EntrySlot.VALUE] as number)
  );
}

/**
 * Combine a sorted, non-empty group values[start, end). Pipeline: OVERRIDE winner if any, else
 * ΣFLAT × Π(1 + MULT) + ΣPOST_ADD. Operator modes reduce the raw values whatever their bucket.
 */
export function reduceEntries(
  values: Float64Array,
  buckets: Uint8Array,
  start: number,
  end: number,
  op: number,
): number {
  if (op === OpCode.PIPELINE) {
    let flat = 0;
    let mult = 1;
    let post = 0;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      switch (buckets[i]) {
        case BucketCode.FLAT:
          flat += v;
          break;
        case BucketCode.MULT:
          mult *= 1 + v;
          break;
        case BucketCode.POST_ADD:
          post += v;
          break;
        default:
          return v; // the first OVERRIDE in sort order has the highest priority
      }
    }
    return flat * mult + post;
  }
  let acc = values[start] as number;
  for (let i = start + 1; i < end; i++) {
    const v = values[i] as number;
    if (op === OpCode.MAX) acc = v > acc ? v : acc;
    else if (op === OpCode.MIN) acc = v < acc ? v : acc;
    else if (op === OpCode.MULTIPLY) acc *= v;
    else acc += v; // SUM and AVERAGE
  }
  return (op === OpCode.AVERAGE ? acc / (end - start) : acc) + 0; // + 0 turns -0 into 0
}
