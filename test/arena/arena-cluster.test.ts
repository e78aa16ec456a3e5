import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import { freshRedisUrl } from "../helpers/redis-db.ts";
import { freePort, startServerProcess, type ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { newPlayer, nextMessage, sleep } from "../helpers/game-server.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;
type Status = { status: string; matchId?: string; reservation?: { roomId?: string } };

describe("arena matchmaking across two processes on Redis and Postgres", function () {
  this.timeout(120_000);
  let a: ServerProcess;
  let b: ServerProcess;
  let schema: string;
  const rooms: Room[] = [];

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    schema = `arena_${randomBytes(4).toString("hex")}`;
    const redis = await freshRedisUrl();
    const [portA, portB] = [await freePort(), await freePort()];
    const common = {
      DATABASE_URL: `${SERVICE_URLS.postgres}?schema=${schema}`,
      REDIS_URL: redis.url,
      JWT_SECRET: "arena-cluster-secret-arena-cluster-0000",
      LOG_LEVEL: "warn",
      DATA_DIR: ":memory:",
    };
    a = await startServerProcess({
      ...common,
      PORT: String(portA),
      PUBLIC_ADDRESS: `127.0.0.1:${portA}`,
    });
    b = await startServerProcess({
      ...common,
      PORT: String(portB),
      PUBLIC_ADDRESS: `127.0.0.1:${portB}`,
    });
  });

  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
    );
    for (const p of [a, b]) {
      if (p && p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill("SIGTERM");
        await p.exited;
      }
    }
    if (schema) {
      const client = new pg.Client({ connectionString: SERVICE_URLS.postgres });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  const call = async (url: string, method: string, path: string, p: Player, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Status };
  };

  async function matched(url: string, p: Player): Promise<Status> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await call(url, "GET", `/v1/arena/queue?characterId=${p.characterId}`, p);
      if (body.status === "matched") return body;
      if (Date.now() > deadline) throw new Error(`not matched: ${JSON.stringify(body)}`);
      await sleep(200);
    }
  }

  it("matches two players queued through different processes into one arena room", async () => {
    const p1 = await newPlayer(a.url);
    const p2 = await newPlayer(b.url);
    const q1 = await call(a.url, "POST", "/v1/arena/queue", p1, {
      characterId: p1.characterId,
      mode: "1v1",
    });
    const q2 = await call(b.url, "POST", "/v1/arena/queue", p2, {
      characterId: p2.characterId,
      mode: "1v1",
    });
    assert.deepEqual([q1.status, q2.status], [201, 201]);
    // Queued on one process, refused on the other: the claim lives in Redis.
    const twice = await call(b.url, "POST", "/v1/arena/queue", p1, {
      characterId: p1.characterId,
      mode: "1v1",
    });
    assert.equal(twice.status, 409);
    const [m1, m2] = await Promise.all([matched(b.url, p1), matched(a.url, p2)]);
    assert.equal(m1.matchId, m2.matchId);
    assert.equal(m1.reservation?.roomId, m2.reservation?.roomId);

    const r1 = await new Client(a.url).consumeSeatReservation(m1.reservation as never);
    const r2 = await new Client(b.url).consumeSeatReservation(m2.reservation as never);
    rooms.push(r1, r2);
    const result = nextMessage<{ reason: string; result: string }>(r2, "arenaResult", 20_000);
    await sleep(500);
    await Promise.race([r1.leave(true), sleep(1000)]);
    const r = await result;
    assert.deepEqual([r.reason, r.result], ["leaver", "win"]);
  });
});
