import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import pg from "pg";
import { positionIn, sleep, stoppedIn } from "../helpers/game-server.ts";
import { requireRedisServer, startRedis, stopChild } from "../helpers/redis-server.ts";
import { freshPgliteDir } from "../helpers/databases.ts";
import { freePort, startServerProcess, type ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { startProxy } from "../helpers/tcp-proxy.ts";

/**
 * Outages of the services behind the game, against a real server process:
 * - Redis (our own redis-server child) killed and restarted empty: the HTTP API keeps serving
 *   from the database, the process keeps admitting players on its own state, and once Redis is
 *   back its rooms and locks are there again, joins are shared again and the cache hits Redis.
 * - PostgreSQL cut by a TCP proxy we control: /readyz goes 503, rooms keep simulating, progress
 *   queues in the write-behind and reaches the database once the proxy is restored.
 */

const JWT_SECRET = "outage-secret-outage-secret-0123456789ab";
const ADMIN = { user: "ops", password: "ops-password-123" };
const ADMIN_AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`;

type EntityView = { x: number; y: number };
/** Entities by network key: the own entity is `room.sessionId`. */
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ??
  new Map<string, EntityView>();

async function json(
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
) {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as unknown };
}

async function player(url: string, name: string) {
  const email = `${name.toLowerCase()}.${process.pid}.${Date.now()}@example.com`;
  const reg = await json(url, "/v1/auth/register", {
    body: { email, password: "outage password 1" },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  const token = (reg.body as { accessToken: string }).accessToken;
  const created = await json(url, "/v1/characters", {
    token,
    body: { name: `${name}${process.pid % 10000}`, race: "human", job: "warrior" },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { token, characterId: (created.body as { id: string }).id };
}

type Player = Awaited<ReturnType<typeof player>>;

function joinWorld(url: string, who: Player) {
  return json(url, "/v1/world/join", { token: who.token, body: { characterId: who.characterId } });
}

/** POST /v1/world/join, then the seat reservation, as a game client does. */
async function enter(url: string, who: Player): Promise<Room> {
  const join = await joinWorld(url, who);
  assert.equal(join.status, 200, `world join: ${join.status} ${JSON.stringify(join.body)}`);
  const room = await new Client(url).consumeSeatReservation(
    (join.body as { reservation: never }).reservation,
  );
  room.onMessage("*", () => undefined);
  await until("own entity", 5000, async () => entities(room).has(room.sessionId));
  return room;
}

/** Walks east for a second and checks the room's character moved (as its client draws it). */
async function walk(room: Room): Promise<void> {
  const start = positionIn(room, room.sessionId)!;
  for (let seq = 1; seq <= 10; seq++) {
    room.send("move", { dx: 1, dy: 0, seq });
    await sleep(100);
  }
  room.send("stop", { seq: 11 });
  await until("the character to move", 5000, async () => {
    return positionIn(room, room.sessionId)!.x > start.x + 30;
  });
}

/** Sum of a Prometheus metric's samples (optionally only lines containing `filter`). */
async function metric(url: string, name: string, filter = ""): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: ADMIN_AUTH } });
  const text = await res.text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || !line.includes(filter)) continue;
    if (line[name.length] !== " " && line[name.length] !== "{") continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

async function metricLines(url: string, prefix: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: ADMIN_AUTH } });
  return (
    `${res.status} ` +
    (await res.text())
      .split("\n")
      .filter((l) => l.startsWith(prefix))
      .join("\n")
  );
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe("hardening: outages", function () {
  this.timeout(90_000);

  describe("Redis down", () => {
    let redis: ChildProcess | undefined;
    let redisPort: number;
    let server: ServerProcess | undefined;
    const rooms: Room[] = [];

    before(async function () {
      requireRedisServer(this);
      redisPort = await freePort();
    });
    afterEach(async () => {
      await Promise.all(
        rooms
          .splice(0)
          .map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
      );
      if (server) {
        server.child.kill("SIGTERM");
        await Promise.race([server.exited, sleep(10_000)]);
        server.child.kill("SIGKILL");
        server = undefined;
      }
      await stopChild(redis);
      redis = undefined;
    });

    async function startStack(): Promise<string> {
      redis = await startRedis(redisPort);
      const port = await freePort();
      server = await startServerProcess({
        PORT: String(port),
        // A copy of an initialised empty PGlite: no initdb in the child (test/helpers/databases.ts).
        DATA_DIR: await freshPgliteDir(),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
        JWT_SECRET,
        ADMIN_USER: ADMIN.user,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: "warn",
      });
      return server.url;
    }

    it("keeps serving the API from the database, admits players and recovers the cache when Redis returns", async () => {
      const url = await startStack();
      const me = await player(url, "Redis");
      // Warm the cache: the second read is a Redis hit.
      assert.equal((await json(url, "/v1/characters", { token: me.token })).status, 200);
      assert.equal((await json(url, "/v1/characters", { token: me.token })).status, 200);
      const hitsBefore = await metric(url, "mmo_cache_hits_total", 'cache="redis"');
      assert.ok(hitsBefore > 0, "Redis cache used before the outage");
      assert.equal(await metric(url, "mmo_matchmaking_degraded"), 0);

      await stopChild(redis);
      redis = undefined;
      for (let i = 0; i < 5; i++) {
        const list = await json(url, "/v1/characters", { token: me.token });
        assert.equal(list.status, 200, "characters served from the database");
        assert.equal((list.body as { characters: unknown[] }).characters.length, 1);
      }
      assert.equal((await json(url, "/healthz")).status, 200);
      assert.equal(
        (await json(url, "/readyz")).status,
        200,
        "the database is what readiness needs",
      );
      const other = await player(url, "NoRedis");
      assert.ok(other.characterId, "register and create still work");
      const missesDuring = await metric(url, "mmo_cache_misses_total", 'cache="redis"');
      assert.ok(
        missesDuring > 0,
        `reads fell through as cache misses: ${await metricLines(url, "mmo_cache")}`,
      );

      // The only process is healthy: it keeps admitting players on its own state.
      const joinedAt = Date.now();
      const room = await enter(url, me);
      rooms.push(room);
      process.stdout.write(
        `      redis down: in the world ${Date.now() - joinedAt} ms after join\n`,
      );
      await walk(room);
      const twice = await joinWorld(url, me);
      assert.equal(twice.status, 409, "still one session per character");
      assert.equal(await metric(url, "mmo_matchmaking_degraded"), 1);
      assert.ok((await metric(url, "mmo_matchmaking_degradations_total")) >= 1);
      assert.equal(server!.child.exitCode, null, "the server is still running");

      redis = await startRedis(redisPort);
      await until("the cache to hit Redis again", 20_000, async () => {
        assert.equal((await json(url, "/v1/characters", { token: me.token })).status, 200);
        return (await metric(url, "mmo_cache_hits_total", 'cache="redis"')) > hitsBefore;
      });
      await until("matchmaking back on Redis", 10_000, async () => {
        return (await metric(url, "mmo_matchmaking_degraded")) === 0;
      });
      assert.equal(server!.child.exitCode, null);
    });

    // Issue "Load and proof" (Hardening, outages): joins answered 503 for good after Redis came
    // back, because @colyseus/redis-driver kept serving the query that failed while it was down.
    it("lets characters join again once Redis returns, emptied, with this process's rooms and locks", async () => {
      const url = await startStack();
      const [first, second, third] = [
        await player(url, "Before"),
        await player(url, "During"),
        await player(url, "After"),
      ];
      const firstRoom = await enter(url, first);
      rooms.push(firstRoom);
      const roomId = firstRoom.roomId;

      await stopChild(redis);
      redis = undefined;
      const secondRoom = await enter(url, second);
      rooms.push(secondRoom);
      assert.equal(secondRoom.roomId, roomId, "joined the zone's room while Redis was down");
      await walk(secondRoom);

      redis = await startRedis(redisPort);
      const back = Date.now();
      let join = await joinWorld(url, third);
      while (join.status !== 200 && Date.now() - back < 20_000) {
        await sleep(100);
        join = await joinWorld(url, third);
      }
      const afterMs = Date.now() - back;
      assert.equal(join.status, 200, `join after Redis returned: ${JSON.stringify(join.body)}`);
      process.stdout.write(`      redis back: join answered 200 ${afterMs} ms after it started\n`);
      assert.ok(afterMs < 5000, `joins work again within seconds (${afterMs} ms)`);
      const thirdRoom = await new Client(url).consumeSeatReservation(
        (join.body as { reservation: never }).reservation,
      );
      rooms.push(thirdRoom);
      thirdRoom.onMessage("*", () => undefined);
      assert.equal(thirdRoom.roomId, roomId, "the zone's room was listed again, not duplicated");

      // The emptied Redis holds this process's room listing and its players' locks again.
      const check = new Redis(`redis://127.0.0.1:${redisPort}`, { maxRetriesPerRequest: 1 });
      try {
        await until("the room listing and locks in Redis", 10_000, async () => {
          const listed = await check.hexists("roomcaches", roomId);
          const holders = await Promise.all(
            [first, second, third].map((p) =>
              check.hget(`mmo:charlock:${p.characterId}`, "holder"),
            ),
          );
          return listed === 1 && holders.every((h) => h !== null);
        });
      } finally {
        check.disconnect();
      }
      assert.equal((await joinWorld(url, first)).status, 409, "still one session per character");

      // The character that joined during the outage leaves, then comes back.
      await secondRoom.leave(true);
      rooms.splice(rooms.indexOf(secondRoom), 1);
      let rejoin = await joinWorld(url, second);
      await until("the character's lock to be released", 10_000, async () => {
        if (rejoin.status === 200) return true;
        rejoin = await joinWorld(url, second);
        return rejoin.status === 200;
      });
      const again = await new Client(url).consumeSeatReservation(
        (rejoin.body as { reservation: never }).reservation,
      );
      rooms.push(again);
      again.onMessage("*", () => undefined);
      assert.equal(again.roomId, roomId);
      await until("own entity", 5000, async () => entities(again).has(again.sessionId));
      await walk(again);
      assert.equal(server!.child.exitCode, null);
    });
  });

  describe("PostgreSQL down (TCP proxy cut)", () => {
    let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
    let server: ServerProcess | undefined;
    let room: Room | undefined;
    const schema = `t_${randomBytes(6).toString("hex")}`;

    before(async function () {
      if (!(await serviceAvailable("postgres"))) this.skip();
    });
    after(async () => {
      await Promise.race([room?.leave(true).catch(() => undefined), sleep(1000)]);
      proxy?.restore();
      if (server) {
        server.child.kill("SIGTERM");
        await Promise.race([server.exited, sleep(10_000)]);
        server.child.kill("SIGKILL");
      }
      await proxy?.close();
      const client = new pg.Client({ connectionString: SERVICE_URLS.postgres });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
    });

    it("answers /readyz 503, keeps rooms simulating and flushes queued progress when it returns", async () => {
      const target = new URL(SERVICE_URLS.postgres);
      proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const viaProxy = new URL(SERVICE_URLS.postgres);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      viaProxy.searchParams.set("schema", schema);
      server = await startServerProcess({
        DATA_DIR: ":memory:",
        DATABASE_URL: viaProxy.toString(),
        JWT_SECRET,
        ADMIN_USER: ADMIN.user,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: "warn",
      });
      const url = server.url;
      const me = await player(url, "Pg");
      const join = await json(url, "/v1/world/join", {
        token: me.token,
        body: { characterId: me.characterId },
      });
      assert.equal(join.status, 200);
      room = await new Client(url).consumeSeatReservation(
        (join.body as { reservation: never }).reservation,
      );
      room.onMessage("*", () => undefined);
      const r = room;
      await until("own entity", 5000, async () => entities(r).has(r.sessionId));
      let patches = 0;
      r.onStateChange(() => (patches += 1));
      const own = () => entities(r).get(r.sessionId)!;

      proxy.cut();
      await until("/readyz 503", 10_000, async () => (await json(url, "/readyz")).status === 503);
      assert.equal((await json(url, "/healthz")).status, 200, "alive while the database is down");

      // Walk for 6 s with the database down: the room keeps simulating and patching.
      const start = { ...own() };
      const patches0 = patches;
      for (let seq = 1; seq <= 60; seq++) {
        r.send("move", { dx: seq <= 30 ? 1 : 0, dy: seq <= 30 ? 0 : 1, seq });
        await sleep(100);
      }
      r.send("stop", { seq: 1000 });
      await stoppedIn(r, r.sessionId, 1000);
      const seen = { ...own() };
      assert.ok(patches - patches0 >= 60, `patches during the outage: ${patches - patches0}`);
      assert.ok(seen.x > start.x + 50 && seen.y > start.y + 50, "moved during the outage");
      await until("progress queued in the write-behind", 10_000, async () => {
        return (await metric(url, "mmo_write_behind_queue_depth")) > 0;
      });
      assert.equal((await json(url, "/readyz")).status, 503);

      proxy.restore();
      await until(
        "/readyz 200 again",
        15_000,
        async () => (await json(url, "/readyz")).status === 200,
      );
      await until("the queue to drain", 20_000, async () => {
        return (await metric(url, "mmo_write_behind_queue_depth")) === 0;
      });
      const db = new pg.Client({ connectionString: SERVICE_URLS.postgres });
      await db.connect();
      try {
        await until("the database row to hold the latest position", 15_000, async () => {
          const row = await db.query<{ x: number; y: number }>(
            `SELECT x, y FROM "${schema}".characters WHERE id = $1`,
            [me.characterId],
          );
          const saved = row.rows[0];
          return (
            saved !== undefined &&
            Math.abs(saved.x - seen.x) <= 1 &&
            Math.abs(saved.y - seen.y) <= 1
          );
        });
      } finally {
        await db.end();
      }
      assert.equal(server.child.exitCode, null, "the server never went down");
    });
  });
});
