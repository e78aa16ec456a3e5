import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createCache } from "../../src/cache/create-cache.ts";
import { createRedisCache } from "../../src/cache/redis-cache.ts";
import { createLogger } from "../../src/logger.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { freePort } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";

const logger = createLogger("silent");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function counter(metrics: ReturnType<typeof createMetrics>, name: string, labels: string) {
  const text = await metrics.registry.metrics();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.split(" ")[1]);
}

describe("createRedisCache on real Redis", function () {
  const prefix = `test:${process.pid}:${randomUUID()}:`;
  let cache: ReturnType<typeof createRedisCache>;
  let metrics: ReturnType<typeof createMetrics>;

  before(async function () {
    if (!(await serviceAvailable("redis"))) this.skip();
  });
  beforeEach(async () => {
    metrics = createMetrics({ defaultMetrics: false });
    cache = createRedisCache({ url: SERVICE_URLS.redis, logger, metrics, keyPrefix: prefix });
    assert.equal(await cache.whenReady(2_000), true);
  });
  afterEach(async () => {
    const keys = await cache.client.keys(`${prefix}*`);
    if (keys.length > 0) await cache.client.del(...keys);
    await cache.close();
  });

  it("returns stored JSON on a hit and undefined on a miss, and counts both", async () => {
    await cache.set("characters:a1", [{ id: "c1", name: "Aria", level: 3 }], 10_000);
    assert.deepEqual(await cache.get("characters:a1"), [{ id: "c1", name: "Aria", level: 3 }]);
    assert.equal(await cache.get("characters:nobody"), undefined);
    assert.deepEqual(cache.stats, { hits: 1, misses: 1, errors: 0 });
    assert.equal(await counter(metrics, "mmo_cache_hits_total", 'cache="redis"'), 1);
    assert.equal(await counter(metrics, "mmo_cache_misses_total", 'cache="redis"'), 1);
  });

  it("stores under the key prefix with a PX time to live", async () => {
    await cache.set("k", { a: 1 }, 5_000);
    assert.equal(await cache.client.get(`${prefix}k`), '{"a":1}');
    const pttl = await cache.client.pttl(`${prefix}k`);
    assert.ok(pttl > 4_000 && pttl <= 5_000, `pttl ${pttl}`);
  });

  it("misses once the time to live has passed", async () => {
    await cache.set("short", "v", 60);
    assert.equal(await cache.get("short"), "v");
    await sleep(150);
    assert.equal(await cache.get("short"), undefined);
  });

  it("misses after delete", async () => {
    await cache.set("gone", 42, 10_000);
    await cache.delete("gone");
    assert.equal(await cache.get("gone"), undefined);
    assert.equal(await cache.client.exists(`${prefix}gone`), 0);
  });

  it("treats a corrupt entry as a miss, counts an error and removes it", async () => {
    await cache.client.set(`${prefix}bad`, "{not json", "PX", 10_000);
    assert.equal(await cache.get("bad"), undefined);
    assert.equal(cache.stats.errors, 1);
    await sleep(20);
    assert.equal(await cache.client.exists(`${prefix}bad`), 0);
  });

  it("is chosen by createCache when a Redis URL is set", async () => {
    const chosen = await createCache({ redisUrl: SERVICE_URLS.redis, logger, keyPrefix: prefix });
    try {
      assert.equal(chosen.kind, "redis");
      await chosen.set("via-factory", { ok: true }, 10_000);
      assert.deepEqual(await cache.get("via-factory"), { ok: true });
    } finally {
      await chosen.close();
    }
  });
});

describe("createRedisCache when Redis is down", () => {
  it("lets createCache start within its connect timeout", async () => {
    const port = await freePort();
    const started = Date.now();
    const cache = await createCache({
      redisUrl: `redis://127.0.0.1:${port}`,
      logger,
      connectTimeoutMs: 200,
    });
    try {
      assert.equal(cache.kind, "redis");
      assert.ok(Date.now() - started < 1_000);
      assert.equal(await cache.get("k"), undefined);
    } finally {
      await cache.close();
    }
  });

  it("answers fast with misses, swallows writes and counts every error", async () => {
    const port = await freePort(); // nothing listens there
    const metrics = createMetrics({ defaultMetrics: false });
    const cache = createRedisCache({ url: `redis://127.0.0.1:${port}`, logger, metrics });
    try {
      assert.equal(await cache.whenReady(100), false);
      const started = Date.now();
      assert.equal(await cache.get("k"), undefined);
      await cache.set("k", { a: 1 }, 1_000);
      await cache.delete("k");
      assert.equal(await cache.get("k"), undefined);
      const elapsedMs = Date.now() - started;
      assert.ok(elapsedMs < 1_000, `took ${elapsedMs} ms`);
      assert.deepEqual(cache.stats, { hits: 0, misses: 2, errors: 4 });
      assert.equal(
        await counter(metrics, "mmo_cache_errors_total", 'cache="redis",operation="get"'),
        2,
      );
      assert.equal(
        await counter(metrics, "mmo_cache_errors_total", 'cache="redis",operation="set"'),
        1,
      );
      assert.equal(
        await counter(metrics, "mmo_cache_errors_total", 'cache="redis",operation="delete"'),
        1,
      );
      assert.equal(await counter(metrics, "mmo_cache_misses_total", 'cache="redis"'), 2);
    } finally {
      await cache.close();
    }
  });
});

describe("createCache without a Redis URL", () => {
  it("uses the in-process cache and counts hits and misses", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const cache = await createCache({ logger, metrics });
    assert.equal(cache.kind, "memory");
    await cache.set("k", [1, 2], 10_000);
    assert.deepEqual(await cache.get("k"), [1, 2]);
    assert.equal(await cache.get("other"), undefined);
    assert.equal(await counter(metrics, "mmo_cache_hits_total", 'cache="memory"'), 1);
    assert.equal(await counter(metrics, "mmo_cache_misses_total", 'cache="memory"'), 1);
    await cache.close();
  });
});
