import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { Cache } from "./cache.ts";
import { createMemoryCache } from "./memory-cache.ts";
import { createRedisCache } from "./redis-cache.ts";

export type CreateCacheOptions = {
  /** `REDIS_URL`: Redis when set, the in-process LRU otherwise. */
  redisUrl?: string;
  logger: Logger;
  metrics?: Metrics;
  keyPrefix?: string;
  /** How long start-up waits for Redis before going on (serving misses until it connects). */
  connectTimeoutMs?: number;
};

/**
 * The cache backend for this process; close it on shutdown. With Redis, waits (bounded) for the
 * first connection so that the first requests do not all miss; a down Redis never blocks start-up.
 */
export async function createCache(
  options: CreateCacheOptions,
): Promise<Cache & { readonly kind: "redis" | "memory" }> {
  const { redisUrl, logger, metrics } = options;
  if (redisUrl) {
    const cache = createRedisCache({
      url: redisUrl,
      logger,
      metrics,
      keyPrefix: options.keyPrefix,
    });
    const ready = await cache.whenReady(options.connectTimeoutMs ?? 2_000);
    if (ready) logger.info({ cache: "redis" }, "cache on redis");
    else logger.warn({ cache: "redis" }, "redis not reachable yet; cache misses until it is");
    return Object.assign(cache, { kind: "redis" as const });
  }
  logger.info({ cache: "memory" }, "cache in process (no REDIS_URL)");
  return Object.assign(countReads(createMemoryCache(), metrics), { kind: "memory" as const });
}

/** Counts hits and misses of a cache that cannot fail (the in-process one). */
function countReads(cache: Cache, metrics: Metrics | undefined): Cache {
  if (!metrics) return cache;
  const labels = { cache: "memory" } as const;
  return {
    ...cache,
    async get<T>(key: string) {
      const value = await cache.get<T>(key);
      if (value === undefined) metrics.cacheMisses.inc(labels);
      else metrics.cacheHits.inc(labels);
      return value;
    },
  };
}
