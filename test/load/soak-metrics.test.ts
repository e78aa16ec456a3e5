import assert from "node:assert/strict";
import {
  floorPerWindow,
  histogramBuckets,
  judgeMemory,
  linearFit,
  metricValue,
  p99MsBetween,
  summarizeSeries,
  type MemoryPoint,
} from "../../loadtest/soak-metrics.ts";

const CRITERIA = { maxSlopeMiBPerHour: 20, endTolerance: 0.1, windowSec: 60 };

/** 25 minutes of readings every 10 s: a 30 MiB GC saw-tooth (period 70 s) over `base(t)`. */
function sawtooth(base: (tSec: number) => number): MemoryPoint[] {
  return Array.from({ length: 150 }, (_, i) => {
    const tSec = 300 + i * 10;
    return { tSec, mib: base(tSec) + ((tSec % 70) / 70) * 30 };
  });
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
    assert.deepEqual(judgeMemory(heap, CRITERIA), { memoryFlat: true, reasons: [] });
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
