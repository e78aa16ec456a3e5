import type { Prisma } from "../../db/generated/client.ts";

type Db = Prisma.TransactionClient;

/** Friend and block rows of one owner (both lists are one-directional). */
export const socialLists = {
  friendIdsOf: async (db: Db, ownerId: string): Promise<string[]> =>
    (
      await db.friendship.findMany({
        where: { ownerId },
        select: { friendId: true },
        orderBy: { createdAt: "asc" },
      })
    ).map((r) => r.friendId),

  countFriends: (db: Db, ownerId: string) => db.friendship.count({ where: { ownerId } }),

  addFriend: (db: Db, ownerId: string, friendId: string) =>
    db.friendship.create({ data: { ownerId, friendId }, select: { createdAt: true } }),

  /** Number of rows removed (0 or 1). */
  removeFriend: async (db: Db, ownerId: string, friendId: string): Promise<number> =>
    (await db.friendship.deleteMany({ where: { ownerId, friendId } })).count,

  blockedIdsOf: async (db: Db, ownerId: string): Promise<string[]> =>
    (
      await db.block.findMany({
        where: { ownerId },
        select: { blockedId: true },
        orderBy: { createdAt: "asc" },
      })
    ).map((r) => r.blockedId),

  countBlocks: (db: Db, ownerId: string) => db.block.count({ where: { ownerId } }),

  isBlocked: async (db: Db, ownerId: string, blockedId: string): Promise<boolean> =>
    (await db.block.count({ where: { ownerId, blockedId } })) > 0,

  addBlock: (db: Db, ownerId: string, blockedId: string) =>
    db.block.create({ data: { ownerId, blockedId }, select: { createdAt: true } }),

  removeBlock: async (db: Db, ownerId: string, blockedId: string): Promise<number> =>
    (await db.block.deleteMany({ where: { ownerId, blockedId } })).count,
};
