/**
 * The economy's parts, built once by the composition root (src/server.ts): the mutation service,
 * mail and its return sweeper, and the leaderboards.
 */
import type { Presence } from "@colyseus/core";
import type { Express } from "express";
import { Redis } from "ioredis";
import type { TokenSigner } from "../accounts/tokens.ts";
import type { Config } from "../config.ts";
import type { GameData } from "../content/load-game-data.ts";
import type { PrismaClient } from "../db/database.ts";
import type { EventBus } from "../events/event-bus.ts";
import { questItemIds } from "../game/economy/character-change.ts";
import { createLeaderboardRepository } from "../leaderboards/leaderboard.repository.ts";
import { createLeaderboards } from "../leaderboards/leaderboard.service.ts";
import { leaderboardRoutes } from "../leaderboards/leaderboards.routes.ts";
import {
  createMemoryRankStore,
  createRedisRankStore,
  type RankStore,
} from "../leaderboards/rank-store.ts";
import type { Logger } from "../logger.ts";
import type { CharacterLocks } from "../session/character-lock.ts";
import type { OnlinePlayers } from "../session/online-players.ts";
import type { ProgressStore } from "../session/player-record.ts";
import { createEconomy } from "./character-mutation.ts";
import { createEconomyWorks } from "./economy-works.ts";
import { startMailSweeper } from "./mail/mail-sweeper.ts";
import { mailRoutes } from "./mail/mail.routes.ts";
import { createMailService } from "./mail/mail.service.ts";

export type EconomyServicesDeps = {
  config: Config;
  prisma: PrismaClient;
  data: GameData;
  progress: ProgressStore;
  locks: CharacterLocks;
  online: OnlinePlayers;
  presence: Presence;
  events: EventBus;
  logger: Logger;
};

export function createEconomyServices(deps: EconomyServicesDeps) {
  const { config, logger } = deps;
  const works = createEconomyWorks();
  const rules = {
    items: deps.data.content.items,
    questItems: questItemIds(deps.data.content.quests.values()),
  };
  const economy = createEconomy({
    store: deps.progress,
    rules,
    works,
    prisma: deps.prisma,
    locks: deps.locks,
    online: deps.online,
    logger: logger.child({ component: "economy" }),
    timeoutMs: config.ECONOMY_TIMEOUT_MS,
  });
  const mail = createMailService({
    prisma: deps.prisma,
    economy,
    presence: deps.presence,
    logger: logger.child({ component: "mail" }),
    returnDays: config.MAIL_RETURN_DAYS,
  });
  let redis: Redis | undefined;
  let store: RankStore;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 200, 5_000),
    });
    redis.on("error", () => undefined); // commands fail and are logged by their callers
    store = createRedisRankStore(redis);
  } else {
    store = createMemoryRankStore();
  }
  const leaderboards = createLeaderboards({
    repo: createLeaderboardRepository(deps.prisma),
    store,
    events: deps.events,
    logger: logger.child({ component: "leaderboards" }),
    refreshMs: config.LEADERBOARD_REFRESH_MS,
  });
  let stopSweeper: (() => Promise<void>) | undefined;

  return {
    economy,
    mail,
    leaderboards,
    /** Mail under /v1/characters, leaderboards under /v1/leaderboards. */
    mount(app: Express, signer: TokenSigner): void {
      app.use("/v1/characters", mailRoutes(mail, signer));
      app.use("/v1/leaderboards", leaderboardRoutes(leaderboards));
    },
    async start(): Promise<void> {
      await leaderboards.start();
      stopSweeper = startMailSweeper(mail, config.MAIL_SWEEP_INTERVAL_MS, logger);
    },
    async stop(): Promise<void> {
      await stopSweeper?.();
      await leaderboards.stop();
      redis?.disconnect();
    },
  };
}

export type EconomyServices = ReturnType<typeof createEconomyServices>;
