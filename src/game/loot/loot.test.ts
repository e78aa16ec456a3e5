import { strict as assert } from "node:assert";
import fc from "fast-check";
import { testContent } from "../content/test-content.ts";
import type { LootTable } from "../content/loot.ts";
import { createRng } from "../rng.ts";
import { rollGold, rollLoot, rollMobLoot } from "./loot.ts";

const content = testContent();
const table: LootTable = {
  id: "t",
  rolls: 1,
  nothingWeight: 50,
  entries: [
    { item: "herb", weight: 30, min: 1, max: 3 },
    { item: "potion", weight: 20, min: 1, max: 1 },
  ],
};

describe("rollLoot", () => {
  it("drops in proportion to the weights when rolled many times", () => {
    const rng = createRng(99);
    const counts = { nothing: 0, herb: 0, potion: 0 };
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const [drop] = rollLoot(table, rng);
      counts[(drop?.itemId ?? "nothing") as keyof typeof counts]++;
    }
    assert.ok(Math.abs(counts.nothing / n - 0.5) < 0.02, JSON.stringify(counts));
    assert.ok(Math.abs(counts.herb / n - 0.3) < 0.02, JSON.stringify(counts));
    assert.ok(Math.abs(counts.potion / n - 0.2) < 0.02, JSON.stringify(counts));
  });

  it("merges repeated items and keeps quantities in range when rolls > 1", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const drops = rollLoot({ ...table, rolls: 5, nothingWeight: 0 }, createRng(seed));
        assert.equal(new Set(drops.map((d) => d.itemId)).size, drops.length);
        const herb = drops.find((d) => d.itemId === "herb")?.qty ?? 0;
        assert.ok(herb <= 15);
        const total = drops.reduce((a, d) => a + d.qty, 0);
        assert.ok(total >= 5 && total <= 15);
      }),
    );
  });

  it("drops nothing when only the nothing weight is set", () => {
    assert.deepEqual(rollLoot({ ...table, entries: [], nothingWeight: 1 }, createRng(1)), []);
  });

  it("returns the same drops when the seed is the same", () => {
    const rat = content.mobs.get("rat");
    assert.ok(rat);
    const a = rollMobLoot(rat, content.lootTables, createRng(5));
    const b = rollMobLoot(rat, content.lootTables, createRng(5));
    assert.deepEqual(a, b);
    assert.ok(a.gold >= 1 && a.gold <= 3);
  });
});

describe("rollGold", () => {
  it("stays within the range when rolled", () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(rollGold({ min: 2, max: 4 }, rng));
    assert.deepEqual([...seen].sort(), [2, 3, 4]);
  });
});
