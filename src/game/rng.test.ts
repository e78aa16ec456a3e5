import { strict as assert } from "node:assert";
import fc from "fast-check";
import { createRng, restoreRng } from "./rng.ts";

describe("rng", () => {
  it("returns the same sequence when seeded with the same number", () => {
    const a = createRng(42);
    const b = createRng(42);
    const seqA = Array.from({ length: 100 }, () => a.next());
    const seqB = Array.from({ length: 100 }, () => b.next());
    assert.deepEqual(seqA, seqB);
  });

  it("returns a different sequence when seeded differently", () => {
    const a = createRng(1);
    const b = createRng(2);
    assert.notDeepEqual(
      Array.from({ length: 10 }, () => a.next()),
      Array.from({ length: 10 }, () => b.next()),
    );
  });

  it("keeps next() within [0, 1) when drawn many times", () => {
    const rng = createRng(7);
    let min = 1;
    let max = 0;
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (x < min) min = x;
      if (x > max) max = x;
      sum += x;
    }
    assert.ok(min >= 0 && max < 1);
    assert.ok(Math.abs(sum / n - 0.5) < 0.01, `mean ${sum / n}`);
  });

  it("covers every integer of an inclusive range when int() is drawn", () => {
    const rng = createRng(3);
    const seen = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const x = rng.int(1, 6);
      seen.set(x, (seen.get(x) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), [1, 2, 3, 4, 5, 6]);
    for (const count of seen.values()) assert.ok(count > 800 && count < 1200, `count ${count}`);
  });

  it("stays inside the range when int() gets arbitrary bounds", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat(),
        (seed, lo, span) => {
          const v = createRng(seed).int(lo, lo + span);
          return Number.isInteger(v) && v >= lo && v <= lo + span;
        },
      ),
    );
  });

  it("throws when int() gets an inverted range", () => {
    assert.throws(() => createRng(1).int(5, 4), RangeError);
  });

  it("picks only array members when pick() is drawn", () => {
    const rng = createRng(9);
    const items = ["a", "b", "c"] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(rng.pick(items));
    assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
    assert.throws(() => rng.pick([]), RangeError);
  });

  it("continues the same sequence when state is saved and restored", () => {
    const rng = createRng(123);
    for (let i = 0; i < 50; i++) rng.next();
    const saved = rng.getState();
    const expected = Array.from({ length: 20 }, () => rng.next());
    const restored = restoreRng(saved);
    assert.deepEqual(
      Array.from({ length: 20 }, () => restored.next()),
      expected,
    );
    rng.setState(saved);
    assert.equal(rng.next(), expected[0]);
  });

  it("matches a pinned value when seeded with 2024", () => {
    // Pinned so a change of algorithm (which would break saved replays) is noticed.
    const rng = createRng(2024);
    const first = [rng.next(), rng.next(), rng.next()];
    assert.deepEqual(
      first.map((x) => x.toFixed(10)),
      PINNED_2024,
    );
  });
});

const PINNED_2024 = ["0.7652199939", "0.7498473153", "0.2283866839"];
