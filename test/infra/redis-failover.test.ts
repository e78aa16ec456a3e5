import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { initializeRoomCache, type IRoomCache } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { Redis } from "ioredis";
import { createPresenceAndDriver, type PresenceAndDriver } from "../../src/infra/presence.ts";
import type { MatchmakingMode } from "../../src/infra/redis-failover.ts";
import { createCharacterLocks } from "../../src/session/character-lock.ts";
import { requireRedisServer, startRedis, stopChild } from "../helpers/redis-server.ts";
import { freePort } from "../helpers/server-process.ts";
import { startProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

/**
 * The Redis presence and driver failover against a redis-server of our own, killed and started
 * again empty (test/hardening/outage.test.ts does the same with a whole server process).
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the time it took for `pair` to report `mode`. */
function nextMode(pair: PresenceAndDriver, mode: MatchmakingMode, ms = 10_000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no switch to ${mode} within ${ms} ms`)), ms);
    pair.onModeChange((m) => {
      if (m !== mode) return;
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

function listing(roomId: string, processId: string): IRoomCache {
  return initializeRoomCache({ roomId, processId, name: "zone", metadata: { zone: "meadow" } });
}

describe("Redis failover (presence, driver, character locks)", function () {
  this.timeout(60_000);
  let port: number;
  let redis: ChildProcess | undefined;
  const closers: (() => Promise<void> | void)[] = [];

  before(async function () {
    requireRedisServer(this);
    port = await freePort();
    redis = await startRedis(port);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  after(async () => {
    await stopChild(redis);
  });

  function pairOn(url: string, processId: string) {
    const pair = createPresenceAndDriver({
      redisUrl: url,
      publicAddress: `127.0.0.1:${processId}`,
      processId: () => processId,
    });
    const locks = createCharacterLocks(pair.presence, 30);
    pair.onStoreChange(locks.reassert);
    closers.push(() => pair.close());
    return { pair, locks };
  }

  function raw(url = `redis://127.0.0.1:${port}`): Redis {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    closers.push(() => void client.disconnect());
    return client;
  }

  it("keeps a process matchmaking on its own state while Redis is down and writes it back when Redis returns empty", async () => {
    const url = `redis://127.0.0.1:${port}`;
    const { pair, locks } = pairOn(url, "proc-a");
    assert.equal(await pair.whenOnRedis(5000), true);
    const { presence, driver } = pair;
    const r1 = listing("room-1", "proc-a");
    await driver.persist(r1, true);
    assert.equal(await locks.acquire("c1", "room-1/s1"), true);
    const check = raw();
    assert.equal(await check.hget("mmo:charlock:c1", "holder"), "room-1/s1");

    const down = nextMode(pair, "local");
    await stopChild(redis);
    redis = undefined;
    assert.ok((await down) < 2000, "the loss is noticed at once (connection closed)");

    // Matchmaking reads this process's own rooms, and writes keep them current.
    const found = await driver.findOne({ name: "zone", locked: false });
    assert.equal(found?.roomId, "room-1");
    await driver.update(r1, { $inc: { clients: 1 } });
    const r2 = listing("room-2", "proc-a");
    await driver.persist(r2, true);
    await driver.persist(listing("room-gone", "proc-a"), true);
    await driver.remove("room-gone");
    assert.deepEqual((await driver.query({ name: "zone" })).map((r) => r.roomId).sort(), [
      "room-1",
      "room-2",
    ]);

    // One room per character still holds on this process; new characters get in.
    assert.equal(await locks.acquire("c1", "room-2/s9"), false);
    assert.equal(await locks.holderOf("c1"), "room-1/s1");
    assert.equal(await locks.renew("c1", "room-1/s1"), true);
    assert.equal(await locks.acquire("c2", "room-2/s2"), true);

    // Publications reach this process's subscribers, once.
    const heard: unknown[] = [];
    await presence.subscribe("announce", (m: unknown) => heard.push(m));
    await presence.publish("announce", { message: "during the outage" });
    await presence.set("k", "v");
    assert.equal(await presence.get("k"), "v");
    assert.deepEqual(heard, [{ message: "during the outage" }]);

    const up = nextMode(pair, "redis");
    redis = await startRedis(port);
    const restoredMs = await up;
    assert.ok(restoredMs < 3000, `back on Redis ${restoredMs} ms after it started`);

    // The restarted Redis has this process's rooms and locks again.
    const listed = await check.hgetall("roomcaches");
    assert.deepEqual(Object.keys(listed).sort(), ["room-1", "room-2"]);
    assert.equal((JSON.parse(listed["room-1"]!) as IRoomCache).clients, 1);
    assert.equal(await check.hget("mmo:charlock:c1", "holder"), "room-1/s1");
    assert.equal(await check.hget("mmo:charlock:c2", "holder"), "room-2/s2");
    assert.ok((await check.ttl("mmo:charlock:c2")) > 0, "a re-asserted lock still expires");

    // Another process sees them; pub/sub is shared again, still delivered once here.
    const other = pairOn(url, "proc-b");
    assert.equal(await other.pair.whenOnRedis(5000), true);
    assert.equal(await other.locks.acquire("c2", "elsewhere"), false);
    assert.equal(await other.locks.holderOf("c1"), "room-1/s1");
    assert.equal((await other.pair.driver.findOne({ roomId: "room-2" }))?.processId, "proc-a");
    const heardThere = new Promise((resolve) => {
      void other.pair.presence.subscribe("announce", resolve);
    });
    await sleep(50);
    await presence.publish("announce", { message: "after" });
    assert.deepEqual(await heardThere, { message: "after" });
    await sleep(100);
    assert.deepEqual(heard, [{ message: "during the outage" }, { message: "after" }]);
  });

  it("gives up a character taken by another process while this one was cut off from Redis", async () => {
    const proxy: TcpProxy = await startProxy({ host: "127.0.0.1", port });
    closers.push(() => proxy.close());
    const a = pairOn(`redis://127.0.0.1:${proxy.port}`, "proc-a");
    const b = pairOn(`redis://127.0.0.1:${port}`, "proc-b");
    assert.equal(await a.pair.whenOnRedis(5000), true);
    assert.equal(await b.pair.whenOnRedis(5000), true);
    const stale = listing("room-stale", "proc-a");
    await a.pair.driver.persist(stale, true);
    assert.equal(await a.locks.acquire("kept", "a/1"), true);

    const down = nextMode(a.pair, "local");
    proxy.cut();
    await down;
    // Split brain: both processes admit "twin"; A also disposes a room Redis still lists.
    assert.equal(await a.locks.acquire("twin", "a/2"), true);
    assert.equal(await b.locks.acquire("twin", "b/1"), true);
    await a.pair.driver.remove("room-stale");

    const up = nextMode(a.pair, "redis");
    proxy.restore();
    await up;
    assert.equal(await a.locks.renew("twin", "a/2"), false, "Redis' holder wins");
    assert.equal(await b.locks.holderOf("twin"), "b/1");
    assert.equal(await a.locks.renew("kept", "a/1"), true, "a lock Redis kept stays");
    assert.equal(await b.pair.driver.has("room-stale"), false, "the disposed room is unlisted");
  });

  it("falls back within the command timeout when Redis hangs, and keeps the locks taken meanwhile", async () => {
    const url = `redis://127.0.0.1:${port}`;
    const { pair, locks } = pairOn(url, "proc-a");
    assert.equal(await pair.whenOnRedis(5000), true);
    const down = nextMode(pair, "local");
    redis!.kill("SIGSTOP");
    try {
      const started = Date.now();
      assert.equal(await locks.acquire("hung", "room-h/1"), true);
      const tookMs = Date.now() - started;
      assert.ok(tookMs < 3500, `acquired on in-process state after ${tookMs} ms`);
      await down;
      assert.equal(await locks.acquire("hung", "room-h/2"), false);
    } finally {
      redis!.kill("SIGCONT");
    }
    await nextMode(pair, "redis");
    // Redis ran the count sent before the hang once resumed, but nobody claimed it: the holder
    // here does, and keeps the character.
    const check = raw();
    await sleep(500);
    assert.equal(await check.hget("mmo:charlock:hung", "holder"), "room-h/1");
    assert.ok((await check.ttl("mmo:charlock:hung")) > 0);
    assert.equal(await locks.renew("hung", "room-h/1"), true);
  });

  it("needs a fresh RedisDriver after one failed query (@colyseus/redis-driver 0.18.3)", async () => {
    // Issue "Load and proof" (Hardening, outages), the root cause of joins failing for good after
    // a Redis restart: RedisDriver shares one HGETALL between queries and forgets it only on
    // success. FailoverDriver replaces the driver.
    const client = new Redis(`redis://127.0.0.1:${port}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    client.on("error", () => undefined);
    closers.push(() => void client.disconnect());
    await new Promise((resolve) => client.once("ready", resolve));
    const stuck = new RedisDriver(client);
    assert.deepEqual(await stuck.query({ name: "zone" }), []);
    await stopChild(redis);
    await assert.rejects(stuck.query({ name: "zone" }));
    redis = await startRedis(port);
    if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
    await assert.rejects(stuck.query({ name: "zone" }), "the failed read is served again");
    assert.deepEqual(await new RedisDriver(client).query({ name: "zone" }), []);
  });
});
