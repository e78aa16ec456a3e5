/** Fixed-window counter per key, e.g. 10 attempts per 60 s per IP. */
export type RateLimit = { max: number; windowMs: number };

export type RateLimiter = {
  /** Counts one hit; returns 0 when allowed, else the seconds until the window resets. */
  hit(key: string): number;
  reset(key: string): void;
};

export function createRateLimiter(limit: RateLimit, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = now() + limit.windowMs;

  function sweep(t: number): void {
    if (t < nextSweep) return;
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
    nextSweep = t + limit.windowMs;
  }

  return {
    hit(key) {
      const t = now();
      sweep(t);
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + limit.windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count > limit.max ? Math.max(1, Math.ceil((w.resetAt - t) / 1000)) : 0;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
