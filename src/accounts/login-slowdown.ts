/** Failed logins on one account, from every source, before attempts start to wait. */
export type LoginSlowdownPolicy = {
  freeFailures: number;
  windowMs: number;
  /** Added wait per failure past `freeFailures`. */
  stepMs: number;
  maxDelayMs: number;
};

export const DEFAULT_LOGIN_SLOWDOWN: LoginSlowdownPolicy = {
  freeFailures: 20,
  windowMs: 15 * 60_000,
  stepMs: 250,
  maxDelayMs: 3_000,
};

/**
 * The account-wide brake on password guessing spread over many sources (issue 14). The limit per
 * account and source refuses one source; refusing the account as a whole would let a stranger
 * lock its owner out, so past `freeFailures` every attempt on the account waits a little longer
 * instead, up to `maxDelayMs`, and the owner still gets in. A success clears the count.
 */
export function createLoginSlowdown(
  policy: LoginSlowdownPolicy = DEFAULT_LOGIN_SLOWDOWN,
  now: () => number = Date.now,
) {
  const failures = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = now() + policy.windowMs;

  function current(key: string): { count: number; resetAt: number } | undefined {
    const t = now();
    if (t >= nextSweep) {
      for (const [k, w] of failures) if (w.resetAt <= t) failures.delete(k);
      nextSweep = t + policy.windowMs;
    }
    const w = failures.get(key);
    return w && w.resetAt > t ? w : undefined;
  }

  return {
    /** How long an attempt on `key` waits before its password is checked, in ms. */
    delayMs(key: string): number {
      const over = (current(key)?.count ?? 0) - policy.freeFailures;
      return over > 0 ? Math.min(policy.maxDelayMs, over * policy.stepMs) : 0;
    },
    failed(key: string): void {
      const w = current(key);
      if (w) w.count += 1;
      else failures.set(key, { count: 1, resetAt: now() + policy.windowMs });
    },
    succeeded(key: string): void {
      failures.delete(key);
    },
  };
}

export type LoginSlowdown = ReturnType<typeof createLoginSlowdown>;
