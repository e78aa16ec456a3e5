import type { PrismaClient } from "../db/database.ts";

export const characterSelect = {
  id: true,
  name: true,
  race: true,
  job: true,
  level: true,
  xp: true,
  zone: true,
  x: true,
  y: true,
  hp: true,
  mp: true,
  gold: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function createCharacterRepository(prisma: PrismaClient) {
  return {
    listByAccount: (accountId: string) =>
      prisma.character.findMany({
        where: { accountId },
        select: characterSelect,
        orderBy: { createdAt: "asc" },
      }),
    /** The character when `accountId` owns it; null otherwise, so callers cannot tell the two apart. */
    findOwned: (accountId: string, id: string) =>
      prisma.character.findFirst({ where: { id, accountId }, select: characterSelect }),
  };
}

export type CharacterRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof createCharacterRepository>["findOwned"]>>
>;
