import type { PrismaClient } from "../db/database.ts";
import { GameError } from "../errors.ts";

/** A character as the social layer names it. */
export type CharacterRef = { id: string; name: string; accountId: string; level: number };

const refSelect = { id: true, name: true, accountId: true, level: true } as const;

/** Character look-ups by name (case-insensitive) and by id, and the owner check of every route. */
export function createSocialCharacters(prisma: PrismaClient) {
  return {
    /** The character called `name` in any case; null when there is none. */
    byName: (name: string): Promise<CharacterRef | null> =>
      prisma.character.findUnique({ where: { nameKey: name.toLowerCase() }, select: refSelect }),

    byId: (id: string): Promise<CharacterRef | null> =>
      prisma.character.findUnique({ where: { id }, select: refSelect }),

    /** Characters by id (unknown ids are left out). */
    byIds: (ids: readonly string[]): Promise<CharacterRef[]> =>
      ids.length === 0
        ? Promise.resolve([])
        : prisma.character.findMany({ where: { id: { in: [...ids] } }, select: refSelect }),

    /** The character when `accountId` owns it; CHARACTER_NOT_FOUND otherwise (either way). */
    async requireOwned(accountId: string, id: string): Promise<CharacterRef> {
      const row = await prisma.character.findFirst({ where: { id, accountId }, select: refSelect });
      if (!row) throw new GameError("CHARACTER_NOT_FOUND");
      return row;
    },
  };
}

export type SocialCharacters = ReturnType<typeof createSocialCharacters>;
