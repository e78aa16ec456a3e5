/** A key-value cache of JSON-serialisable values with per-entry time to live. */
export type Cache = {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
};

export type CacheStats = { hits: number; misses: number; errors: number };
