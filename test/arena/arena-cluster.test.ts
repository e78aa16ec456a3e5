import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";
import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { ServerProcess } from "../helpers/server-process.ts";
import { serviceAvailable } from "../helpers/services.ts";
import { newPlayer, nextMessage, sleep } from "../helpers/game-server.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;
type Status = { status: string; matchId?: string; reservation?: { roomId?: string } };

describe("arena matchmaking across two processes on Redis and Postgres", function () {
  this.timeout(120_000);
  let a: ServerProcess;
  let b: ServerProcess;
  let cluster: TwoProcesses | undefined;
  const rooms: Room[] = [];

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("arena");
    ({ a, b } = cluster);
  });

  after(async () => {
    await cluster?.stop(rooms);
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
