import {
  LocalDriver,
  matchMaker,
  type IRoomCache,
  type MatchMakerDriver,
  type SortOptions,
} from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import type { Redis } from "ioredis";
import { closeConnection } from "./failover-presence.ts";
import { isLinkFailure, type RedisFailover } from "./redis-failover.ts";

type Operations = Parameters<MatchMakerDriver["update"]>[1];

/**
 * The room listings, on Redis while it is reachable and from this process's own rooms while it
 * is not. This process's listings are always kept in memory too, so that they can be written
 * back when Redis returns (a restarted Redis has none: without them, joins would open a second
 * room for a zone that already has one here).
 */
export class FailoverDriver implements MatchMakerDriver {
  private readonly client: Redis;
  private readonly failover: RedisFailover;
  private readonly own = new LocalDriver();
  private readonly processId: () => string | undefined;
  private redis: RedisDriver;

  /** `processId`: whose listings are this process's in Redis (the matchmaker's by default). */
  constructor(
    client: Redis,
    failover: RedisFailover,
    processId: () => string | undefined = () => matchMaker.processId,
  ) {
    this.client = client;
    this.failover = failover;
    this.processId = processId;
    this.redis = new RedisDriver(client);
    failover.add({ degrade: () => undefined, restore: () => this.restore() });
  }

  private async read<T>(
    fromRedis: (driver: RedisDriver) => Promise<T>,
    fromOwn: (driver: LocalDriver) => T | Promise<T>,
  ): Promise<T> {
    if (this.failover.mode === "redis") {
      try {
        return await fromRedis(this.redis);
      } catch (error) {
        this.forget();
        if (!isLinkFailure(error)) throw error;
        this.failover.reportFailure(error);
      }
    }
    return await fromOwn(this.own);
  }

  /**
   * Writes go to Redis whenever it is connected, including while the restore runs; failures are
   * left to the restore. They never throw: Colyseus awaits them on join and leave.
   */
  private async write(op: (driver: RedisDriver) => Promise<unknown>): Promise<void> {
    if (!this.failover.connected) return;
    try {
      await op(this.redis);
    } catch (error) {
      this.forget();
      if (isLinkFailure(error)) this.failover.reportFailure(error);
      else this.failover.warn(error, "room listing not written to redis");
    }
  }

  /**
   * RedisDriver 0.18.3 shares one HGETALL between concurrent queries and forgets it only when it
   * succeeds: after one failure, every later query of that driver gets the same rejection, even
   * with Redis back. A fresh driver on the same connection starts clean.
   */
  private forget(): void {
    this.redis = new RedisDriver(this.client);
  }

  has(roomId: string): Promise<boolean> {
    return this.read(
      (r) => r.has(roomId),
      (l) => l.has(roomId),
    );
  }

  query(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache[]> {
    return this.read(
      (r) => r.query(conditions, sortOptions),
      (l) => l.query(conditions, sortOptions),
    );
  }

  findOne(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache> {
    return this.read(
      async (r) => await r.findOne(conditions, sortOptions),
      async (l) => await l.findOne(conditions, sortOptions),
    );
  }

  findByIds(roomIds: string[]): Promise<Map<string, IRoomCache>> {
    return this.read(
      (r) => r.findByIds(roomIds),
      (l) => l.findByIds(roomIds),
    );
  }

  async cleanup(processId: string): Promise<void> {
    await this.own.cleanup(processId);
    await this.write((r) => r.cleanup(processId));
  }

  /** Only this process's live rooms are listed: a late persist of a disposed room is dropped. */
  async persist(room: IRoomCache, create = false): Promise<boolean> {
    if (!this.keep(room, create)) return false;
    await this.write((r) => r.persist(room));
    return true;
  }

  async update(room: IRoomCache, operations: Operations): Promise<boolean> {
    this.own.update(room, operations);
    if (!this.keep(room, false)) return false;
    // Operations apply to `room` once, above; Redis gets the result (RedisDriver.update would
    // apply `$inc` a second time to the same object).
    await this.write((r) => r.persist(room));
    return true;
  }

  async remove(roomId: string): Promise<boolean> {
    const removed = this.own.remove(roomId);
    await this.write((r) => r.remove(roomId));
    return removed;
  }

  async clear(): Promise<void> {
    this.own.clear();
    await this.write((r) => r.clear());
  }

  shutdown(): void {
    closeConnection(this.client);
  }

  /** Keeps `room` in memory in place (first-match order is the matchmaker's choice of room). */
  private keep(room: IRoomCache, create: boolean): boolean {
    const index = this.own.rooms.findIndex((r) => r.roomId === room.roomId);
    if (index !== -1) {
      this.own.rooms[index] = room;
      return true;
    }
    if (!create) return false;
    this.own.persist(room, true);
    return true;
  }

  /**
   * Writes this process's listings back and drops its listings that Redis kept but that were
   * disposed meanwhile. Runs while writes already go to Redis, so each room is written only if it
   * is still here.
   */
  private async restore(): Promise<void> {
    this.forget();
    for (const room of [...this.own.rooms]) {
      if (this.own.has(room.roomId)) await this.redis.persist(room);
    }
    const processId = this.processId();
    if (processId === undefined) return;
    for (const room of await this.redis.query({ processId })) {
      if (!this.own.has(room.roomId)) await this.redis.remove(room.roomId);
    }
  }
}
