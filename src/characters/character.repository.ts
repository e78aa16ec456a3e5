import type { PrismaClient } from "../db/database.ts";
import type { Prisma } from "../db/generated/client.ts";
import type { SqlDriver } from "../db/sql-driver.ts";

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

export type CharacterRow = Prisma.CharacterGetPayload<{ select: typeof characterSelect }>;

/** characterSelect's columns under their Prisma names; BIGINTs come back as text (pg) or bigint. */
const OWNED_CHARACTER_SQL = `SELECT id, name, race, job, level, xp, zone, x, y, hp, mp, gold,
  created_at AS "createdAt", updated_at AS "updatedAt"
  FROM characters WHERE id = $1 AND account_id = $2`;

type RawCharacterRow = Omit<CharacterRow, "xp" | "gold"> & {
  xp: string | bigint;
  gold: string | bigint;
};

export function createCharacterRepository(prisma: PrismaClient, sql: SqlDriver) {
  return {
    listByAccount: (accountId: string) =>
      prisma.character.findMany({
        where: { accountId },
        select: characterSelect,
        orderBy: { createdAt: "asc" },
      }),
    /**
     * The character when `accountId` owns it; null otherwise, so callers cannot tell the two
     * apart. Raw SQL on the shared pool: `GET /v1/characters/:id` is the API's hottest read,
     * and Prisma's query building and result mapping cost ~175 µs of CPU per call against
     * ~55 µs for the same statement through the driver, and PostgreSQL plans a prepared
     * statement once per connection (bench:http, docs/performance.md).
     * test/characters/character-repository.test.ts holds it to Prisma's answer.
     */
    async findOwned(accountId: string, id: string): Promise<CharacterRow | null> {
      const [row] = await sql.query<RawCharacterRow>(
        OWNED_CHARACTER_SQL,
        [id, accountId],
        "character_find_owned",
      );
      if (!row) return null;
      return { ...row, xp: BigInt(row.xp), gold: BigInt(row.gold) };
    },
  };
}
