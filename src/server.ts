import http from "node:http";
import type { AddressInfo } from "node:net";
import { matchMaker, Server, type Presence } from "@colyseus/core";
import { Encoder } from "@colyseus/schema";
import { InstanceRoom } from "../rooms/InstanceRoom.ts";
import { setRoomServices } from "../rooms/room-services.ts";
import { ZoneRoom } from "../rooms/ZoneRoom.ts";
import { createAccountDeletion, type KickCharacters } from "./accounts/account-deletion.ts";
import { createAccountGate, signerWithAccountCheck } from "./accounts/account-gate.ts";
import { createAuthService } from "./accounts/auth.service.ts";
import { kickCharactersOnline } from "./accounts/kick-characters.ts";
import { createLoginSlowdown, type LoginSlowdownPolicy } from "./accounts/login-slowdown.ts";
import { resolveJwtSecret } from "./accounts/jwt-secret.ts";
import { createTokenSigner, type TokenSigner } from "./accounts/tokens.ts";
import type { Express, Router } from "express";
import { Channels } from "./infra/channels.ts";
import { adminApiRoutes } from "./admin/admin-api.ts";
import { publishToPlayer } from "./social/realtime/realtime-message.ts";
import { adminRouter } from "./admin/admin-router.ts";
import { createAuditLog } from "./admin/audit-log.ts";
import { createOperatorActions } from "./admin/operator-actions.ts";
import { createSanctions, type Sanctions } from "./admin/sanctions.ts";
import { createWorldEvents, type WorldEvents } from "./world-events/world-events.service.ts";
import { withWorldEventAdmin, worldEventRoutes } from "./world-events/world-events.routes.ts";
import { worldEventFeature } from "../rooms/world-event-feature.ts";
import type { Cache } from "./cache/cache.ts";
import { createCache } from "./cache/create-cache.ts";
import {
  createCharactersService,
  type NewCharacterRules,
} from "./characters/characters.service.ts";
import { newCharacterRules } from "./characters/new-character-rules.ts";
import type { Config } from "./config.ts";
import type { GameData } from "./content/load-game-data.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { createEventBus } from "./events/create-event-bus.ts";
import type { EventBus } from "./events/event-bus.ts";
import { createApp } from "./http/create-app.ts";
import { publicRoutes } from "./http/public-routes.ts";
import { createRateLimiter, type RateLimit } from "./http/rate-limiter.ts";
import { colyseusLogger } from "./infra/colyseus-logger.ts";
import { createGameTransport, reachableHost } from "./infra/game-transport.ts";
import { createPresenceAndDriver } from "./infra/presence.ts";
import { isTracing } from "./infra/tracing.ts";
import type { Logger } from "./logger.ts";
import { colyseusSampler } from "./metrics/colyseus-sampler.ts";
import { createMetrics, observeRequest, type Metrics } from "./metrics/metrics.ts";
import { createCharacterLocks, type CharacterLocks } from "./session/character-lock.ts";
import { createOnlinePlayers } from "./session/online-players.ts";
import type { PlayerRecord, ProgressStore } from "./session/player-record.ts";
import {
  createProgressionService,
  type ProgressionService,
} from "./progression/progression.service.ts";
import { createProgressStore } from "./session/progress-store.ts";
import { worldRoutes } from "./zone/world.routes.ts";
import { zoneContentRoutes } from "./zone/zone-content.routes.ts";
import { WriteBehind } from "./session/write-behind.ts";
import { createEconomyServices, type EconomyServices } from "./economy/economy-services.ts";
import { economyFeature } from "../rooms/economy-feature.ts";
import { tradeFeature } from "../rooms/trade-feature.ts";
import { createPresenceNotifiers } from "./social/presence-notifier.ts";
import {
  createSocialServices,
  mountSocialRoutes,
  type SocialOptions,
  type SocialServices,
} from "./social/social-services.ts";
import { socialFeature } from "../rooms/social-feature.ts";
import { ArenaRoom } from "../rooms/ArenaRoom.ts";
import { arenaFeature } from "../rooms/arena-feature.ts";
import { ARENA_ROOM, createArenaServices, partyLookupOn } from "./arena/arena-services.ts";
import { createChatService } from "./social/chat/chat-service.ts";
import { createPartyService } from "./social/party/party-service.ts";
import { socialDirectory } from "./social/realtime/social-directory.ts";
import { channelFeature } from "../rooms/channel-feature.ts";
import { createChannelDirectory, type ChannelDirectory } from "./zone/channel-directory.ts";

/**
 * @colyseus/schema encodes a full state into a buffer of this size; a larger state with views
 * corrupts clients ("refId not found"). A crowded zone's full state is well under 1 MiB.
 */
const ENCODER_BUFFER_BYTES = 1024 * 1024;
/** Area of interest radius in world units (about 12 tiles of 32 units). */
export const AOI_RADIUS = 400;
/** How long start-up waits for Redis matchmaking before going on without it (it catches up). */
const MATCHMAKING_WAIT_MS = 2_000;

export type ServerOptions = {
  config: Config;
  logger: Logger;
  data: GameData;
  /** Overrides for tests: e.g. tighter auth rate limits. */
  limits?: {
    authPerIp?: RateLimit;
    loginPerAccount?: RateLimit;
    loginSlowdown?: LoginSlowdownPolicy;
  };
};

export type RunningServer = {
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly events: EventBus;
  readonly metrics: Metrics;
  /** Mail, leaderboards and the economy's mutation service (src/economy/economy-services.ts). */
  readonly economy: EconomyServices;
  /** Stops accepting, disposes rooms (which persist), then closes the event bus and database. */
  stop(): Promise<void>;
};

const DEFAULT_LIMITS = {
  authPerIp: { max: 30, windowMs: 60_000 },
  loginPerAccount: { max: 10, windowMs: 15 * 60_000 },
};

/** The REST side on an open database: services, rate limiters and the Express app. */
export function buildHttpApp(options: {
  config: Config;
  logger: Logger;
  db: Database;
  events: EventBus;
  cache: Cache;
  characterRules: NewCharacterRules;
  limits?: ServerOptions["limits"];
  world?: {
    data: GameData;
    progress: ProgressStore;
    locks: CharacterLocks;
    channels?: ChannelDirectory;
  };
  progression?: ProgressionService;
  metrics?: Metrics;
  adminApi?: Router;
  /** Operators' bans, refused at login and refresh (src/admin/sanctions.ts). */
  sanctions?: Sanctions;
  /** World events (src/world-events): GET /v1/world/events and POST /admin/api/events/:id/start. */
  worldEvents?: WorldEvents;
  /** Mail and leaderboards (src/economy/economy-services.ts). */
  economy?: { mount(app: Express, signer: TokenSigner): void };
  /** Arena queue and ratings (src/arena/arena-services.ts). */
  arena?: { mount(app: Express, signer: TokenSigner): void };
  /** Friends, blocks and guilds (REST under /v1/characters/:id and /v1/guilds). */
  social?: SocialOptions;
  /** Carries account deletions to every process (the account gate); this process only without. */
  presence?: Presence;
  /** Disconnects a deleted account's characters wherever they are online. */
  kickCharacters?: KickCharacters;
}) {
  const { config, logger, db, events, cache } = options;
  const accountGate = createAccountGate({ sql: db.sql, presence: options.presence });
  // Every route and room verifies tokens through this signer: a deleted account's token is 401.
  const signer = signerWithAccountCheck(
    createTokenSigner(
      resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
      config.ACCESS_TOKEN_TTL_SEC,
    ),
    accountGate,
  );
  const auth = createAuthService({
    prisma: db.prisma,
    signer,
    refreshTtlSec: config.REFRESH_TOKEN_TTL_SEC,
    events,
    assertMaySignIn: options.sanctions?.assertNotBanned,
  });
  const characters = createCharactersService({
    prisma: db.prisma,
    sql: db.sql,
    rules: options.characterRules,
    events,
    cache,
    kick: options.kickCharacters,
  });
  const accountDeletion = createAccountDeletion({
    prisma: db.prisma,
    gate: accountGate,
    events,
    logger,
    kick: options.kickCharacters,
    forget: characters.forgetList,
  });
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const world = options.world;
  const social: SocialServices | undefined = options.social
    ? createSocialServices({
        prisma: db.prisma,
        ...options.social,
        onNotifyError: (err) => logger.warn({ err }, "social notification failed"),
        onCharacterWritten: characters.forgetList,
      })
    : undefined;
  const app = createApp({
    logger,
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    signer,
    auth,
    characters,
    accountDeletion,
    limiters: {
      perIp: createRateLimiter(limits.authPerIp),
      perAccount: createRateLimiter(limits.loginPerAccount),
      slowdown: createLoginSlowdown(limits.loginSlowdown),
    },
    isReady: () => db.isReady(),
    observeRequest: options.metrics ? observeRequest(options.metrics) : undefined,
    progression:
      options.progression && world
        ? { service: options.progression, gameData: world.data }
        : undefined,
    extend: (a) => {
      if (social) mountSocialRoutes(a, social, signer);
      options.economy?.mount(a, signer);
      options.arena?.mount(a, signer);
      if (world) {
        a.use(
          "/v1/world",
          worldRoutes({
            signer,
            zoneOf: async (accountId, id) => (await characters.get(accountId, id)).zone,
            locks: world.locks,
            data: world.data,
            channels: world.channels,
          }),
        );
        a.use("/v1/world", zoneContentRoutes(world.data));
        if (options.worldEvents) a.use("/v1/world", worldEventRoutes(options.worldEvents));
      }
      if (options.metrics) {
        const api =
          options.adminApi && options.worldEvents
            ? withWorldEventAdmin(options.adminApi, options.worldEvents)
            : options.adminApi;
        const auditLog = createAuditLog(db.prisma);
        a.use(adminRouter({ config, metrics: options.metrics, logger, api, auditLog }));
      }
      // The browser client at /, last so that no API path touches the disk.
      a.use(publicRoutes());
    },
  });
  return { app, signer, auth, characters, social, accountGate };
}

/**
 * Builds and starts everything in dependency order: database (migrated), cache, event bus, HTTP
 * app, Colyseus on the same HTTP server. The returned `stop` tears down in reverse order.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, logger, data } = options;
  const metrics = createMetrics({
    defaultLabels: { process: config.PUBLIC_ADDRESS ?? `pid-${process.pid}` },
    sample: colyseusSampler(),
  });
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pgliteThread: config.PGLITE_THREAD,
    poolSize: config.DATABASE_POOL_SIZE,
    onQueryError: (operation) => metrics.dbQueryErrors.inc({ operation }),
    traceQueries: isTracing(),
  });
  try {
    const report = await db.migrate();
    logger.info({ database: db.kind, ...report }, "database ready");
  } catch (error) {
    await db.close();
    throw error;
  }

  const cache = await createCache({ redisUrl: config.REDIS_URL, logger, metrics });
  const events = await createEventBus({ natsUrl: config.NATS_URL, logger, metrics });
  const matchmaking = createPresenceAndDriver({
    redisUrl: config.REDIS_URL,
    publicAddress: config.PUBLIC_ADDRESS,
    logger,
  });
  const { presence, driver } = matchmaking;
  matchmaking.onModeChange((mode) => {
    metrics.matchmakingDegraded.set(mode === "local" ? 1 : 0);
    if (mode === "local") metrics.matchmakingDegradations.inc();
    // A restarted Redis, or processes that took this one for dead, no longer list its load:
    // without it, rooms would not be placed here.
    else if (matchMaker.state === matchMaker.MatchMakerState.READY) {
      void Promise.resolve(matchMaker.stats.persist(true)).catch(() => undefined);
    }
  });
  if (matchmaking.kind === "redis" && !(await matchmaking.whenOnRedis(MATCHMAKING_WAIT_MS))) {
    metrics.matchmakingDegraded.set(1);
    logger.warn("redis not reachable yet: matchmaking runs on this process only until it is");
  }
  const locks = createCharacterLocks(presence, config.CHARACTER_LOCK_TTL_SEC);
  let forgetList: (accountId: string) => Promise<void> = async () => undefined;
  const progression = createProgressionService({
    prisma: db.prisma,
    gameData: data,
    isOnline: async (characterId) => (await locks.holderOf(characterId)) !== null,
    onCharacterWritten: (accountId) => forgetList(accountId),
  });
  const progress = createProgressStore(progression, logger.child({ component: "progress" }));
  const online = createOnlinePlayers(presence, locks);
  const worldEvents = createWorldEvents({
    ...{ prisma: db.prisma, presence, data, store: progress, locks, online },
    logger: logger.child({ component: "world-events" }),
    scheduled: config.WORLD_EVENT_SCHEDULE === "on",
  });
  matchmaking.onStoreChange(locks.reassert);
  matchmaking.onStoreChange(online.reassert);
  const notifiers = createPresenceNotifiers(presence);
  const sanctions = createSanctions({ prisma: db.prisma, presence });
  await sanctions.start();
  const economy = createEconomyServices({
    ...{ config, prisma: db.prisma, data, progress, locks, online, presence, events, logger },
  });
  const partyLookup = partyLookupOn(presence);
  const arena = createArenaServices({ prisma: db.prisma, presence, parties: partyLookup, logger });
  // Party members, else guild mates, are placed in one channel (src/zone/channel-directory.ts).
  const channels = createChannelDirectory({
    presence,
    online,
    capacityOverride: config.ZONE_CHANNEL_CAPACITY,
    partyMembersOf: async (id) => (await partyLookup.partyOf(id))?.members ?? [],
    async guildMatesOf(id) {
      const membership = await social?.guilds.membershipOf(id);
      return membership ? social!.guilds.memberIds(membership.guildId) : [];
    },
    onLookupError: (err) => logger.warn({ err }, "channel placement: party or guild lookup failed"),
  });
  matchmaking.onStoreChange(channels.reassert);
  const { app, signer, characters, social, accountGate } = buildHttpApp({
    ...options,
    presence,
    kickCharacters: kickCharactersOnline(online, logger),
    arena,
    db,
    events,
    cache,
    characterRules: newCharacterRules(data, config.MAX_CHARACTERS_PER_ACCOUNT),
    world: { data, progress, locks, channels },
    progression,
    metrics,
    economy,
    worldEvents,
    social: {
      online,
      locks,
      guildNotifier: notifiers.guild,
      socialNotifier: notifiers.social,
      economy: economy.economy,
    },
    sanctions,
    adminApi: adminApiRoutes({
      online,
      operator: createOperatorActions({
        ...{ prisma: db.prisma, data, online, locks, sanctions, economy: economy.economy },
        notify: (characterId, message) => publishToPlayer(presence, characterId, message),
      }),
      announce: async (message) => {
        await presence.publish(Channels.announcement, { message, at: new Date().toISOString() });
      },
    }),
  });

  forgetList = characters.forgetList;
  const writer = new WriteBehind<PlayerRecord>({
    save: (records, positionOnly) => progress.saveMany(records, positionOnly),
    keyOf: (r) => r.character.id,
    logger: logger.child({ component: "write-behind" }),
    onFlush: ({ seconds, queueDepth }) => {
      metrics.writeBehindFlushDuration.observe(seconds);
      metrics.writeBehindQueueDepth.set(queueDepth);
    },
  });
  writer.start();
  await economy.start();
  // Chat, parties and the relay of personal/guild notices ride every zone room (rooms/social-*.ts).
  const directory = social ? socialDirectory(social) : undefined;
  const parties = directory
    ? createPartyService({
        presence,
        online,
        directory,
        onError: (err) => logger.warn({ err }, "party update failed"),
      })
    : undefined;
  const socialFeatures =
    directory && parties
      ? [
          socialFeature({
            presence,
            directory,
            parties,
            chat: createChatService({ presence, online, directory, muteOf: sanctions.muteOf }),
          }),
        ]
      : [];
  Encoder.BUFFER_SIZE = ENCODER_BUFFER_BYTES;
  setRoomServices({
    data,
    signer,
    progress,
    writer,
    locks,
    online,
    presence,
    events,
    logger,
    aoiRadius: AOI_RADIUS,
    patchRateMs: 1000 / config.ZONE_PATCH_HZ,
    social,
    sanctions,
    economy: economy.economy,
    channels,
    features: [
      ...socialFeatures,
      channelFeature(channels),
      economyFeature(economy.economy),
      arenaFeature(arena.queue),
      tradeFeature(economy.economy),
      worldEventFeature(worldEvents),
    ],
    arena,
    // A party enters a dungeon together: one instance per party.
    instanceGroupOf: parties ? (characterId) => parties.partyOf(characterId) : undefined,
    observer: {
      stepSeconds: (room, seconds) => metrics.stepDuration.observe({ room }, seconds),
      messageReceived: (type) => metrics.messagesReceived.inc({ type }),
      messageRejected: (type, reason) => metrics.messagesRejected.inc({ type, reason }),
      bytesSent: (room, bytes) => metrics.patchBytes.inc({ room }, bytes),
    },
  });

  const httpServer = http.createServer(app);
  const { transport, publicAddress } = await createGameTransport(config, httpServer);
  const gameServer = new Server({
    transport,
    presence,
    driver,
    publicAddress,
    gracefullyShutdown: false,
    greet: false,
    logger: colyseusLogger(logger.child({ component: "colyseus" })),
  });
  gameServer.define("zone", ZoneRoom).filterBy(["zone"]);
  // One instance per zone and group (a party, or a lone character): see rooms/zone-transfer.ts.
  gameServer.define("instance", InstanceRoom).filterBy(["zone", "group"]);
  gameServer.define(ARENA_ROOM, ArenaRoom);
  restrictMatchmakerCors(config.CORS_ORIGINS);
  await gameServer.listen(config.PORT, config.HOST);
  arena.queue.start();
  routeOnlyMatchmakingToColyseus(httpServer, app);
  const port = (httpServer.address() as AddressInfo).port;
  const host = reachableHost(config.HOST);

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    db,
    events,
    metrics,
    economy,
    stop() {
      stopping ??= (async () => {
        // Disposing rooms makes every player leave, which queues and flushes their progress.
        await arena.queue.stop();
        await gameServer.gracefullyShutdown(false);
        parties?.stop();
        await writer.stop().catch((error: unknown) => {
          logger.error(
            { err: error, queued: writer.depth },
            "progress not fully saved at shutdown",
          );
        });
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        setRoomServices(undefined);
        sanctions.stop();
        await accountGate.close();
        await economy.stop();
        await events.close();
        await cache.close();
        await db.close();
      })();
      return stopping;
    },
  };
}

/**
 * Colyseus prepends a request listener that stamps its permissive CORS headers on every response
 * and answers every OPTIONS itself. Give it only its own paths; the API keeps its CORS policy.
 */
function routeOnlyMatchmakingToColyseus(httpServer: http.Server, app: http.RequestListener): void {
  const colyseus = (httpServer.listeners("request") as http.RequestListener[]).filter(
    (listener) => listener !== app,
  );
  if (colyseus.length !== 1) {
    throw new Error(`expected one Colyseus request listener, found ${colyseus.length}`);
  }
  httpServer.removeAllListeners("request");
  httpServer.on("request", (req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/matchmake/") || url === "/__healthcheck") {
      colyseus[0]!(req, res);
    } else {
      app(req, res);
    }
  });
}

/** Colyseus answers matchmaking CORS itself; apply the configured origins there too. */
function restrictMatchmakerCors(origins: readonly string[]): void {
  matchMaker.controller.getCorsHeaders = (headers: Headers) => {
    const origin = headers.get("origin");
    const allowed = origin !== null && (origins.includes("*") || origins.includes(origin));
    return { "Access-Control-Allow-Origin": allowed ? origin : "null", Vary: "Origin" };
  };
}
