import assert from "node:assert/strict";
import type { StoredRows } from "../../src/progression/progress.repository.ts";
import { StoredRowsCache } from "../../src/progression/stored-rows-cache.ts";

const rows = (id: string, quantity = 1): StoredRows => ({
  id,
  inventory: [{ slot: 0, itemId: "wolf_pelt", quantity }],
  equipment: [],
  quests: [],
  completedQuests: [],
});

describe("StoredRowsCache", () => {
  it("answers only for the version the rows were stored at", () => {
    const cache = new StoredRowsCache();
    cache.set("a", 3, rows("a", 5));
    assert.deepEqual(cache.get("a", 3), rows("a", 5));
    assert.equal(cache.get("a", 4), undefined, "someone saved since");
    assert.equal(cache.get("a", 2), undefined);
    assert.equal(cache.get("b", 3), undefined);
    cache.set("a", 4, rows("a", 6));
    assert.deepEqual(cache.get("a", 4), rows("a", 6));
    assert.equal(cache.get("a", 3), undefined, "only the latest version is kept");
    cache.drop("a");
    assert.equal(cache.get("a", 4), undefined);
  });

  it("forgets the least recently used character beyond its size", () => {
    const cache = new StoredRowsCache(2);
    cache.set("a", 1, rows("a"));
    cache.set("b", 1, rows("b"));
    assert.ok(cache.get("a", 1), "a is now the most recently used");
    cache.set("c", 1, rows("c"));
    assert.equal(cache.size, 2);
    assert.equal(cache.get("b", 1), undefined);
    assert.ok(cache.get("a", 1));
    assert.ok(cache.get("c", 1));
  });
});
