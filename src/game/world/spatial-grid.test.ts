import assert from "node:assert/strict";
import fc from "fast-check";
import { SpatialGrid } from "./spatial-grid.ts";

type Op =
  | { kind: "insert"; h: number; x: number; y: number }
  | { kind: "move"; h: number; x: number; y: number }
  | { kind: "remove"; h: number };

const coord = fc.double({ min: -200, max: 1200, noNaN: true });
const handle = fc.integer({ min: 0, max: 40 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), h: handle, x: coord, y: coord }),
  fc.record({ kind: fc.constant("move" as const), h: handle, x: coord, y: coord }),
  fc.record({ kind: fc.constant("remove" as const), h: handle }),
);
const query = fc.record({ x: coord, y: coord, r: fc.double({ min: 0, max: 600, noNaN: true }) });

describe("SpatialGrid", () => {
  it("returns exactly the brute-force set when ops and queries are random", () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 120 }),
        fc.array(query, { maxLength: 10 }),
        (ops, qs) => {
          const grid = new SpatialGrid(1000, 1000, 64, 4);
          const model = new Map<number, { x: number; y: number }>();
          for (const o of ops) {
            if (o.kind === "insert" && !model.has(o.h)) {
              grid.insert(o.h, o.x, o.y);
              model.set(o.h, { x: o.x, y: o.y });
            } else if (o.kind === "move" && model.has(o.h)) {
              grid.move(o.h, o.x, o.y);
              model.set(o.h, { x: o.x, y: o.y });
            } else if (o.kind === "remove") {
              assert.equal(grid.remove(o.h), model.delete(o.h));
            }
          }
          assert.equal(grid.size, model.size);
          const out: number[] = [];
          for (const q of qs) {
            const n = grid.queryRadius(q.x, q.y, q.r, out);
            const expected = [...model]
              .filter(([, p]) => (p.x - q.x) ** 2 + (p.y - q.y) ** 2 <= q.r * q.r)
              .map(([h]) => h)
              .sort((a, b) => a - b);
            assert.equal(n, out.length);
            assert.deepEqual(
              [...out].sort((a, b) => a - b),
              expected,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds entities at the exact radius boundary when distance equals r", () => {
    const grid = new SpatialGrid(500, 500, 50);
    grid.insert(1, 100, 100);
    grid.insert(2, 130, 140); // distance 50
    const out: number[] = [];
    assert.equal(grid.queryRadius(100, 100, 50, out), 2);
    assert.equal(grid.queryRadius(100, 100, 49.99, out), 1);
    assert.deepEqual(out, [1]);
  });

  it("bumps the generation when a handle is inserted again", () => {
    const grid = new SpatialGrid(100, 100, 10);
    grid.insert(3, 5, 5);
    const first = grid.generation(3);
    grid.remove(3);
    grid.insert(3, 5, 5);
    assert.equal(grid.generation(3), first + 1);
  });

  it("throws when a present handle is inserted twice", () => {
    const grid = new SpatialGrid(100, 100, 10);
    grid.insert(0, 1, 1);
    assert.throws(() => grid.insert(0, 2, 2), /already in grid/);
  });

  it("grows past its initial capacity when handles are large", () => {
    const grid = new SpatialGrid(100, 100, 10, 2);
    grid.insert(1000, 50, 50);
    const out: number[] = [];
    assert.equal(grid.queryRadius(50, 50, 1, out), 1);
    assert.equal(grid.xOf(1000), 50);
  });
});
