import type { Presence } from "@colyseus/core";

/** How long a lock outlives its holder when the holder's process dies without releasing it. */
export const DEFAULT_LOCK_TTL_SEC = 30;

const lockKey = (characterId: string) => `mmo:charlock:${characterId}`;
/** How long a counted lock may stay without a holder before a holder here claims it. */
const UNCLAIMED_GRACE_MS = 250;

/**
 * "A character is online in one room at a time", across every process sharing the presence.
 * Presence has no SET-IF-ABSENT, so acquisition is an atomic HINCRBY: whoever takes the counter
 * from nothing to 1 holds the lock. Refused attempts leave the counter (and the holder's expiry)
 * alone; the holder deletes the key to release, or it expires ttlSec after the last renewal.
 *
 * This process also remembers the locks it holds, with the same expiry. That memory decides on
 * this process whatever the presence says: the presence may have lost them (Redis restarted
 * empty) or be a fresh in-process store (Redis unreachable), and `reassert` writes them back.
 */
export function createCharacterLocks(
  presence: Presence,
  ttlSec = DEFAULT_LOCK_TTL_SEC,
  now: () => number = Date.now,
) {
  const held = new Map<string, { holder: string; expiresAtMs: number }>();

  function heldHere(characterId: string): string | undefined {
    const lock = held.get(characterId);
    if (lock && lock.expiresAtMs <= now()) held.delete(characterId);
    return held.get(characterId)?.holder;
  }

  function remember(characterId: string, holder: string): void {
    held.set(characterId, { holder, expiresAtMs: now() + ttlSec * 1000 });
  }

  /** After an await: a release that ran meanwhile must not be undone. */
  function extend(characterId: string, holder: string): void {
    if (held.get(characterId)?.holder === holder) remember(characterId, holder);
  }

  function forget(characterId: string, holder: string): void {
    if (held.get(characterId)?.holder === holder) held.delete(characterId);
  }

  async function take(store: Presence, characterId: string, holder: string): Promise<boolean> {
    const key = lockKey(characterId);
    const n = await store.hincrby(key, "n", 1);
    if (n !== 1) return false;
    await store.expire(key, ttlSec);
    await store.hset(key, "holder", holder);
    return true;
  }

  /** Extends the holder's lock in `store`, taking it again if the store lost it. */
  async function keep(store: Presence, characterId: string, holder: string): Promise<boolean> {
    const key = lockKey(characterId);
    let current = await store.hget(key, "holder");
    if (current === null) {
      if (await take(store, characterId, holder)) return true;
      // Counted but unclaimed: someone is between its count and its claim (microseconds), or an
      // acquisition's claim never came, e.g. Redis ran a count whose connection had already
      // dropped (the holder then fell back to in-process locks). Still unclaimed a moment later
      // means abandoned; it is ours, a session here holds the character.
      await new Promise((resolve) => setTimeout(resolve, UNCLAIMED_GRACE_MS));
      current = await store.hget(key, "holder");
      if (current === null) {
        await store.hset(key, "holder", holder);
        current = holder;
      }
    }
    if (current !== holder) return false;
    await store.expire(key, ttlSec);
    return true;
  }

  return {
    /** Holders renew three times per time to live. */
    renewEveryMs: Math.max(1000, Math.floor((ttlSec * 1000) / 3)),
    async acquire(characterId: string, holder: string): Promise<boolean> {
      if (heldHere(characterId) !== undefined) return false;
      // Remembered before the first await: concurrent acquisitions here see it.
      remember(characterId, holder);
      let taken = false;
      try {
        taken = await take(presence, characterId, holder);
      } finally {
        if (!taken) forget(characterId, holder);
      }
      return taken;
    },
    /** Extends the lock while the holder still has it; false when it was lost. */
    async renew(characterId: string, holder: string): Promise<boolean> {
      if (heldHere(characterId) !== holder) return false;
      const kept = await keep(presence, characterId, holder);
      if (kept) extend(characterId, holder);
      else forget(characterId, holder);
      return kept;
    },
    async release(characterId: string, holder: string): Promise<void> {
      forget(characterId, holder);
      const key = lockKey(characterId);
      if ((await presence.hget(key, "holder")) === holder) await presence.del(key);
    },
    async holderOf(characterId: string): Promise<string | null> {
      return heldHere(characterId) ?? (await presence.hget(lockKey(characterId), "holder"));
    },
    /**
     * Writes every lock held here into `store`. A lock someone else took meanwhile (a split brain
     * while Redis was unreachable) is given up here, so its room's next renewal disconnects it.
     */
    async reassert(store: Presence): Promise<void> {
      await Promise.all(
        [...held.keys()].map(async (characterId) => {
          const holder = heldHere(characterId);
          if (holder === undefined) return;
          if (!(await keep(store, characterId, holder))) forget(characterId, holder);
        }),
      );
    },
  };
}

export type CharacterLocks = ReturnType<typeof createCharacterLocks>;
