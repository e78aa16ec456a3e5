import assert from "node:assert/strict";
import fc from "fast-check";
import { SpatialGrid } from "./spatial-grid.ts";
import { createInterestScratch, createInterestSet } from "./interest.ts";
import {
  cellAt,
  cellGeometry,
  cellWithHysteresis,
  distanceSqToCell,
  updateCellInterest,
} from "./cell-interest.ts";

// AOI radius 400: cells of 200 units, reach 300, exit 330, margin 50.
const geometry = cellGeometry(400);

function setup() {
  return {
    grid: new SpatialGrid(4000, 4000, 64),
    set: createInterestSet(),
    scratch: createInterestScratch(4),
    entered: [] as number[],
    left: [] as number[],
  };
}

describe("cell interest", () => {
  it("cuts the zone in cells of half the radius, reaching 3/4 of it from the cell's square", () => {
    assert.deepEqual(geometry, { size: 200, reach: 300, exitReach: 330, margin: 50 });
    assert.equal(cellAt(geometry, 450, 1650), cellAt(geometry, 599, 1601));
    assert.notEqual(cellAt(geometry, 450, 1650), cellAt(geometry, 601, 1650));
    const key = cellAt(geometry, 450, 1650); // the square 400..600 × 1600..1800
    assert.equal(distanceSqToCell(geometry, key, 500, 1700), 0);
    assert.equal(distanceSqToCell(geometry, key, 300, 1700), 100 * 100);
    assert.equal(distanceSqToCell(geometry, key, 900, 2100), 300 * 300 + 300 * 300);
  });

  it("keeps a viewer in its cell until it is a margin past the edge", () => {
    const key = cellAt(geometry, 450, 1650);
    assert.equal(cellWithHysteresis(geometry, key, 640, 1650), key, "40 past the edge");
    assert.equal(cellWithHysteresis(geometry, key, 660, 1650), cellAt(geometry, 660, 1650));
    assert.equal(cellWithHysteresis(geometry, key, 450, 1560), key);
  });

  it("enters within reach of the square, stays until the exit reach, then leaves", () => {
    const s = setup();
    const key = cellAt(geometry, 450, 1650);
    s.grid.insert(1, 890, 1700); // 290 east of the square
    s.grid.insert(2, 910, 1700); // 310: outside
    const update = () =>
      updateCellInterest(s.set, s.grid, geometry, key, s.scratch, s.entered, s.left);
    update();
    assert.deepEqual([s.entered, s.left], [[1], []]);
    s.grid.move(1, 920, 1700); // 320: past reach, within exit
    s.grid.move(2, 895, 1700);
    update();
    assert.deepEqual([s.entered, s.left, [...s.set.members].sort()], [[2], [], [1, 2]]);
    s.grid.move(1, 940, 1700);
    update();
    assert.deepEqual([s.entered, s.left], [[], [1]]);
  });

  it("caps what enters per update, except the pinned viewers' own entities", () => {
    const s = setup();
    const key = cellAt(geometry, 450, 1650);
    for (let h = 0; h < 10; h++) s.grid.insert(h, 410 + h * 10, 1700);
    updateCellInterest(s.set, s.grid, geometry, key, s.scratch, s.entered, s.left, 3, [9]);
    assert.equal(s.entered.length, 4);
    assert.ok(s.entered.includes(9), "the pinned one entered on top of the cap");
    updateCellInterest(s.set, s.grid, geometry, key, s.scratch, s.entered, s.left, 3, [9]);
    assert.equal(s.entered.length, 3, "three more");
  });

  it("holds exactly the entities within reach once settled (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1999 }), fc.integer({ min: 0, max: 1999 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        (points, col, row) => {
          const s = setup();
          points.forEach(([x, y], h) => s.grid.insert(h, x, y));
          const key = cellAt(geometry, col * 200 + 1, row * 200 + 1);
          updateCellInterest(s.set, s.grid, geometry, key, s.scratch, s.entered, s.left);
          const expected = points
            .map(([x, y], h) => [h, distanceSqToCell(geometry, key, x, y)] as const)
            .filter(([, d2]) => d2 <= geometry.reach ** 2)
            .map(([h]) => h);
          assert.deepEqual(
            [...s.set.members].sort((a, b) => a - b),
            expected,
          );
        },
      ),
    );
  });
});
