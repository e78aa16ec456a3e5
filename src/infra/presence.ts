import { LocalDriver, LocalPresence, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { FailoverDriver } from "./failover-driver.ts";
import { FailoverPresence, LinkedRedisPresence, type StateOwner } from "./failover-presence.ts";
import { FAILOVER_REDIS_OPTIONS, RedisFailover, type MatchmakingMode } from "./redis-failover.ts";

export type PresenceAndDriver = {
  kind: "redis" | "local";
  presence: Presence;
  driver: MatchMakerDriver;
  /** See `StateOwner`; nothing to do without Redis. */
  onStoreChange(owner: StateOwner): void;
  /** Called on each switch between Redis and in-process matchmaking (only with Redis). */
  onModeChange(listener: (mode: MatchmakingMode) => void): void;
  /** Resolves true once matchmaking runs on Redis, false after `timeoutMs` (or without Redis). */
  whenOnRedis(timeoutMs: number): Promise<boolean>;
  /**
   * Closes both. Only for when they were never handed to a Colyseus `Server`: its
   * `gracefullyShutdown()` already shuts down the presence and the driver it was given.
   */
  close(): Promise<void>;
};

export type PresenceOptions = {
  /** `REDIS_URL`: Redis presence and driver when set, Colyseus' local ones otherwise. */
  redisUrl?: string;
  /** `PUBLIC_ADDRESS`: required to be unique per process when rooms spread over Redis. */
  publicAddress?: string;
  logger?: Logger;
  /** This process's id in room listings; the Colyseus matchmaker's unless a test sets one. */
  processId?: () => string | undefined;
};

/**
 * The matchmaking presence and driver for `new Server({ presence, driver, publicAddress })`.
 * With Redis, every process sees every room, and the client connects to the process that owns
 * its room at that process's `publicAddress`. While Redis is unreachable, this process keeps
 * matchmaking on its own rooms and state, and writes them back when Redis returns (see
 * RedisFailover).
 */
export function createPresenceAndDriver(options: PresenceOptions = {}): PresenceAndDriver {
  const { redisUrl, logger } = options;
  if (redisUrl) {
    if (!options.publicAddress) {
      logger?.warn(
        "REDIS_URL is set without PUBLIC_ADDRESS: clients of other processes cannot reach this one",
      );
    }
    const log = logger?.child({ component: "matchmaking" });
    const pub = new Redis(redisUrl, FAILOVER_REDIS_OPTIONS);
    const driverClient = new Redis(redisUrl, FAILOVER_REDIS_OPTIONS);
    // Connection errors come after construction, asynchronously, when `failover` is set.
    const onConnectionError = (error: Error) => failover.warn(error, "redis connection error");
    const redisPresence = new LinkedRedisPresence(pub, onConnectionError);
    driverClient.on("error", onConnectionError);
    const failover = new RedisFailover([pub, redisPresence.subscriber, driverClient], log);
    const presence = new FailoverPresence(redisPresence, failover, log);
    const driver = new FailoverDriver(driverClient, failover, options.processId);
    return {
      kind: "redis",
      presence,
      driver,
      onStoreChange: (owner) => presence.onStoreChange(owner),
      onModeChange: (listener) => failover.onModeChange(listener),
      whenOnRedis: (timeoutMs) => failover.whenOnRedis(timeoutMs),
      async close() {
        presence.shutdown();
        driver.shutdown();
      },
    };
  }
  const presence = new LocalPresence();
  const driver = new LocalDriver();
  return {
    kind: "local",
    presence,
    driver,
    onStoreChange: () => undefined,
    onModeChange: () => undefined,
    whenOnRedis: async () => false,
    async close() {
      presence.shutdown();
      await driver.shutdown?.();
    },
  };
}
