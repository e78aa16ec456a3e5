import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import { freePort, startServerProcess, type ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { sleep } from "../helpers/game-server.ts";

/**
 * Outages of the services behind the game, against a real server process:
 * - Redis (our own redis-server child) killed and restarted: the HTTP API keeps serving from the
 *   database and the cache comes back.
 * - PostgreSQL cut by a TCP proxy we control: /readyz goes 503, rooms keep simulating, progress
 *   queues in the write-behind and reaches the database once the proxy is restored.
 */

const JWT_SECRET = "outage-secret-outage-secret-0123456789ab";
const ADMIN = { user: "ops", password: "ops-password-123" };
const ADMIN_AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`;

type EntityView = { id: string; x: number; y: number };
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ??
  new Map<string, EntityView>();

function redisServerAvailable(): boolean {
  return spawnSync("redis-server", ["--version"]).status === 0;
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const probe = () => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve(child);
      });
      s.once("error", () => {
        if (Date.now() > deadline) reject(new Error("redis-server did not start"));
        else setTimeout(probe, 50);
      });
    };
    probe();
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** A TCP proxy to PostgreSQL that can be cut (every connection reset, new ones refused). */
async function startProxy(target: { host: string; port: number }) {
  let cut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

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
    let server: ServerProcess | undefined;

    before(function () {
      if (!redisServerAvailable()) {
        if (process.env.CI === "true") throw new Error("redis-server is required under CI=true");
        this.skip();
      }
    });
    after(async () => {
      if (server) {
        server.child.kill("SIGTERM");
        await Promise.race([server.exited, sleep(10_000)]);
        server.child.kill("SIGKILL");
      }
      await stopChild(redis);
    });

    it("keeps serving the API from the database and recovers the cache when Redis returns", async () => {
      const redisPort = await freePort();
      redis = await startRedis(redisPort);
      const port = await freePort();
      server = await startServerProcess({
        PORT: String(port),
        DATA_DIR: ":memory:",
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
        JWT_SECRET,
        ADMIN_USER: ADMIN.user,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: "warn",
      });
      const url = server.url;
      const me = await player(url, "Redis");
      // Warm the cache: the second read is a Redis hit.
      assert.equal((await json(url, "/v1/characters", { token: me.token })).status, 200);
      assert.equal((await json(url, "/v1/characters", { token: me.token })).status, 200);
      const hitsBefore = await metric(url, "mmo_cache_hits_total", 'cache="redis"');
      assert.ok(hitsBefore > 0, "Redis cache used before the outage");

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
      // Documented behaviour: joining needs the presence lock and matchmaking on Redis, so with
      // Redis down a join is refused with 503 UNAVAILABLE (it was a 500 before); the process stays up.
      const join = await json(url, "/v1/world/join", {
        token: me.token,
        body: { characterId: me.characterId },
      });
      assert.equal(join.status, 503, `join with Redis down: ${JSON.stringify(join.body)}`);
      assert.equal(typeof (join.body as { error?: { code?: string } }).error?.code, "string");
      process.stdout.write(
        `      redis down: world join answered ${join.status} ${JSON.stringify(join.body)}\n`,
      );
      assert.equal(server.child.exitCode, null, "the server is still running");

      redis = await startRedis(redisPort);
      await until("the cache to hit Redis again", 20_000, async () => {
        assert.equal((await json(url, "/v1/characters", { token: me.token })).status, 200);
        return (await metric(url, "mmo_cache_hits_total", 'cache="redis"')) > hitsBefore;
      });
      assert.equal(server.child.exitCode, null);
    });

    // Known gap, found here: after Redis is restarted the API and cache recover, but
    // POST /v1/world/join keeps answering 503 for at least 20 s: the Redis presence client fails
    // every command with ioredis' MaxRetriesPerRequestError and does not come back. Pending until
    // the presence/driver reconnect is fixed (see the hardening report).
    it("lets characters join again once Redis returns");
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
      await until("own entity", 5000, async () => entities(r).has(me.characterId));
      let patches = 0;
      r.onStateChange(() => (patches += 1));
      const own = () => entities(r).get(me.characterId)!;

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
      await sleep(300);
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
