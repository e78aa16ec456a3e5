import assert from "node:assert/strict";
import fc from "fast-check";
import { integrateMove, moveToward, normalizeDirection, type Position } from "./movement.ts";
import { compileGeometry, isBlocked, openGeometry } from "./zone-geometry.ts";

// 4x4 tiles of 10 units: blocked at (col 1, row 0), (3, 0), and a wall at col 2 on rows 1-2.
const walled = compileGeometry({
  width: 40,
  height: 40,
  tileSize: 10,
  tiles: [".#.#", "..#.", "..#.", "...."],
});

describe("movement", () => {
  it("normalises a direction to unit length when it is finite and non-zero", () => {
    const out = { x: 0, y: 0 };
    assert.equal(normalizeDirection(3, 4, out), true);
    assert.deepEqual(out, { x: 0.6, y: 0.8 });
  });

  it("refuses a direction when it is NaN, Infinity, zero or not a number", () => {
    const out = { x: 7, y: 7 };
    for (const [dx, dy] of [
      [NaN, 1],
      [1, Infinity],
      [0, 0],
      ["1", 0],
    ] as const) {
      assert.equal(normalizeDirection(dx, dy, out), false, `${dx},${dy}`);
    }
    assert.deepEqual(out, { x: 7, y: 7 });
  });

  it("normalises to unit length when the direction is huge", () => {
    const out = { x: 0, y: 0 };
    assert.equal(normalizeDirection(1e308, 1e308, out), true);
    assert.ok(Math.abs(Math.hypot(out.x, out.y) - 1) < 1e-12);
  });

  it("moves speed × dt units when the way is open", () => {
    const pos = { x: 100, y: 100 };
    const travelled = integrateMove(pos, 1, 0, 200, 50, openGeometry(1000, 1000));
    assert.equal(travelled, 10);
    assert.deepEqual(pos, { x: 110, y: 100 });
  });

  it("clamps to the zone bounds when moving past the edge", () => {
    const pos = { x: 995, y: 2 };
    integrateMove(pos, Math.SQRT1_2, -Math.SQRT1_2, 400, 100, openGeometry(1000, 1000));
    assert.deepEqual(pos, { x: 1000, y: 0 });
  });

  it("stops at a wall when both axes are blocked", () => {
    const pos = { x: 15, y: 15 };
    integrateMove(pos, 1, 0, 100, 100, walled);
    assert.ok(pos.x < 20 && pos.x >= 15, `x=${pos.x}`);
    assert.equal(pos.y, 15);
    assert.equal(isBlocked(walled, pos.x, pos.y), false);
  });

  it("slides along the free axis when moving diagonally into a wall", () => {
    const pos = { x: 15, y: 12 };
    integrateMove(pos, Math.SQRT1_2, Math.SQRT1_2, 100, 100, walled);
    assert.ok(pos.x < 20, `x=${pos.x}`);
    assert.ok(pos.y > 18, `y=${pos.y} slid down`);
  });

  it("does not tunnel through a wall when the step is longer than a tile", () => {
    const pos = { x: 15, y: 15 };
    integrateMove(pos, 1, 0, 10_000, 1000, walled);
    assert.ok(pos.x < 20, `x=${pos.x}`);
  });

  it("ignores the move when speed or dt are not positive finite numbers", () => {
    const geo = openGeometry(100, 100);
    for (const [speed, dt] of [
      [NaN, 50],
      [100, NaN],
      [-5, 50],
      [100, -50],
      [Infinity, 50],
    ]) {
      const pos = { x: 50, y: 50 };
      assert.equal(integrateMove(pos, 1, 0, speed as number, dt as number, geo), 0);
      assert.deepEqual(pos, { x: 50, y: 50 });
    }
  });

  it("never exceeds speed × dt and never ends on a blocked tile when inputs are random", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 40, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        (x, y, dx, dy, speed, dt) => {
          const pos: Position = { x, y };
          const startBlocked = isBlocked(walled, x, y);
          const dir = { x: 0, y: 0 };
          if (!normalizeDirection(dx, dy, dir)) return;
          integrateMove(pos, dir.x, dir.y, speed, dt, walled);
          const moved = Math.hypot(pos.x - x, pos.y - y);
          assert.ok(moved <= (speed * dt) / 1000 + 1e-9, `moved ${moved}`);
          assert.ok(pos.x >= 0 && pos.x <= 40 && pos.y >= 0 && pos.y <= 40);
          if (!startBlocked) assert.equal(isBlocked(walled, pos.x, pos.y), false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("arrives exactly when the target is within one step", () => {
    const pos = { x: 10, y: 10 };
    assert.equal(moveToward(pos, 13, 14, 100, 100, openGeometry(100, 100)), 0);
    assert.deepEqual(pos, { x: 13, y: 14 });
  });

  it("returns the remaining distance when the target is farther than one step", () => {
    const pos = { x: 0, y: 0 };
    const remaining = moveToward(pos, 30, 40, 100, 100, openGeometry(100, 100));
    assert.ok(Math.abs(remaining - 40) < 1e-9, `remaining ${remaining}`);
  });
});
