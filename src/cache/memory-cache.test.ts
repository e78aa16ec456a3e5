import assert from "node:assert/strict";
import { createMemoryCache } from "./memory-cache.ts";

describe("createMemoryCache", () => {
  it("returns a stored value until its time to live passes", async () => {
    let t = 1000;
    const cache = createMemoryCache(10, () => t);
    await cache.set("k", { a: 1 }, 500);
    assert.deepEqual(await cache.get("k"), { a: 1 });
    t = 1499;
    assert.deepEqual(await cache.get("k"), { a: 1 });
    t = 1500;
    assert.equal(await cache.get("k"), undefined);
    assert.deepEqual(cache.stats, { hits: 2, misses: 1, errors: 0 });
  });

  it("evicts the least recently used entry when full", async () => {
    const cache = createMemoryCache(2);
    await cache.set("a", 1, 60_000);
    await cache.set("b", 2, 60_000);
    await cache.get("a");
    await cache.set("c", 3, 60_000);
    assert.equal(await cache.get("b"), undefined);
    assert.equal(await cache.get("a"), 1);
    assert.equal(await cache.get("c"), 3);
    assert.equal(cache.size(), 2);
  });

  it("hands out copies so a caller cannot change the cached value", async () => {
    const cache = createMemoryCache();
    await cache.set("k", { list: [1] }, 60_000);
    const first = await cache.get<{ list: number[] }>("k");
    first!.list.push(2);
    assert.deepEqual(await cache.get("k"), { list: [1] });
  });

  it("forgets a deleted key", async () => {
    const cache = createMemoryCache();
    await cache.set("k", 1, 60_000);
    await cache.delete("k");
    assert.equal(await cache.get("k"), undefined);
  });
});
