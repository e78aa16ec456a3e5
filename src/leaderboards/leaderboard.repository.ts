import type { PrismaClient } from "../db/database.ts";

/** One board row from its source table: the member, its display name and its score. */
export type SourceRow = { id: string; name: string; score: number };

/**
 * Level board score: level first, then xp toward the next level (xp counts from the start of the
 * level, see src/game/leveling): (level, xp) order packed into one number.
 */
export const LEVEL_SCORE_BASE = 1e10;
export const levelScore = (level: number, xp: number) =>
  level * LEVEL_SCORE_BASE + Math.min(Math.max(0, xp), LEVEL_SCORE_BASE - 1);

/** The database is the source of truth of every board. */
export function createLeaderboardRepository(prisma: PrismaClient) {
  return {
    /** Characters changed after `since` (all when null), with the database's clock now. */
    async levels(since: Date | null): Promise<{ rows: SourceRow[]; now: Date }> {
      const rows = await prisma.$queryRaw<
        { id: string; name: string; level: number; xp: bigint; now: Date }[]
      >`
        SELECT id, name, level, xp, now() AS now FROM characters
        WHERE ${since}::timestamptz IS NULL OR updated_at > ${since}::timestamptz`;
      return {
        rows: rows.map((r) => ({
          id: r.id,
          name: r.name,
          score: levelScore(r.level, Number(r.xp)),
        })),
        now: rows[0]?.now ?? (await dbNow(prisma)),
      };
    },

    /** Arena ratings changed after `since` (all when null). */
    async ratings(since: Date | null): Promise<{ rows: SourceRow[]; now: Date }> {
      const rows = await prisma.$queryRaw<
        { id: string; name: string; rating: number; now: Date }[]
      >`
        SELECT a.character_id AS id, c.name, a.rating, now() AS now
        FROM arena_ratings a JOIN characters c ON c.id = a.character_id
        WHERE ${since}::timestamptz IS NULL OR a.updated_at > ${since}::timestamptz`;
      return {
        rows: rows.map((r) => ({ id: r.id, name: r.name, score: r.rating })),
        now: rows[0]?.now ?? (await dbNow(prisma)),
      };
    },

    /** Every guild with the sum of its members' levels; empty before the guild tables exist. */
    async guildLevels(): Promise<SourceRow[]> {
      try {
        const rows = await prisma.$queryRaw<{ id: string; name: string; score: bigint }[]>`
          SELECT g.id, g.name, COALESCE(SUM(c.level), 0)::bigint AS score
          FROM guilds g
          LEFT JOIN guild_members m ON m.guild_id = g.id
          LEFT JOIN characters c ON c.id = m.character_id
          GROUP BY g.id, g.name`;
        return rows.map((r) => ({ id: r.id, name: r.name, score: Number(r.score) }));
      } catch (error) {
        if (/relation .* does not exist|42P01/.test(String((error as Error).message))) return [];
        throw error;
      }
    },

    /** The guild of a character, if any (for /around on the guild board). */
    async guildOf(characterId: string): Promise<string | null> {
      try {
        const rows = await prisma.$queryRaw<{ guild_id: string }[]>`
          SELECT guild_id FROM guild_members WHERE character_id = ${characterId}::uuid`;
        return rows[0]?.guild_id ?? null;
      } catch {
        return null;
      }
    },
  };
}

async function dbNow(prisma: PrismaClient): Promise<Date> {
  const [row] = await prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now;
}

export type LeaderboardRepository = ReturnType<typeof createLeaderboardRepository>;
