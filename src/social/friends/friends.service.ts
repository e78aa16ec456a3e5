import type { PrismaClient } from "../../db/database.ts";
import { GameError } from "../../errors.ts";
import { FRIEND_LIST_MAX } from "../../game/social/social-limits.ts";
import type { CharacterRef, SocialCharacters } from "../characters-by-name.ts";
import { fieldError, isUniqueViolation } from "../social-errors.ts";
import type { BlocksService } from "./blocks.service.ts";
import { socialLists } from "./social-lists.repository.ts";

/** Where a character is online, if it is (OnlinePlayers, presence-backed). */
export type OnlineLookup = {
  get(characterId: string): Promise<{ zone: string } | undefined>;
};

export type FriendView = {
  characterId: string;
  name: string;
  level: number;
  online: boolean;
  /** Only while online. */
  zone?: string;
};

export async function withOnlineState(
  online: OnlineLookup,
  ref: CharacterRef,
): Promise<FriendView> {
  const where = await online.get(ref.id);
  return {
    characterId: ref.id,
    name: ref.name,
    level: ref.level,
    online: where !== undefined,
    ...(where ? { zone: where.zone } : {}),
  };
}

/** Friend lists: one-directional, by name; a friend one blocked is unblocked by adding them. */
export function createFriendsService(deps: {
  prisma: PrismaClient;
  characters: SocialCharacters;
  blocks: BlocksService;
  online: OnlineLookup;
}) {
  const { prisma, characters, blocks, online } = deps;

  return {
    /** Friends by name, each with level and where they are online. */
    async list(accountId: string, ownerId: string): Promise<FriendView[]> {
      await characters.requireOwned(accountId, ownerId);
      const rows = await characters.byIds(await socialLists.friendIdsOf(prisma, ownerId));
      rows.sort((a, b) => a.name.localeCompare(b.name));
      return Promise.all(rows.map((r) => withOnlineState(online, r)));
    },

    async add(accountId: string, ownerId: string, name: string): Promise<FriendView> {
      const owner = await characters.requireOwned(accountId, ownerId);
      const friend = await characters.byName(name);
      if (!friend) throw new GameError("CHARACTER_NOT_FOUND");
      if (friend.id === owner.id) throw fieldError("name", "cannot befriend yourself");
      let unblocked = false;
      try {
        await prisma.$transaction(async (tx) => {
          if ((await socialLists.countFriends(tx, owner.id)) >= FRIEND_LIST_MAX) {
            throw new GameError("FRIEND_LIST_FULL");
          }
          await socialLists.addFriend(tx, owner.id, friend.id);
          unblocked = (await socialLists.removeBlock(tx, owner.id, friend.id)) > 0;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new GameError("ALREADY_FRIENDS");
        throw error;
      }
      if (unblocked) await blocks.changed(owner.id);
      return withOnlineState(online, friend);
    },

    async remove(accountId: string, ownerId: string, name: string): Promise<void> {
      const owner = await characters.requireOwned(accountId, ownerId);
      const friend = await characters.byName(name);
      const removed = friend ? await socialLists.removeFriend(prisma, owner.id, friend.id) : 0;
      if (removed === 0) throw new GameError("FRIEND_NOT_FOUND");
    },
  };
}

export type FriendsService = ReturnType<typeof createFriendsService>;
