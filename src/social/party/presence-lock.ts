import type { Presence } from "@colyseus/core";

/** A lock outlives a crashed holder by at most this long. */
export const LOCK_TTL_SEC = 5;
const RETRY_MS = 15;
const GIVE_UP_MS = 3_000;

/** The lock stayed taken for the whole wait (its holder is slow, or died before expiring it). */
export class PresenceLockBusy extends Error {
  constructor(key: string) {
    super(`lock ${key} is busy`);
    this.name = "PresenceLockBusy";
  }
}

/**
 * Runs `fn` while holding the presence locks `keys` (taken in sorted order, so two callers never
 * wait on each other crosswise). Built on `incr` + `expire`, which both LocalPresence and Redis
 * presence have: the caller that raises a key from 0 to 1 holds it; `del` releases it.
 */
export async function withPresenceLocks<T>(
  presence: Presence,
  keys: readonly string[],
  fn: () => Promise<T>,
): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  const held: string[] = [];
  try {
    for (const key of sorted) {
      await acquire(presence, key);
      held.push(key);
    }
    return await fn();
  } finally {
    await Promise.all(held.map((key) => Promise.resolve(presence.del(key)).catch(() => undefined)));
  }
}

async function acquire(presence: Presence, key: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    const count = await presence.incr(key);
    if (count === 1) {
      await presence.expire(key, LOCK_TTL_SEC);
      return;
    }
    // A holder that died between incr and expire would leave the key forever.
    if (count % 50 === 0) await presence.expire(key, LOCK_TTL_SEC);
    if (Date.now() - started > GIVE_UP_MS) throw new PresenceLockBusy(key);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
  }
}
