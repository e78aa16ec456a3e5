import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";
import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import type { ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { joinWorldVia, newPlayer, positionIn, sleep, waitFor } from "../helpers/game-server.ts";

type EntityView = { x: number; y: number };
/** Entities by network key: a player's is its session id (the own entity is `room.sessionId`). */
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ??
  new Map<string, EntityView>();

describe("two game processes on Redis and Postgres", function () {
  this.timeout(120_000);
  let a: ServerProcess;
  let b: ServerProcess;
  let cluster: TwoProcesses | undefined;
  let schema: string;
  const rooms: Room[] = [];
  let p1: { token: string; characterId: string };
  let roomOwner: string | undefined;

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("cluster", { CHARACTER_LOCK_TTL_SEC: "4" });
    ({ a, b, schema } = cluster);
  });

  after(async () => {
    await cluster?.stop(rooms);
  });

  it("puts players who matchmake through different processes in one room, seeing each other", async () => {
    p1 = await newPlayer(a.url);
    const p2 = await newPlayer(b.url);
    const j1 = await joinWorldVia(a.url, p1);
    const j2 = await joinWorldVia(b.url, p2);
    assert.equal(j1.status, 200);
    assert.equal(j2.status, 200);
    assert.equal(
      j1.reservation?.roomId,
      j2.reservation?.roomId,
      "one town room across the cluster",
    );
    roomOwner = j1.reservation?.publicAddress;
    const addresses = [a.url, b.url].map((u) => u.slice("http://".length));
    assert.ok(
      addresses.includes(roomOwner ?? ""),
      `room owned by one of the processes: ${roomOwner}`,
    );

    const r1 = await new Client(a.url).consumeSeatReservation(j1.reservation as never);
    const r2 = await new Client(b.url).consumeSeatReservation(j2.reservation as never);
    rooms.push(r1, r2);
    // p2 is keyed by its session id, the same on p1's screen although p1 joined via another process.
    await waitFor(r1, () => entities(r1).has(r2.sessionId), 5000, "p1 sees p2");
    assert.equal(entities(r1).has(p2.characterId), false, "no character id on the wire");
    const x0 = positionIn(r1, r2.sessionId)!.x;
    r2.send("move", { dx: 1, dy: 0, seq: 1 });
    await waitFor(
      r1,
      () => positionIn(r1, r2.sessionId)!.x > x0 + 10,
      5000,
      "p2 moving on p1's screen",
    );
    r2.send("stop", { seq: 2 });

    // The character lock holds across processes: p1 cannot log in again through b.
    const again = await joinWorldVia(b.url, p1);
    assert.equal(again.status, 409);
  });

  it("hands a player through a portal to a zone room on any process", async () => {
    const traveller = await newPlayer(a.url);
    const db = new pg.Client({ connectionString: SERVICE_URLS.postgres });
    await db.connect();
    try {
      // The town portal to the field, as content/zones/town.json places it.
      const town = JSON.parse(
        await (await import("node:fs/promises")).readFile("content/zones/town.json", "utf8"),
      ) as {
        portals: {
          id: string;
          x: number;
          y: number;
          targetZone: string;
          targetX: number;
          targetY: number;
        }[];
      };
      const portal = town.portals.find((p) => p.targetZone === "field")!;
      await db.query(`UPDATE "${schema}".characters SET x = $1, y = $2 WHERE id = $3`, [
        portal.x,
        portal.y,
        traveller.characterId,
      ]);
      const joined = await joinWorldVia(b.url, traveller);
      const room = await new Client(b.url).consumeSeatReservation(joined.reservation as never);
      rooms.push(room);
      await waitFor(room, () => entities(room).has(room.sessionId), 5000, "in town");
      const transfer = new Promise<{ zone: string; reservation: { publicAddress?: string } }>(
        (resolve) => room.onMessage("transfer", resolve),
      );
      room.send("portal", { portalId: portal.id });
      const { zone, reservation } = await transfer;
      assert.equal(zone, "field");
      const field = await new Client(b.url).consumeSeatReservation(reservation as never);
      rooms.push(field);
      await room.leave(true);
      await waitFor(field, () => entities(field).has(field.sessionId), 5000, "in the field");
      const me = entities(field).get(field.sessionId)!;
      assert.deepEqual([me.x, me.y], [portal.targetX, portal.targetY]);
      const row = await db.query(`SELECT zone FROM "${schema}".characters WHERE id = $1`, [
        traveller.characterId,
      ]);
      assert.equal(row.rows[0].zone, "field");
    } finally {
      await db.end();
    }
  });

  it("brings a player of a killed process back through the other one", async () => {
    const [dead, alive] = roomOwner === a.url.slice("http://".length) ? [a, b] : [b, a];
    dead.child.kill("SIGKILL");
    await dead.exited;
    const killedAt = Date.now();

    // The player whose room died retries until its lock expires and a live process takes it.
    let joined: Awaited<ReturnType<typeof joinWorldVia>> | undefined;
    while (Date.now() - killedAt < 30_000) {
      joined = await joinWorldVia(alive.url, p1);
      if (joined.status === 200) break;
      assert.ok([409, 503].includes(joined.status), `retryable refusal, got ${joined.status}`);
      await sleep(250);
    }
    assert.equal(joined?.status, 200, "rejoined within 30 s");
    const room = await new Client(alive.url).consumeSeatReservation(joined!.reservation as never);
    rooms.push(room);
    await waitFor(room, () => entities(room).has(room.sessionId), 5000, "back in the world");
    const backAfterMs = Date.now() - killedAt;
    process.stdout.write(`      back in the world ${backAfterMs} ms after kill -9\n`);
    assert.ok(backAfterMs < 30_000);
  });
});
