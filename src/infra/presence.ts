import { LocalDriver, LocalPresence, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Logger } from "../logger.ts";

export type PresenceAndDriver = {
  kind: "redis" | "local";
  presence: Presence;
  driver: MatchMakerDriver;
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
};

/**
 * The matchmaking presence and driver for `new Server({ presence, driver, publicAddress })`.
 * With Redis, every process sees every room, and the client connects to the process that owns
 * its room at that process's `publicAddress`.
 */
export function createPresenceAndDriver(options: PresenceOptions = {}): PresenceAndDriver {
  const { redisUrl, logger } = options;
  if (redisUrl) {
    if (!options.publicAddress) {
      logger?.warn(
        "REDIS_URL is set without PUBLIC_ADDRESS: clients of other processes cannot reach this one",
      );
    }
    const presence = new RedisPresence(redisUrl);
    const driver = new RedisDriver(redisUrl);
    logger?.info(
      { presence: "redis", publicAddress: options.publicAddress },
      "matchmaking on redis",
    );
    return {
      kind: "redis",
      presence,
      driver,
      async close() {
        presence.shutdown();
        await driver.shutdown();
      },
    };
  }
  const presence = new LocalPresence();
  const driver = new LocalDriver();
  return {
    kind: "local",
    presence,
    driver,
    async close() {
      presence.shutdown();
      await driver.shutdown?.();
    },
  };
}
