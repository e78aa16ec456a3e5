import { LocalPresence, type Presence } from "@colyseus/core";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { isLinkFailure, type RedisFailover } from "./redis-failover.ts";

/**
 * Re-asserts state this process owns (character locks, its online players) into the store about
 * to serve: Redis when it returns (possibly restarted empty), or a fresh in-process store when it
 * is lost.
 */
export type StateOwner = (store: Presence) => Promise<void>;

/** RedisPresence on a connection we configure, with the hooks the failover needs. */
export class LinkedRedisPresence extends RedisPresence {
  constructor(client: Redis, onConnectionError: (error: Error) => void) {
    super(client);
    // RedisPresence warns on every failed reconnection of both connections; the failover's
    // warning is throttled.
    for (const connection of [this.pub, this.sub]) {
      connection.removeAllListeners("error");
      connection.on("error", onConnectionError);
    }
  }

  get subscriber(): Redis {
    return this.sub as Redis;
  }

  /** SUBSCRIBE again to every topic with listeners; those made while Redis was away failed. */
  async resubscribe(): Promise<void> {
    const topics = this.subscriptions.eventNames().filter((t) => typeof t === "string");
    if (topics.length > 0) await this.sub.subscribe(...topics);
  }

  // The inherited set/setex/expire/del/sadd resolve with the error instead of rejecting: a lost
  // link would look like success and never reach the failover.
  override async set(key: string, value: string): Promise<unknown> {
    return this.pub.set(key, value);
  }
  override async setex(key: string, value: string, seconds: number): Promise<unknown> {
    return this.pub.setex(key, seconds, value);
  }
  override async expire(key: string, seconds: number): Promise<unknown> {
    return this.pub.expire(key, seconds);
  }
  override async del(key: string): Promise<unknown> {
    return this.pub.del(key);
  }
  override async sadd(key: string, value: string): Promise<unknown> {
    return this.pub.sadd(key, value);
  }

  /**
   * The inherited one duplicates `pub`, whose options refuse commands before the new connection
   * is up (no offline queue) and would time a long block out.
   */
  override async brpop(
    ...args: [...keys: string[], timeoutInSeconds: number]
  ): Promise<[string, string] | null> {
    const blocking = (this.pub as Redis).duplicate({
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    try {
      return await blocking.brpop(...args);
    } finally {
      closeConnection(blocking);
    }
  }

  override shutdown(): void {
    closeConnection(this.sub as Redis);
    closeConnection(this.pub as Redis);
  }
}

/** QUIT when connected; a connection that is down is dropped (QUIT would be refused). */
export function closeConnection(client: Redis): void {
  if (client.status === "ready") client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

/**
 * Colyseus presence on Redis that keeps working while Redis is unreachable: commands then run on
 * in-process state, and publications reach this process's own subscribers. Every subscription is
 * registered both ways, so each publication travels exactly one way and is delivered once.
 */
export class FailoverPresence implements Presence {
  private readonly redis: LinkedRedisPresence;
  private readonly failover: RedisFailover;
  private readonly log: Logger | undefined;
  private readonly inProcess = new LocalPresence();
  /** Fresh for each outage: keys left from an earlier one are stale. */
  private local = new LocalPresence();
  private readonly owners: StateOwner[] = [];

  constructor(redis: LinkedRedisPresence, failover: RedisFailover, logger?: Logger) {
    this.redis = redis;
    this.failover = failover;
    this.log = logger;
    failover.add({
      degrade: () => {
        this.local = new LocalPresence();
        void this.reassert(this.local);
      },
      restore: async () => {
        await redis.resubscribe();
        await this.reassert(redis, true);
      },
    });
    // Again once switched: state taken while the restore ran went to the in-process store.
    failover.onModeChange((mode) => mode === "redis" && void this.reassert(redis));
  }

  /** See `StateOwner`. */
  onStoreChange(owner: StateOwner): void {
    this.owners.push(owner);
  }

  private async reassert(store: Presence, rethrow = false): Promise<void> {
    try {
      await Promise.all(this.owners.map((owner) => owner(store)));
    } catch (error) {
      if (rethrow) throw error;
      this.log?.warn({ err: error }, "could not re-assert this process's presence state");
    }
  }

  private async run<T>(
    op: (store: Presence) => T | Promise<T>,
    fallback: Presence = this.local,
  ): Promise<T> {
    if (this.failover.mode === "redis") {
      try {
        return await op(this.redis);
      } catch (error) {
        if (!isLinkFailure(error)) throw error;
        this.failover.reportFailure(error);
      }
    }
    return await op(fallback);
  }

  async subscribe(topic: string, callback: (...args: unknown[]) => void): Promise<this> {
    await this.inProcess.subscribe(topic, callback);
    const onRedis = this.redis.subscribe(topic, callback);
    if (this.failover.mode === "redis") {
      await onRedis.catch((error: unknown) => {
        if (!isLinkFailure(error)) throw error;
        this.failover.reportFailure(error);
      });
    } else {
      // RedisPresence keeps the listener although SUBSCRIBE failed: the restore subscribes again.
      onRedis.catch(() => undefined);
    }
    return this;
  }

  unsubscribe(topic: string, callback?: (...args: unknown[]) => void): this {
    this.inProcess.unsubscribe(topic, callback);
    this.redis.unsubscribe(topic, callback).catch(() => undefined);
    return this;
  }

  async publish(topic: string, data: unknown): Promise<void> {
    if (this.failover.mode === "redis") {
      try {
        await this.redis.publish(topic, data);
        return;
      } catch (error) {
        if (!isLinkFailure(error)) throw error;
        this.failover.reportFailure(error);
      }
    }
    this.inProcess.publish(topic, data);
  }

  channels(pattern?: string): Promise<string[]> {
    return this.run((p) => p.channels(pattern), this.inProcess);
  }
  exists(key: string): Promise<boolean> {
    return this.run((p) => p.exists(key));
  }
  set(key: string, value: string): Promise<unknown> {
    return this.run((p) => p.set(key, value));
  }
  setex(key: string, value: string, seconds: number): Promise<unknown> {
    return this.run((p) => p.setex(key, value, seconds));
  }
  expire(key: string, seconds: number): Promise<unknown> {
    return this.run((p) => p.expire(key, seconds));
  }
  get(key: string): Promise<unknown> {
    return this.run((p) => p.get(key));
  }
  async del(key: string): Promise<void> {
    await this.run((p) => p.del(key));
  }
  sadd(key: string, value: unknown): Promise<unknown> {
    return this.run((p) => p.sadd(key, value));
  }
  smembers(key: string): Promise<string[]> {
    return this.run((p) => p.smembers(key));
  }
  sismember(key: string, field: string): Promise<unknown> {
    return this.run((p) => p.sismember(key, field));
  }
  srem(key: string, value: unknown): Promise<unknown> {
    return this.run((p) => p.srem(key, value));
  }
  scard(key: string): Promise<unknown> {
    return this.run((p) => p.scard(key));
  }
  sinter(...keys: string[]): Promise<string[]> {
    return this.run((p) => p.sinter(...keys));
  }
  hset(key: string, field: string, value: string): Promise<boolean> {
    return this.run((p) => p.hset(key, field, value));
  }
  hincrby(key: string, field: string, value: number): Promise<number> {
    return this.run((p) => p.hincrby(key, field, value));
  }
  hincrbyex(key: string, field: string, value: number, expireInSeconds: number): Promise<number> {
    return this.run((p) => p.hincrbyex(key, field, value, expireInSeconds));
  }
  hget(key: string, field: string): Promise<string | null> {
    return this.run((p) => p.hget(key, field));
  }
  hgetall(key: string): Promise<{ [key: string]: string }> {
    return this.run((p) => p.hgetall(key));
  }
  hdel(key: string, field: string): Promise<boolean> {
    return this.run((p) => p.hdel(key, field));
  }
  hlen(key: string): Promise<number> {
    return this.run((p) => p.hlen(key));
  }
  incr(key: string): Promise<number> {
    return this.run((p) => p.incr(key));
  }
  decr(key: string): Promise<number> {
    return this.run((p) => p.decr(key));
  }
  llen(key: string): Promise<number> {
    return this.run((p) => p.llen(key));
  }
  rpush(key: string, ...values: string[]): Promise<number> {
    return this.run((p) => p.rpush(key, ...values));
  }
  lpush(key: string, ...values: string[]): Promise<number> {
    return this.run((p) => p.lpush(key, ...values));
  }
  rpop(key: string): Promise<string | null> {
    return this.run((p) => p.rpop(key));
  }
  lpop(key: string): Promise<string | null> {
    return this.run((p) => p.lpop(key));
  }
  brpop(...args: [...keys: string[], timeoutInSeconds: number]): Promise<[string, string] | null> {
    return this.run((p) => p.brpop(...args));
  }

  setMaxListeners(count: number): void {
    this.redis.setMaxListeners(count);
    this.inProcess.setMaxListeners(count);
  }

  shutdown(): void {
    this.failover.stop();
    this.redis.shutdown();
  }
}
