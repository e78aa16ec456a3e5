import type { PrismaClient } from "../db/database.ts";
import type { Prisma } from "../db/generated/client.ts";

export type StoredRating = {
  characterId: string;
  rating: number;
  rd: number;
  volatility: number;
  games: number;
  updatedAt: Date;
};

export type ParticipantRow = {
  matchId: string;
  characterId: string;
  team: number;
  result: string;
  ratingBefore: number;
  ratingAfter: number;
  rdBefore: number;
  rdAfter: number;
  damageDealt: number;
};

const ratingSelect = {
  characterId: true,
  rating: true,
  rd: true,
  volatility: true,
  wins: true,
  losses: true,
  draws: true,
  updatedAt: true,
} as const;

const participantSelect = {
  matchId: true,
  characterId: true,
  team: true,
  result: true,
  ratingBefore: true,
  ratingAfter: true,
  rdBefore: true,
  rdAfter: true,
  damageDealt: true,
} as const;

/** Arena ratings and match records; the locking reads run inside the caller's transaction. */
export function createArenaRepository(prisma: PrismaClient) {
  return {
    ratingsOf: (characterIds: string[]) =>
      prisma.arenaRating.findMany({
        where: { characterId: { in: characterIds } },
        select: ratingSelect,
      }),
    accountsOf: (characterIds: string[]) =>
      prisma.character.findMany({
        where: { id: { in: characterIds } },
        select: { id: true, accountId: true },
      }),
    /** The last `limit` matches of a character, newest first, with every participant. */
    history: (characterId: string, limit: number) =>
      prisma.arenaMatch.findMany({
        where: { participants: { some: { characterId } } },
        orderBy: [{ endedAt: "desc" }, { id: "asc" }],
        take: limit,
        select: {
          id: true,
          mode: true,
          startedAt: true,
          endedAt: true,
          winnerTeam: true,
          reason: true,
          participants: { select: participantSelect },
        },
      }),
    namesOf: (characterIds: string[]) =>
      prisma.character.findMany({
        where: { id: { in: characterIds } },
        select: { id: true, name: true },
      }),
  };
}

/** Rows for every character (created at the defaults if missing), locked in id order. */
export async function lockRatings(
  tx: Prisma.TransactionClient,
  characterIds: string[],
): Promise<StoredRating[]> {
  await tx.arenaRating.createMany({
    data: characterIds.map((characterId) => ({ characterId })),
    skipDuplicates: true,
  });
  const ids = [...characterIds].sort();
  const rows = await tx.$queryRaw<
    {
      character_id: string;
      rating: number;
      rd: number;
      volatility: number;
      games: number;
      updated_at: Date;
    }[]
  >`SELECT character_id::text AS character_id, rating, rd, volatility,
           (wins + losses + draws)::int AS games, updated_at
      FROM arena_ratings WHERE character_id = ANY(${ids}::uuid[])
      ORDER BY character_id FOR UPDATE`;
  return rows.map((r) => ({
    characterId: r.character_id,
    rating: Number(r.rating),
    rd: Number(r.rd),
    volatility: Number(r.volatility),
    games: Number(r.games),
    updatedAt: r.updated_at,
  }));
}

export async function findMatchParticipants(
  tx: Prisma.TransactionClient,
  matchId: string,
): Promise<ParticipantRow[]> {
  return tx.arenaMatchParticipant.findMany({ where: { matchId }, select: participantSelect });
}

export type ArenaRepository = ReturnType<typeof createArenaRepository>;
