import type { PrismaClient } from "../../db/database.ts";
import { GameError } from "../../errors.ts";
import { BLOCK_CACHE_TTL_MS, BLOCK_LIST_MAX } from "../../game/social/social-limits.ts";
import type { SocialCharacters } from "../characters-by-name.ts";
import { fieldError, isUniqueViolation } from "../social-errors.ts";
import type { SocialNotifier } from "../social-notifier.ts";
import { socialLists } from "./social-lists.repository.ts";

export type BlockView = { characterId: string; name: string };

/**
 * Block lists. `blockedIdsOf` answers from memory for up to BLOCK_CACHE_TTL_MS; changes made
 * through this process clear it at once, and a `blocksChanged` notification heard from another
 * process should call `forget(ownerId)`.
 */
export function createBlocksService(deps: {
  prisma: PrismaClient;
  characters: SocialCharacters;
  notifier: SocialNotifier;
  cacheTtlMs?: number;
  now?: () => number;
  onNotifyError?: (error: unknown) => void;
}) {
  const { prisma, characters, notifier } = deps;
  const ttlMs = deps.cacheTtlMs ?? BLOCK_CACHE_TTL_MS;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { ids: Set<string>; expiresAtMs: number }>();

  async function changed(ownerId: string): Promise<void> {
    cache.delete(ownerId);
    await notifier.blocksChanged(ownerId).catch((error: unknown) => deps.onNotifyError?.(error));
  }

  async function blockedIdsOf(ownerId: string): Promise<Set<string>> {
    const cached = cache.get(ownerId);
    if (cached && cached.expiresAtMs > now()) return cached.ids;
    const ids = new Set(await socialLists.blockedIdsOf(prisma, ownerId));
    cache.set(ownerId, { ids, expiresAtMs: now() + ttlMs });
    // Entries of players who went away would otherwise stay; the map stays small this way.
    if (cache.size > 10_000) {
      for (const [key, entry] of cache) if (entry.expiresAtMs <= now()) cache.delete(key);
    }
    return ids;
  }

  return {
    /** Ids `ownerId` blocks; the set is shared, do not change it. */
    blockedIdsOf,

    /** Whether `ownerId` blocks `otherId`. */
    async isBlocked(ownerId: string, otherId: string): Promise<boolean> {
      return (await blockedIdsOf(ownerId)).has(otherId);
    },

    /** Drops the remembered list of `ownerId` (after a change made on another process). */
    forget(ownerId: string): void {
      cache.delete(ownerId);
    },

    /** Tells every process `ownerId`'s list changed (after a change made outside this service). */
    changed,

    async list(accountId: string, ownerId: string): Promise<BlockView[]> {
      await characters.requireOwned(accountId, ownerId);
      const ids = await socialLists.blockedIdsOf(prisma, ownerId);
      const rows = await characters.byIds(ids);
      return rows
        .map((r) => ({ characterId: r.id, name: r.name }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    /** Blocks `name`; a blocked friend leaves the friend list. */
    async add(accountId: string, ownerId: string, name: string): Promise<BlockView> {
      const owner = await characters.requireOwned(accountId, ownerId);
      const target = await characters.byName(name);
      if (!target) throw new GameError("CHARACTER_NOT_FOUND");
      if (target.id === owner.id) throw fieldError("name", "cannot block yourself");
      try {
        await prisma.$transaction(async (tx) => {
          if (await socialLists.isBlocked(tx, owner.id, target.id)) {
            throw new GameError("ALREADY_BLOCKED");
          }
          if ((await socialLists.countBlocks(tx, owner.id)) >= BLOCK_LIST_MAX) {
            throw new GameError("BLOCK_LIST_FULL");
          }
          await socialLists.addBlock(tx, owner.id, target.id);
          await socialLists.removeFriend(tx, owner.id, target.id);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new GameError("ALREADY_BLOCKED");
        throw error;
      }
      await changed(owner.id);
      return { characterId: target.id, name: target.name };
    },

    async remove(accountId: string, ownerId: string, name: string): Promise<void> {
      const owner = await characters.requireOwned(accountId, ownerId);
      const target = await characters.byName(name);
      const removed = target ? await socialLists.removeBlock(prisma, owner.id, target.id) : 0;
      if (removed === 0) throw new GameError("BLOCK_NOT_FOUND");
      await changed(owner.id);
    },
  };
}

export type BlocksService = ReturnType<typeof createBlocksService>;
