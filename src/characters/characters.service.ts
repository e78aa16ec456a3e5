import { randomUUID } from "node:crypto";
import type { KickCharacters } from "../accounts/account-deletion.ts";
import type { Cache } from "../cache/cache.ts";
import type { PrismaClient } from "../db/database.ts";
import { Prisma } from "../db/generated/client.ts";
import type { SqlDriver } from "../db/sql-driver.ts";
import { GameError } from "../errors.ts";
import type { EventBus } from "../events/event-bus.ts";
import { releaseCharacters } from "./character-erasure.ts";
import {
  characterSelect,
  createCharacterRepository,
  type CharacterRow,
} from "./character.repository.ts";

/** What a new character starts with; built from content by the composition root. */
export type NewCharacterRules = {
  races: readonly string[];
  jobs: readonly string[];
  maxPerAccount: number;
  start: { zone: string; x: number; y: number };
  startingVitals(race: string, job: string): { hp: number; mp: number };
};

export type CharacterView = {
  id: string;
  name: string;
  race: string;
  job: string;
  level: number;
  xp: number;
  zone: string;
  x: number;
  y: number;
  hp: number;
  mp: number;
  gold: number;
  createdAt: string;
  updatedAt: string;
};

export function toCharacterView(row: CharacterRow): CharacterView {
  return {
    ...row,
    xp: Number(row.xp),
    gold: Number(row.gold),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type CharactersService = ReturnType<typeof createCharactersService>;

/** How long a cached character list may be served; every write through this service clears it. */
export const CHARACTER_LIST_TTL_MS = 30_000;
export const CHARACTER_DELETED_REASON = "character deleted";
export const characterListKey = (accountId: string) => `characters:${accountId}`;

export function createCharactersService(deps: {
  prisma: PrismaClient;
  /** The same database's driver, for the one raw read (character.repository.ts). */
  sql: SqlDriver;
  rules: NewCharacterRules;
  events: EventBus;
  cache: Cache;
  /** Disconnects a deleted character that is online, on whichever process holds it. */
  kick?: KickCharacters;
}) {
  const { prisma, rules, events, cache } = deps;
  const repo = createCharacterRepository(prisma, deps.sql);

  /** A cache failure never fails the request: the database answers instead. */
  async function cachedList(accountId: string): Promise<CharacterView[] | undefined> {
    try {
      return await cache.get<CharacterView[]>(characterListKey(accountId));
    } catch {
      return undefined;
    }
  }

  async function forgetList(accountId: string): Promise<void> {
    await cache.delete(characterListKey(accountId)).catch(() => undefined);
  }

  return {
    async list(accountId: string): Promise<CharacterView[]> {
      const cached = await cachedList(accountId);
      if (cached) return cached;
      const list = (await repo.listByAccount(accountId)).map(toCharacterView);
      await cache
        .set(characterListKey(accountId), list, CHARACTER_LIST_TTL_MS)
        .catch(() => undefined);
      return list;
    },

    /** Drops the cached list after a write made elsewhere (rooms, progression). */
    forgetList,

    async get(accountId: string, id: string): Promise<CharacterView> {
      const row = await repo.findOwned(accountId, id);
      if (!row) throw new GameError("CHARACTER_NOT_FOUND");
      return toCharacterView(row);
    },

    async create(
      accountId: string,
      input: { name: string; race: string; job: string },
    ): Promise<CharacterView> {
      if (!rules.races.includes(input.race)) {
        throw new GameError("VALIDATION_FAILED", `race: must be one of ${rules.races.join(", ")}`, {
          details: [{ path: "race", message: `must be one of ${rules.races.join(", ")}` }],
        });
      }
      if (!rules.jobs.includes(input.job)) {
        throw new GameError("VALIDATION_FAILED", `job: must be one of ${rules.jobs.join(", ")}`, {
          details: [{ path: "job", message: `must be one of ${rules.jobs.join(", ")}` }],
        });
      }
      const vitals = rules.startingVitals(input.race, input.job);
      try {
        const row = await prisma.$transaction(async (tx) => {
          // Lock the account row so concurrent creations cannot exceed the per-account limit.
          const account = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM accounts WHERE id = ${accountId}::uuid FOR UPDATE`;
          // Deleted since the token was checked (issue 14): not a foreign-key 500.
          if (account.length === 0) throw new GameError("ACCOUNT_DELETED");
          const count = await tx.character.count({ where: { accountId } });
          if (count >= rules.maxPerAccount) throw new GameError("CHARACTER_LIMIT");
          return tx.character.create({
            data: {
              id: randomUUID(),
              accountId,
              name: input.name,
              nameKey: input.name.toLowerCase(),
              race: input.race,
              job: input.job,
              zone: rules.start.zone,
              x: rules.start.x,
              y: rules.start.y,
              hp: vitals.hp,
              mp: vitals.mp,
            },
            select: characterSelect,
          });
        });
        await forgetList(accountId);
        events.publish("character.created", {
          accountId,
          characterId: row.id,
          name: row.name,
          race: row.race,
          job: row.job,
        });
        return toCharacterView(row);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new GameError("NAME_TAKEN");
        }
        throw error;
      }
    },

    /**
     * Deletes an owned character; what it held leaves the economy through the ledger and a guild
     * it led passes on (src/characters/character-erasure.ts), in the deleting transaction.
     */
    async delete(accountId: string, id: string): Promise<void> {
      const released = await prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; gold: bigint }[]>`
          SELECT id, gold FROM characters
          WHERE id = ${id}::uuid AND account_id = ${accountId}::uuid FOR UPDATE`;
        if (rows.length === 0) return null;
        const outcome = await releaseCharacters(tx, rows);
        await tx.character.delete({ where: { id }, select: { id: true } });
        return outcome;
      });
      if (!released) throw new GameError("CHARACTER_NOT_FOUND");
      await forgetList(accountId);
      events.publish("character.deleted", { accountId, characterId: id });
      // After the row is gone: the kicked character cannot join again, and its room's last save
      // finds nothing to write.
      await deps.kick?.([id], CHARACTER_DELETED_REASON);
    },
  };
}
