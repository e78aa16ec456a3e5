import type { PrismaClient } from "../db/database.ts";
import type { Prisma } from "../db/generated/client.ts";
import type { SqlDriver } from "../db/sql-driver.ts";
import { createTurnBatcher } from "../db/turn-batcher.ts";

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

/**
 * The same read for many (id, account) pairs in one statement: `i` is the pair's 1-based place.
 * The plan is a nested loop over the pairs with one primary-key index scan each, as the single
 * read does, so pg_stat's scans per request (bench:http) still count every read.
 */
const OWNED_CHARACTERS_SQL = `SELECT k.i, c.id, c.name, c.race, c.job, c.level, c.xp, c.zone,
  c.x, c.y, c.hp, c.mp, c.gold, c.created_at AS "createdAt", c.updated_at AS "updatedAt"
  FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS k(id, account_id, i)
  JOIN characters c ON c.id = k.id AND c.account_id = k.account_id`;

/** A malformed uuid would fail the whole batched statement; such a key runs on its own. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type RawCharacterRow = Omit<CharacterRow, "xp" | "gold"> & {
  xp: string | bigint;
  gold: string | bigint;
};

function toCharacterRow(row: RawCharacterRow): CharacterRow {
  return { ...row, xp: BigInt(row.xp), gold: BigInt(row.gold) };
}

type OwnedKey = { accountId: string; id: string };

async function readOwned(sql: SqlDriver, { accountId, id }: OwnedKey) {
  const [row] = await sql.query<RawCharacterRow>(
    OWNED_CHARACTER_SQL,
    [id, accountId],
    "character_find_owned",
  );
  return row ? toCharacterRow(row) : null;
}

async function readManyOwned(sql: SqlDriver, keys: OwnedKey[]): Promise<(CharacterRow | null)[]> {
  if (keys.length === 1) return [await readOwned(sql, keys[0]!)];
  const rows = await sql.query<RawCharacterRow & { i: string }>(
    OWNED_CHARACTERS_SQL,
    [keys.map((k) => k.id), keys.map((k) => k.accountId)],
    "character_find_owned_many",
  );
  const found: (CharacterRow | null)[] = keys.map(() => null);
  for (const { i, ...row } of rows) found[Number(i) - 1] = toCharacterRow(row);
  return found;
}

export function createCharacterRepository(prisma: PrismaClient, sql: SqlDriver) {
  // PGlite answers one statement at a time on its worker: nothing to share there.
  const readBatched =
    sql.kind === "postgres"
      ? createTurnBatcher((keys: OwnedKey[]) => readManyOwned(sql, keys))
      : undefined;
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
     * On PostgreSQL the reads asked in one event-loop turn go as one statement (under load,
     * several requests' reads per round trip: fewer writes and parses on both sides).
     * test/characters/character-repository.test.ts holds both forms to Prisma's answer.
     */
    findOwned(accountId: string, id: string): Promise<CharacterRow | null> {
      const key = { accountId, id };
      if (readBatched && UUID.test(accountId) && UUID.test(id)) return readBatched(key);
      return readOwned(sql, key);
    },
  };
}
