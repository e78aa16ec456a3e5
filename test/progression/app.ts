import type { Express } from "express";
import { createAuthService } from "../../src/accounts/auth.service.ts";
import { createTokenSigner } from "../../src/accounts/tokens.ts";
import type { Cache } from "../../src/cache/cache.ts";
import { createMemoryCache } from "../../src/cache/memory-cache.ts";
import { createCharactersService } from "../../src/characters/characters.service.ts";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import type { Database } from "../../src/db/database.ts";
import { createLocalEventBus } from "../../src/events/event-bus.ts";
import { createApp } from "../../src/http/create-app.ts";
import { createRateLimiter } from "../../src/http/rate-limiter.ts";
import { createLogger } from "../../src/logger.ts";
import {
  createProgressionService,
  type ProgressionService,
} from "../../src/progression/progression.service.ts";
import { TEST_RULES } from "../helpers/http-app.ts";

const TEST_JWT_SECRET = "test-secret-test-secret-test-secret-0123";

let gameData: Promise<GameData> | undefined;

/** The real content, loaded once per test process. */
export const testGameData = () => (gameData ??= loadGameData());

/**
 * The HTTP app with the progression routes mounted through createApp's `progression` dep, wired
 * as the composition root should: the characters service's forgetList invalidates list caches.
 */
export async function createProgressionTestApp(
  db: Database,
  options: { online?: Set<string>; cache?: Cache } = {},
): Promise<{ app: Express; progression: ProgressionService; data: GameData; cache: Cache }> {
  const data = await testGameData();
  const logger = createLogger("silent");
  const events = createLocalEventBus();
  const cache = options.cache ?? createMemoryCache();
  // The secret of test/helpers/http-app.ts, so tokens from either app work in both.
  const signer = createTokenSigner(new TextEncoder().encode(TEST_JWT_SECRET), 900);
  const auth = createAuthService({ prisma: db.prisma, signer, refreshTtlSec: 3600, events });
  const characters = createCharactersService({
    prisma: db.prisma,
    sql: db.sql,
    rules: TEST_RULES,
    events,
    cache,
  });
  const online = options.online ?? new Set<string>();
  const progression = createProgressionService({
    prisma: db.prisma,
    gameData: data,
    isOnline: async (id) => online.has(id),
    onCharacterWritten: (accountId) => characters.forgetList(accountId),
  });
  const generous = { max: 10_000, windowMs: 60_000 };
  const app = createApp({
    logger,
    corsOrigins: ["*"],
    signer,
    auth,
    characters,
    limiters: { perIp: createRateLimiter(generous), perAccount: createRateLimiter(generous) },
    isReady: () => db.isReady(),
    progression: { service: progression, gameData: data },
  });
  return { app, progression, data, cache };
}
