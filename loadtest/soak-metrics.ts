/**
 * Reading the server's `/metrics` text and judging memory samples over a soak run
 * (`loadtest/soak.ts`). Pure functions, no I/O.
 */

/** Sum of every series of a gauge or counter `name` (all label sets), or null when absent. */
export function metricValue(text: string, name: string): number | null {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm");
  let sum: number | null = null;
  for (const m of text.matchAll(re)) sum = (sum ?? 0) + Number(m[1]);
  return sum;
}

/** Cumulative bucket counts of histogram `name` by `le`, summed over its other labels. */
export function histogramBuckets(text: string, name: string): Map<string, number> {
  const buckets = new Map<string, number>();
  const re = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, "gm");
  for (const m of text.matchAll(re)) {
    const le = /le="([^"]+)"/.exec(m[1]!)?.[1];
    if (le) buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
  }
  return buckets;
}

/**
 * The p99 of the observations between two scrapes of a histogram in seconds, in ms (the upper
 * bound of its bucket); Infinity above the largest finite bucket, null without observations.
 */
export function p99MsBetween(before: Map<string, number>, after: Map<string, number>) {
  const les = [...after.keys()].sort((a, b) =>
    a === "+Inf" ? 1 : b === "+Inf" ? -1 : Number(a) - Number(b),
  );
  const count = (after.get("+Inf") ?? 0) - (before.get("+Inf") ?? 0);
  if (count <= 0) return null;
  for (const le of les) {
    const c = (after.get(le) ?? 0) - (before.get(le) ?? 0);
    if (c >= 0.99 * count) return le === "+Inf" ? Infinity : Number(le) * 1000;
  }
  return Infinity;
}

/**
 * Least-squares line through the points: slope (y per x), the slope's standard error and the
 * points' scatter around the line (residual standard deviation).
 */
export function linearFit(points: { x: number; y: number }[]): {
  slope: number;
  stderr: number;
  residualStd: number;
} {
  const n = points.length;
  if (n < 3) return { slope: 0, stderr: Infinity, residualStd: NaN };
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return { slope: 0, stderr: Infinity, residualStd: NaN };
  const slope = sxy / sxx;
  const residual = points.reduce((a, p) => a + (p.y - my - slope * (p.x - mx)) ** 2, 0);
  const residualStd = Math.sqrt(residual / (n - 2));
  return { slope, stderr: residualStd / Math.sqrt(sxx), residualStd };
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One memory reading of the server, `tSec` after the first bot started. */
export type MemoryPoint = { tSec: number; mib: number };

/**
 * The V8 heap saw-tooths between collections (80 to 290 MiB at 250 bots), so a leak is judged on
 * its floor: the lowest reading of each `windowSec` window from the first reading on, which sits
 * near the live set right after a collection. A window with fewer than half the readings of the
 * fullest one (the run's tail) is left out: its lowest reading need not follow a collection.
 */
export function floorPerWindow(points: MemoryPoint[], windowSec: number): MemoryPoint[] {
  if (points.length === 0) return [];
  const t0 = points[0]!.tSec;
  const windows = new Map<number, { floor: MemoryPoint; readings: number }>();
  for (const p of points) {
    const w = Math.floor((p.tSec - t0) / windowSec);
    const cur = windows.get(w);
    const floor = { tSec: t0 + (w + 0.5) * windowSec, mib: p.mib };
    if (!cur) windows.set(w, { floor, readings: 1 });
    else {
      cur.readings += 1;
      if (p.mib < cur.floor.mib) cur.floor = floor;
    }
  }
  const fullest = Math.max(...[...windows.values()].map((w) => w.readings));
  return [...windows.values()]
    .filter((w) => w.readings * 2 >= fullest)
    .map((w) => w.floor)
    .sort((a, b) => a.tSec - b.tSec);
}

export type MemoryCriteria = {
  /**
   * Largest allowed growth of the heap after warm-up, MiB per hour: of the post-GC heap, whose
   * slope + 2 standard errors must stay under it, or else of the heap floor (its slope alone).
   */
  maxSlopeMiBPerHour: number;
  /**
   * The last post-GC reading (or the last window's floor) may exceed the median post-warm-up
   * reading (floor) by this fraction.
   */
  endTolerance: number;
  /** Floor window, seconds. */
  windowSec: number;
};

/** Where a series of readings started, ended and ranged, in MiB (one decimal). */
export type SeriesLevels = {
  startMiB: number;
  endMiB: number;
  minMiB: number;
  maxMiB: number;
  medianMiB: number;
};

export type MemorySeries = SeriesLevels & {
  midMiB: number;
  /** Least-squares slope of the raw readings, MiB per hour, ± its standard error. */
  slopeMiBPerHour: number;
  slopeStderrMiBPerHour: number;
  /** The same over the per-window floors (what `memoryFlat` judges for the heap). */
  floorSlopeMiBPerHour: number;
  floorStderrMiBPerHour: number;
  /** Floor slope + 2 standard errors: the growth this run can rule out (~95%). */
  floorSlopeUpperMiBPerHour: number;
  floorMedianMiB: number;
  floorEndMiB: number;
  samples: number;
};

const round1 = (n: number) => Math.round(n * 10) / 10;

function levelsOf(points: readonly MemoryPoint[]): SeriesLevels {
  const mibs = points.map((p) => p.mib);
  return {
    startMiB: round1(points[0]!.mib),
    endMiB: round1(points.at(-1)!.mib),
    minMiB: round1(Math.min(...mibs)),
    maxMiB: round1(Math.max(...mibs)),
    medianMiB: round1(median(mibs)),
  };
}

/** Least-squares fit of readings against time in hours: slope in MiB per hour. */
function fitPerHour(points: readonly MemoryPoint[]) {
  return linearFit(points.map((p) => ({ x: p.tSec / 3600, y: p.mib })));
}

/** Summary of readings taken after warm-up; null with fewer than three. */
export function summarizeSeries(points: MemoryPoint[], windowSec: number): MemorySeries | null {
  if (points.length < 3) return null;
  const raw = fitPerHour(points);
  const floors = floorPerWindow(points, windowSec);
  const floor = fitPerHour(floors);
  const t0 = points[0]!.tSec;
  const tEnd = points.at(-1)!.tSec;
  const mid = points.reduce((a, p) =>
    Math.abs(p.tSec - (t0 + tEnd) / 2) < Math.abs(a.tSec - (t0 + tEnd) / 2) ? p : a,
  );
  return {
    ...levelsOf(points),
    midMiB: round1(mid.mib),
    slopeMiBPerHour: round1(raw.slope),
    slopeStderrMiBPerHour: round1(raw.stderr),
    floorSlopeMiBPerHour: round1(floor.slope),
    floorStderrMiBPerHour: round1(floor.stderr),
    floorSlopeUpperMiBPerHour: round1(floor.slope + 2 * floor.stderr),
    floorMedianMiB: round1(median(floors.map((f) => f.mib))),
    floorEndMiB: round1(floors.at(-1)!.mib),
    samples: points.length,
  };
}

/** The heap right after full collections, after warm-up: each reading is the live set. */
export type PostGcSeries = SeriesLevels & {
  /** Least-squares slope, MiB per hour, ± its standard error. */
  slopeMiBPerHour: number;
  slopeStderrMiBPerHour: number;
  /** Slope + 2 standard errors: the growth this run rules out (~95%). */
  slopeUpperMiBPerHour: number;
  /** Scatter of the readings around the fitted line. */
  residualStdMiB: number;
  samples: number;
};

/** Summary of post-GC readings taken after warm-up; null with fewer than three. */
export function summarizePostGc(points: MemoryPoint[]): PostGcSeries | null {
  if (points.length < 3) return null;
  const fit = fitPerHour(points);
  return {
    ...levelsOf(points),
    slopeMiBPerHour: round1(fit.slope),
    slopeStderrMiBPerHour: round1(fit.stderr),
    slopeUpperMiBPerHour: round1(fit.slope + 2 * fit.stderr),
    residualStdMiB: round1(fit.residualStd),
    samples: points.length,
  };
}

export type MemoryVerdict = {
  memoryFlat: boolean | null;
  /** What was judged: the post-GC heap when the run has it, else the heap floors. */
  basis: "post-GC heap" | "heap floors" | null;
  /** What failed (empty when flat). */
  reasons: string[];
};

/**
 * With post-GC readings, memory is flat when their slope + 2 standard errors stays under
 * `maxSlopeMiBPerHour` (the run rules that growth out; a slope under the limit with too wide an
 * error is inconclusive, not flat) and the last reading is within `endTolerance` of the median.
 * Without them, the heap floor's slope must stay under the limit and the last window's floor
 * within `endTolerance` of the median floor.
 */
export function judgeMemory(
  heap: MemorySeries | null,
  criteria: MemoryCriteria,
  postGc: PostGcSeries | null = null,
): MemoryVerdict {
  const reasons: string[] = [];
  const max = criteria.maxSlopeMiBPerHour;
  const tolerance = `${criteria.endTolerance * 100}%`;
  if (postGc) {
    const slope = `${postGc.slopeMiBPerHour} ± ${postGc.slopeStderrMiBPerHour} MiB/h`;
    if (postGc.slopeMiBPerHour > max) reasons.push(`post-GC heap grows ${slope} > ${max}`);
    else if (postGc.slopeUpperMiBPerHour > max) {
      reasons.push(
        `inconclusive: post-GC heap slope ${slope} cannot rule out ${max} MiB/h` +
          ` (upper bound ${postGc.slopeUpperMiBPerHour})`,
      );
    }
    if (postGc.endMiB > postGc.medianMiB * (1 + criteria.endTolerance)) {
      reasons.push(
        `end post-GC heap ${postGc.endMiB} MiB > median ${postGc.medianMiB} MiB + ${tolerance}`,
      );
    }
    return { memoryFlat: reasons.length === 0, basis: "post-GC heap", reasons };
  }
  if (!heap) return { memoryFlat: null, basis: null, reasons: ["no heap readings after warm-up"] };
  if (heap.floorSlopeMiBPerHour > max) {
    reasons.push(`heap floor grows ${heap.floorSlopeMiBPerHour} MiB/h > ${max}`);
  }
  if (heap.floorEndMiB > heap.floorMedianMiB * (1 + criteria.endTolerance)) {
    reasons.push(
      `end heap floor ${heap.floorEndMiB} MiB > median floor ${heap.floorMedianMiB} MiB + ${tolerance}`,
    );
  }
  return { memoryFlat: reasons.length === 0, basis: "heap floors", reasons };
}
