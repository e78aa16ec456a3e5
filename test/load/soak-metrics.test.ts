import assert from "node:assert/strict";
import {
  floorPerWindow,
  histogramBuckets,
  judgeMemory,
  linearFit,
  metricValue,
  p99MsBetween,
  summarizePostGc,
  summarizeSeries,
  type MemoryPoint,
} from "../../loadtest/soak-metrics.ts";
import {
  countByConstructor,
  heapGrowth,
  type HeapSnapshot,
} from "../../loadtest/soak-inspector.ts";

const CRITERIA = { maxSlopeMiBPerHour: 20, endTolerance: 0.1, windowSec: 60 };

/** 25 minutes of readings every 10 s: a 30 MiB GC saw-tooth (period 70 s) over `base(t)`. */
function sawtooth(base: (tSec: number) => number): MemoryPoint[] {
  return Array.from({ length: 150 }, (_, i) => {
    const tSec = 300 + i * 10;
    return { tSec, mib: base(tSec) + ((tSec % 70) / 70) * 30 };
  });
}

/** Deterministic normal noise (mulberry32 and Box-Muller) with standard deviation `sd`. */
function noise(seed: number, sd: number): () => number {
  let a = seed;
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A 30-minute run's post-GC readings after a 5-minute warm-up: one a minute, plus the end. */
function postGc(base: (tSec: number) => number, sd: number, seed = 1): MemoryPoint[] {
  const n = noise(seed, sd);
  const times = [...Array.from({ length: 26 }, (_, i) => 300 + i * 60), 1830];
  return times.map((tSec) => ({ tSec, mib: base(tSec) + n() }));
}

describe("soak memory verdict (loadtest/soak-metrics.ts)", () => {
  it("fits the slope of a straight line exactly", () => {
    const fit = linearFit([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })));
    assert.equal(fit.slope, 2);
    assert.equal(fit.stderr, 0);
  });

  it("takes the lowest reading of each window as its floor", () => {
    const floors = floorPerWindow(
      [
        { tSec: 1, mib: 90 },
        { tSec: 30, mib: 70 },
        { tSec: 61, mib: 95 },
        { tSec: 100, mib: 80 },
      ],
      60,
    );
    assert.deepEqual(
      floors.map((f) => f.mib),
      [70, 80],
    );
  });

  it("leaves out a trailing window with too few readings to hold a collection", () => {
    const points = [
      ...Array.from({ length: 12 }, (_, i) => ({
        tSec: 100 + i * 10,
        mib: i % 6 === 0 ? 80 : 200,
      })),
      { tSec: 221, mib: 190 },
    ];
    const floors = floorPerWindow(points, 60);
    assert.deepEqual(
      floors.map((f) => [f.tSec, f.mib]),
      [
        [130, 80],
        [190, 80],
      ],
    );
  });

  it("judges a saw-tooth around a constant live set flat", () => {
    const heap = summarizeSeries(
      sawtooth(() => 80),
      60,
    );
    assert.ok(heap && Math.abs(heap.floorSlopeMiBPerHour) < 5, JSON.stringify(heap));
    assert.deepEqual(judgeMemory(heap, CRITERIA), {
      memoryFlat: true,
      basis: "heap floors",
      reasons: [],
    });
  });

  it("judges a 40 MiB/h leak under the same saw-tooth not flat", () => {
    const heap = summarizeSeries(
      sawtooth((t) => 80 + (40 * t) / 3600),
      60,
    );
    const verdict = judgeMemory(heap, CRITERIA);
    assert.equal(verdict.memoryFlat, false);
    assert.match(verdict.reasons[0]!, /heap floor grows (39|4\d)(\.\d)? MiB\/h > 20/);
  });

  it("judges a flat post-GC heap with 2 MiB of noise flat, for any noise draw", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const series = summarizePostGc(postGc(() => 120, 2, seed))!;
      const verdict = judgeMemory(null, CRITERIA, series);
      assert.deepEqual(verdict, { memoryFlat: true, basis: "post-GC heap", reasons: [] });
      // 27 readings over 25.5 minutes with 2 MiB of scatter: the slope is known to ~±3 MiB/h.
      assert.ok(series.slopeStderrMiBPerHour < 5, JSON.stringify(series));
      assert.ok(Math.abs(series.residualStdMiB - 2) < 1, JSON.stringify(series));
    }
  });

  it("judges steady post-GC growth not flat, whatever the heap floors say", () => {
    for (const perHour of [30, 60, 200]) {
      const series = summarizePostGc(postGc((t) => 120 + (perHour * t) / 3600, 2))!;
      const floors = summarizeSeries(
        sawtooth(() => 80),
        60,
      );
      const verdict = judgeMemory(floors, CRITERIA, series);
      assert.equal(verdict.memoryFlat, false, `${perHour} MiB/h`);
      assert.equal(verdict.basis, "post-GC heap");
      assert.match(verdict.reasons[0]!, /^post-GC heap grows \d+(\.\d)? ± \d+(\.\d)? MiB\/h > 20$/);
      assert.ok(Math.abs(series.slopeMiBPerHour - perHour) < 10, JSON.stringify(series));
    }
  });

  it("calls a post-GC slope under the limit but with too wide an error inconclusive", () => {
    // 20 MiB of scatter: the slope's error (~30 MiB/h) cannot rule out a 20 MiB/h leak.
    const series = summarizePostGc(postGc(() => 300, 20, 3))!;
    assert.ok(series.slopeMiBPerHour <= 20, JSON.stringify(series));
    const verdict = judgeMemory(null, CRITERIA, series);
    assert.equal(verdict.memoryFlat, false);
    assert.match(
      verdict.reasons.join("; "),
      /^inconclusive: post-GC heap slope .* cannot rule out/,
    );
  });

  it("catches a late step in the post-GC heap the slope averages away", () => {
    const points = postGc(() => 120, 1);
    points.at(-1)!.mib = 150;
    const verdict = judgeMemory(null, CRITERIA, summarizePostGc(points));
    assert.equal(verdict.memoryFlat, false);
    assert.ok(
      verdict.reasons.some((r) => /^end post-GC heap 150 MiB > median 1\d\d(\.\d)? MiB/.test(r)),
      verdict.reasons.join("; "),
    );
  });

  it("falls back to the heap floors without post-GC readings", () => {
    assert.equal(summarizePostGc(postGc(() => 120, 1).slice(0, 2)), null);
    const floors = summarizeSeries(
      sawtooth((t) => 80 + (40 * t) / 3600),
      60,
    );
    const verdict = judgeMemory(floors, CRITERIA, null);
    assert.equal(verdict.basis, "heap floors");
    assert.equal(verdict.memoryFlat, false);
    assert.deepEqual(judgeMemory(null, CRITERIA), {
      memoryFlat: null,
      basis: null,
      reasons: ["no heap readings after warm-up"],
    });
  });

  it("counts heap snapshot nodes per constructor and ranks what grew", () => {
    const snapshot = (nodes: [number, number, number][]): HeapSnapshot => ({
      snapshot: {
        meta: {
          node_fields: ["type", "name", "id", "self_size", "edge_count"],
          node_types: [["hidden", "array", "string", "object", "code", "closure"]],
        },
      },
      nodes: nodes.flatMap(([type, name, size], id) => [type, name, id, size, 0]),
      strings: ["", "Client", "onMessage", "x"],
    });
    const before = countByConstructor(
      snapshot([
        [3, 1, 100],
        [5, 2, 32],
        [2, 3, 16],
      ]),
    );
    assert.deepEqual(before.get("Client"), { count: 1, selfBytes: 100 });
    assert.deepEqual(before.get("(closure) onMessage"), { count: 1, selfBytes: 32 });
    assert.deepEqual(before.get("(string)"), { count: 1, selfBytes: 16 });
    const after = countByConstructor(
      snapshot([
        [3, 1, 100],
        [3, 1, 100],
        [3, 1, 2048],
        [5, 2, 32],
        [2, 3, 16],
      ]),
    );
    const growth = heapGrowth(before, after);
    assert.deepEqual(growth.grew, [
      { name: "Client", countBefore: 1, countAfter: 3, countDelta: 2, selfKiBDelta: 2 },
    ]);
  });

  it("reads gauges and the step histogram's p99 from /metrics text", () => {
    const text = (counts: number[]) =>
      [
        'nodejs_heap_size_used_bytes{process="pid-1"} 52428800',
        'mmo_ccu{process="pid-1"} 40',
        ...["0.005", "0.01", "0.02", "+Inf"].map(
          (le, i) => `mmo_room_step_duration_seconds_bucket{le="${le}",room="zone"} ${counts[i]}`,
        ),
      ].join("\n");
    assert.equal(metricValue(text([0, 0, 0, 0]), "nodejs_heap_size_used_bytes"), 52428800);
    assert.equal(metricValue(text([0, 0, 0, 0]), "mmo_ccu"), 40);
    assert.equal(metricValue(text([0, 0, 0, 0]), "mmo_missing"), null);
    const before = histogramBuckets(text([10, 10, 10, 10]), "mmo_room_step_duration_seconds");
    const after = histogramBuckets(text([900, 1000, 1010, 1010]), "mmo_room_step_duration_seconds");
    assert.equal(p99MsBetween(before, after), 10);
  });
});
