import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { Cache, CacheStats } from "./cache.ts";

export type RedisCacheOptions = {
  url: string;
  logger: Logger;
  metrics?: Metrics;
  /** Prepended to every key, e.g. `mmo:cache:`. */
  keyPrefix?: string;
  /** How long one command may take before it counts as a failure (a miss for `get`). */
  commandTimeoutMs?: number;
};

const DEFAULT_PREFIX = "mmo:cache:";
const DEFAULT_COMMAND_TIMEOUT_MS = 250;
/** At most one warning per window, so a Redis outage does not flood the log. */
const WARN_EVERY_MS = 10_000;

/**
 * A `Cache` on Redis: JSON values, TTL via PX. Redis failures never reach the caller: a failed
 * `get` is a miss, a failed `set`/`delete` is dropped, and each is counted. With no offline queue
 * and a short command timeout, a down Redis answers in milliseconds instead of hanging requests.
 */
export function createRedisCache(options: RedisCacheOptions): Cache & {
  stats: CacheStats;
  readonly client: Redis;
  /** Resolves true once connected, false after `timeoutMs` (the cache keeps serving misses). */
  whenReady(timeoutMs: number): Promise<boolean>;
} {
  const { logger, metrics } = options;
  const log = logger.child({ component: "redis-cache" });
  const prefix = options.keyPrefix ?? DEFAULT_PREFIX;
  const client = new Redis(options.url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    // Keep reconnecting in the background (capped backoff); commands fail fast meanwhile.
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
  const stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  const labels = { cache: "redis" } as const;
  let lastWarnAt = 0;
  let closed = false;

  client.on("error", (error: Error) => warn(error, "connection"));
  client.on("ready", () => log.info("redis cache connected"));

  function warn(error: unknown, operation: string): void {
    const now = Date.now();
    if (now - lastWarnAt < WARN_EVERY_MS) return;
    lastWarnAt = now;
    log.warn({ err: error, operation }, "redis cache unavailable; serving misses");
  }

  function fail(error: unknown, operation: "get" | "set" | "delete"): void {
    stats.errors += 1;
    metrics?.cacheErrors.inc({ ...labels, operation });
    warn(error, operation);
  }

  function miss(): undefined {
    stats.misses += 1;
    metrics?.cacheMisses.inc(labels);
    return undefined;
  }

  return {
    stats,
    client,
    whenReady(timeoutMs) {
      if (client.status === "ready") return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off("ready", onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once("ready", onReady);
      });
    },
    async get<T>(key: string): Promise<T | undefined> {
      let json: string | null;
      try {
        json = await client.get(prefix + key);
      } catch (error) {
        fail(error, "get");
        return miss();
      }
      if (json === null) return miss();
      try {
        const value = JSON.parse(json) as T;
        stats.hits += 1;
        metrics?.cacheHits.inc(labels);
        return value;
      } catch (error) {
        // A corrupt entry: count it, drop it, and let the caller read through.
        fail(error, "get");
        client.del(prefix + key).catch(() => undefined);
        return miss();
      }
    },
    async set(key, value, ttlMs) {
      try {
        await client.set(prefix + key, JSON.stringify(value), "PX", Math.max(1, Math.ceil(ttlMs)));
      } catch (error) {
        fail(error, "set");
      }
    },
    async delete(key) {
      try {
        await client.del(prefix + key);
      } catch (error) {
        fail(error, "delete");
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
