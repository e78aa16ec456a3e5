import type { Cache, CacheStats } from "./cache.ts";

/**
 * The embedded default: an in-process LRU. Values are stored as JSON text so that callers get a
 * fresh copy each time (as they would from Redis) and cannot mutate the cached one.
 */
export function createMemoryCache(
  maxEntries = 10_000,
  now: () => number = Date.now,
): Cache & { stats: CacheStats; size(): number } {
  const entries = new Map<string, { json: string; expiresAt: number }>();
  const stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  return {
    stats,
    size: () => entries.size,
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry || entry.expiresAt <= now()) {
        if (entry) entries.delete(key);
        stats.misses += 1;
        return undefined;
      }
      entries.delete(key); // re-insert: Map order is the recency order
      entries.set(key, entry);
      stats.hits += 1;
      return JSON.parse(entry.json) as T;
    },
    async set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { json: JSON.stringify(value), expiresAt: now() + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    async delete(key) {
      entries.delete(key);
    },
    async close() {
      entries.clear();
    },
  };
}
