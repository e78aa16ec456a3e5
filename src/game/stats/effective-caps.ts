import { CAP_STRIDE, CapModeCode, CapSlot, KindCode } from "./compile-subsystem.ts";

/**
 * Sort order[start, end) by (layer asc, priority desc, system asc, value asc): insertion sort over
 * packed caps (`data`, CAP_STRIDE slots each); `rank` maps system id to name rank.
 */
export function sortCaps(
  data: Float64Array,
  rank: Int32Array,
  order: Int32Array,
  start: number,
  end: number,
): void {
  for (let i = start + 1; i < end; i++) {
    const x = order[i] as number;
    let j = i - 1;
    while (j >= start && capAfter(data, rank, order[j] as number, x)) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = x;
  }
}

function capAfter(data: Float64Array, rank: Int32Array, a: number, b: number): boolean {
  const ka = data[a * CAP_STRIDE + CapSlot.KEY] as number;
  const kb = data[b * CAP_STRIDE + CapSlot.KEY] as number;
  if (ka !== kb) return ka > kb;
  const sa = rank[data[a * CAP_STRIDE + CapSlot.SYS] as number] as number;
  const sb = rank[data[b * CAP_STRIDE + CapSlot.SYS] as number] as number;
  if (sa !== sb) return sa > sb;
  return (
    (data[a * CAP_STRIDE + CapSlot.VALUE] as number) >
    (data[b * CAP_STRIDE + CapSlot.VALUE] as number)
  );
}

/** Caps of a plan in canonical order: layer runs, priority desc, system asc, value asc. */
export type SortedCaps = {
  readonly capLayer: Int32Array;
  readonly capKind: Uint8Array;
  readonly capMode: Uint8Array;
  readonly capValue: Float64Array;
};

/** Effective range of one dimension from caps[start, end); written into `out` as [min, max]. */
export function reduceCaps(
  caps: SortedCaps,
  start: number,
  end: number,
  prioritizedOverride: boolean,
  clampMin: number,
  clampMax: number,
  out: Float64Array,
): void {
  let lo = -Infinity;
  let hi = Infinity;
  let authLo = 0;
  let authHi = 0;
  let hasAuthLo = false;
  let hasAuthHi = false;
  let i = start;
  while (i < end) {
    const layer = caps.capLayer[i];
    let baseMax = 0;
    let addMax = 0;
    let sumMax = false;
    let baseMin = 0;
    let addMin = 0;
    let sumMin = false;
    let hardMax = Infinity;
    let hardMin = -Infinity;
    let ovMax = 0;
    let ovMin = 0;
    let hasOvMax = false;
    let hasOvMin = false;
    for (; i < end; i++) {
      if (caps.capLayer[i] !== layer) break;
      const v = caps.capValue[i] as number;
      const isMax = caps.capKind[i] === KindCode.MAX;
      switch (caps.capMode[i]) {
        case CapModeCode.BASELINE:
          if (isMax) {
            baseMax += v;
            sumMax = true;
          } else {
            baseMin += v;
            sumMin = true;
          }
          break;
        case CapModeCode.ADDITIVE:
          if (isMax) {
            addMax += v;
            sumMax = true;
          } else {
            addMin += v;
            sumMin = true;
          }
          break;
        case CapModeCode.HARD_MAX:
          if (v < hardMax) hardMax = v;
          break;
        case CapModeCode.HARD_MIN:
          if (v > hardMin) hardMin = v;
          break;
        default: // OVERRIDE: the first one in sort order has the highest priority
          if (isMax && !hasOvMax) {
            ovMax = v;
            hasOvMax = true;
          } else if (!isMax && !hasOvMin) {
            ovMin = v;
            hasOvMin = true;
          }
      }
    }
    const candMax = hasOvMax ? ovMax : sumMax ? baseMax + addMax : Infinity;
    const candMin = hasOvMin ? ovMin : sumMin ? baseMin + addMin : -Infinity;
    const layerMax = candMax < hardMax ? candMax : hardMax;
    let layerMin = candMin > hardMin ? candMin : hardMin;
    if (layerMin > layerMax) layerMin = layerMax; // min lowered to max (golden case 08)
    if (layerMax < hi) hi = layerMax;
    if (layerMin > lo) lo = layerMin;
    if (prioritizedOverride) {
      // the first layer (registry order) with an OVERRIDE bound is authoritative for that bound
      if (hasOvMax && !hasAuthHi) {
        authHi = layerMax;
        hasAuthHi = true;
      }
      if (hasOvMin && !hasAuthLo) {
        authLo = layerMin;
        hasAuthLo = true;
      }
    }
  }
  if (hasAuthHi) hi = authHi;
  if (hasAuthLo) lo = authLo;
  if (lo > hi) lo = hi;
  // clamp both bounds into the combiner default: intersection, resolved toward the default
  out[0] = lo < clampMin ? clampMin : lo > clampMax ? clampMax : lo;
  out[1] = hi < clampMin ? clampMin : hi > clampMax ? clampMax : hi;
}
