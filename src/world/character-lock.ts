import type { Presence } from "@colyseus/core";

/** How long a lock outlives its holder when the holder's process dies without releasing it. */
export const DEFAULT_LOCK_TTL_SEC = 30;

const lockKey = (characterId: string) => `mmo:charlock:${characterId}`;

/**
 * "A character is online in one room at a time", across every process sharing the presence.
 * Presence has no SET-IF-ABSENT, so acquisition is an atomic HINCRBY: whoever takes the counter
 * from nothing to 1 holds the lock. Refused attempts leave the counter (and the holder's expiry)
 * alone; the holder deletes the key to release, or it expires ttlSec after the last renewal.
 */
export function createCharacterLocks(presence: Presence, ttlSec = DEFAULT_LOCK_TTL_SEC) {
  return {
    /** Holders renew three times per time to live. */
    renewEveryMs: Math.max(1000, Math.floor((ttlSec * 1000) / 3)),
    async acquire(characterId: string, holder: string): Promise<boolean> {
      const key = lockKey(characterId);
      const n = await presence.hincrby(key, "n", 1);
      if (n !== 1) return false;
      await presence.expire(key, ttlSec);
      await presence.hset(key, "holder", holder);
      return true;
    },
    /** Extends the lock while the holder still has it; false when it was lost. */
    async renew(characterId: string, holder: string): Promise<boolean> {
      const key = lockKey(characterId);
      if ((await presence.hget(key, "holder")) !== holder) return false;
      await presence.expire(key, ttlSec);
      return true;
    },
    async release(characterId: string, holder: string): Promise<void> {
      const key = lockKey(characterId);
      if ((await presence.hget(key, "holder")) === holder) presence.del(key);
    },
    async holderOf(characterId: string): Promise<string | null> {
      return presence.hget(lockKey(characterId), "holder");
    },
  };
}

export type CharacterLocks = ReturnType<typeof createCharacterLocks>;
