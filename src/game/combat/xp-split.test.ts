import { strict as assert } from "node:assert";
import fc from "fast-check";
import { levelShareFactor, splitXp } from "./xp-split.ts";

describe("splitXp", () => {
  it("splits by damage share when levels are equal", () => {
    const shares = splitXp(
      100,
      [
        { id: "a", damage: 300, level: 5 },
        { id: "b", damage: 100, level: 5 },
      ],
      5,
    );
    assert.deepEqual(shares, [
      { id: "a", xp: 75 },
      { id: "b", xp: 25 },
    ]);
  });

  it("hands rounding leftovers to the largest remainders when shares are fractional", () => {
    const shares = splitXp(
      10,
      [
        { id: "a", damage: 1, level: 1 },
        { id: "b", damage: 1, level: 1 },
        { id: "c", damage: 1, level: 1 },
      ],
      1,
    );
    assert.deepEqual(
      shares.map((s) => s.xp),
      [4, 3, 3],
    );
  });

  it("shrinks an over-levelled helper's share when far above the mob", () => {
    assert.equal(levelShareFactor(10, 5), 1);
    assert.equal(levelShareFactor(12, 5), 0.7);
    assert.equal(levelShareFactor(60, 5), 0.1);
    const shares = splitXp(
      100,
      [
        { id: "low", damage: 100, level: 5 },
        { id: "high", damage: 100, level: 60 },
      ],
      5,
    );
    assert.deepEqual(shares, [
      { id: "low", xp: 91 },
      { id: "high", xp: 9 },
    ]);
  });

  it("splits evenly when nobody did positive damage, and returns [] for nobody", () => {
    assert.deepEqual(
      splitXp(
        5,
        [
          { id: "a", damage: 0, level: 1 },
          { id: "b", damage: NaN, level: 1 },
        ],
        1,
      ).map((s) => s.xp),
      [3, 2],
    );
    assert.deepEqual(splitXp(5, [], 1), []);
  });

  it("merges repeated ids when a contributor appears twice", () => {
    assert.deepEqual(
      splitXp(
        9,
        [
          { id: "a", damage: 1, level: 1 },
          { id: "b", damage: 1, level: 1 },
          { id: "a", damage: 1, level: 1 },
        ],
        1,
      ),
      [
        { id: "a", xp: 6 },
        { id: "b", xp: 3 },
      ],
    );
  });

  it("throws when the reward is not a non-negative integer", () => {
    assert.throws(() => splitXp(1.5, [], 1), RangeError);
  });

  it("sums exactly to the reward with non-negative integer shares when inputs are arbitrary", () => {
    const contributor = fc.record({
      id: fc.constantFrom("a", "b", "c", "d", "e", "f"),
      damage: fc.oneof(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.constant(1e-300),
        fc.double(),
      ),
      level: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.array(contributor, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 60 }),
        (reward, contributors, mobLevel) => {
          const shares = splitXp(reward, contributors, mobLevel);
          assert.equal(
            shares.reduce((a, s) => a + s.xp, 0),
            reward,
          );
          assert.ok(shares.every((s) => Number.isInteger(s.xp) && s.xp >= 0));
          assert.equal(shares.length, new Set(contributors.map((c) => c.id)).size);
        },
      ),
      { numRuns: 300 },
    );
  });
});
