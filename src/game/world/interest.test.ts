import assert from "node:assert/strict";
import fc from "fast-check";
import { SpatialGrid } from "./spatial-grid.ts";
import {
  clearInterest,
  createInterestScratch,
  createInterestSet,
  updateInterest,
} from "./interest.ts";

const R = 100;
const EXIT = 110;

function setup() {
  const grid = new SpatialGrid(2000, 2000, 64);
  grid.insert(0, 500, 500); // the viewer itself
  return {
    grid,
    set: createInterestSet(),
    scratch: createInterestScratch(4),
    entered: [] as number[],
    left: [] as number[],
  };
}

describe("interest", () => {
  it("reports an entity entering when it comes within the radius", () => {
    const s = setup();
    s.grid.insert(1, 590, 500);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    assert.deepEqual(s.entered, [1]);
    assert.deepEqual(s.left, []);
    assert.deepEqual(s.set.members, [1]);
  });

  it("keeps an entity without events when it hovers between radius and exit radius", () => {
    const s = setup();
    s.grid.insert(1, 590, 500);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    for (const x of [605, 595, 609, 601, 608]) {
      s.grid.move(1, x, 500);
      updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
      assert.deepEqual([s.entered, s.left], [[], []], `at x=${x}`);
    }
    assert.deepEqual(s.set.members, [1]);
  });

  it("does not admit an entity when it is between radius and exit radius but was never in", () => {
    const s = setup();
    s.grid.insert(1, 605, 500);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    assert.deepEqual(s.entered, []);
  });

  it("reports leaving when the entity moves beyond the exit radius or is removed", () => {
    const s = setup();
    s.grid.insert(1, 590, 500);
    s.grid.insert(2, 500, 450);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    s.grid.move(1, 611, 500);
    s.grid.remove(2);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    assert.deepEqual([...s.left].sort(), [1, 2]);
    assert.deepEqual(s.set.members, []);
  });

  it("reports leave then enter when a handle is re-inserted between updates", () => {
    const s = setup();
    s.grid.insert(1, 550, 500);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    s.grid.remove(1);
    s.grid.insert(1, 560, 500);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    assert.deepEqual([s.left, s.entered], [[1], [1]]);
  });

  it("spreads a burst over several updates when maxEntered is set", () => {
    const s = setup();
    for (let h = 1; h <= 10; h++) s.grid.insert(h, 500 + h, 500);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left, 4);
      assert.equal(s.entered.length, [4, 4, 2][i]);
      seen.push(...s.entered);
    }
    assert.deepEqual(
      seen.sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
  });

  it("empties the set into left when cleared", () => {
    const s = setup();
    s.grid.insert(1, 550, 500);
    s.grid.insert(2, 450, 500);
    updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
    clearInterest(s.set, s.left);
    assert.deepEqual([...s.left].sort(), [1, 2]);
    assert.equal(s.set.members.length, 0);
  });

  it("matches the hysteresis model when entities and viewer move randomly", () => {
    const step = fc.array(
      fc.record({
        h: fc.integer({ min: 1, max: 12 }),
        x: fc.double({ min: 300, max: 700, noNaN: true }),
        y: fc.double({ min: 300, max: 700, noNaN: true }),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 15 }), (steps) => {
        const s = setup();
        const model = new Set<number>();
        for (const moves of steps) {
          for (const m of moves) {
            if (s.grid.has(m.h)) s.grid.move(m.h, m.x, m.y);
            else s.grid.insert(m.h, m.x, m.y);
          }
          updateInterest(s.set, s.grid, 0, 500, 500, R, EXIT, s.scratch, s.entered, s.left);
          for (let h = 1; h <= 12; h++) {
            if (!s.grid.has(h)) continue;
            const d = Math.hypot(s.grid.xOf(h) - 500, s.grid.yOf(h) - 500);
            const was = model.has(h);
            if (d <= R || (was && d <= EXIT)) model.add(h);
            else model.delete(h);
            assert.equal(s.entered.includes(h), !was && model.has(h), `entered ${h}`);
            assert.equal(s.left.includes(h), was && !model.has(h), `left ${h}`);
          }
          assert.deepEqual(
            [...s.set.members].sort((a, b) => a - b),
            [...model].sort((a, b) => a - b),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
