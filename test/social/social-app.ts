import { randomUUID } from "node:crypto";
import type { Express } from "express";
import type { TokenSigner } from "../../src/accounts/tokens.ts";
import supertest from "supertest";
import { createMemoryCache } from "../../src/cache/memory-cache.ts";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/database.ts";
import { createLocalEventBus } from "../../src/events/event-bus.ts";
import { createLogger } from "../../src/logger.ts";
import { buildHttpApp } from "../../src/server.ts";
import type { SocialServices } from "../../src/social/social-services.ts";
import type { GuildChange } from "../../src/social/social-notifier.ts";
import { openTestDatabase, type DatabaseTarget } from "../helpers/databases.ts";
import { LocalPresence } from "@colyseus/core";
import { loadGameData } from "../../src/content/load-game-data.ts";
import { createEconomy, type Economy } from "../../src/economy/character-mutation.ts";
import { createEconomyWorks } from "../../src/economy/economy-works.ts";
import { questItemIds } from "../../src/game/economy/character-change.ts";
import { createProgressionService } from "../../src/progression/progression.service.ts";
import { createCharacterLocks } from "../../src/session/character-lock.ts";
import { createOnlinePlayers } from "../../src/session/online-players.ts";
import { createProgressStore } from "../../src/session/progress-store.ts";
import { TEST_RULES } from "../helpers/http-app.ts";

export type RecordedGuildChange = { guildId: string; change: GuildChange; alsoNotify: string[] };

export type SocialTestApp = {
  app: Express;
  db: Database;
  social: SocialServices;
  signer: TokenSigner;
  /** Characters shown online, with their zone (stands in for OnlinePlayers). */
  online: Map<string, { zone: string }>;
  /** Characters whose lock is held (in a room). */
  locked: Set<string>;
  guildChanges: RecordedGuildChange[];
  blocksChanged: string[];
  close(): Promise<void>;
};

/**
 * The REST app with the social routes on a fresh database, with recording notifiers. With
 * `economy`, guild fees go through the real economy mutation service (in-process presence).
 */
export async function startSocialApp(
  target: DatabaseTarget,
  options: { economy?: boolean } = {},
): Promise<SocialTestApp> {
  const opened = await openTestDatabase(target);
  const economy = options.economy ? await economyOn(opened.db) : undefined;
  const online = new Map<string, { zone: string }>();
  const locked = new Set<string>();
  const guildChanges: RecordedGuildChange[] = [];
  const blocksChanged: string[] = [];
  const generous = { max: 10_000, windowMs: 60_000 };
  const built = buildHttpApp({
    config: loadConfig({
      DATA_DIR: ":memory:",
      JWT_SECRET: "test-secret-test-secret-test-secret-0123",
      LOG_LEVEL: "silent",
    }),
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    characterRules: TEST_RULES,
    limits: { authPerIp: generous, loginPerAccount: generous },
    db: opened.db,
    events: createLocalEventBus(),
    cache: createMemoryCache(),
    social: {
      online: { get: async (id) => online.get(id) },
      locks: { holderOf: async (id) => (locked.has(id) ? "some-room" : null) },
      guildNotifier: {
        async guildChanged(guildId, change, alsoNotify) {
          guildChanges.push({ guildId, change, alsoNotify: [...alsoNotify] });
        },
      },
      socialNotifier: {
        async blocksChanged(ownerId) {
          blocksChanged.push(ownerId);
        },
      },
      economy,
    },
  });
  return {
    app: built.app,
    db: opened.db,
    social: built.social!,
    signer: built.signer,
    online,
    locked,
    guildChanges,
    blocksChanged,
    close: () => opened.close(),
  };
}

let seq = 0;

export type TestCharacter = { id: string; name: string; token: string; accountId: string };

/**
 * A new account with one character (level 1, no gold unless `gold` is given). The account row is
 * written directly and its token signed here: registering (Argon2) would dominate these tests.
 */
export async function newCharacter(t: SocialTestApp, gold = 0): Promise<TestCharacter> {
  const accountId = randomUUID();
  await t.db.prisma.account.create({
    data: { id: accountId, email: `${accountId}@example.com`, passwordHash: "unused" },
  });
  const account = { accountId, accessToken: await t.signer.signAccess(accountId) };
  seq += 1;
  const name = `Soc${process.pid % 1000}_${seq}`;
  const res = await supertest(t.app)
    .post("/v1/characters")
    .set(bearer(account.accessToken))
    .send({ name, race: "human", job: "warrior" })
    .expect(201);
  if (gold > 0) {
    await t.db.prisma.character.update({ where: { id: res.body.id }, data: { gold } });
  }
  return { id: res.body.id, name, token: account.accessToken, accountId: account.accountId };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The economy mutation service as the server builds it, on one process's in-memory presence. */
async function economyOn(db: Database): Promise<Economy> {
  const data = await loadGameData();
  const presence = new LocalPresence();
  const locks = createCharacterLocks(presence);
  const logger = createLogger("silent");
  const progression = createProgressionService({
    prisma: db.prisma,
    gameData: data,
    isOnline: async (id) => (await locks.holderOf(id)) !== null,
  });
  return createEconomy({
    store: createProgressStore(progression, logger),
    rules: {
      items: data.content.items,
      questItems: questItemIds(data.content.quests.values()),
    },
    works: createEconomyWorks(),
    prisma: db.prisma,
    locks,
    online: createOnlinePlayers(presence, locks),
    logger,
  });
}
