import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { nextMessage, positionIn, sleep, waitFor } from "../helpers/game-server.ts";
import type { ServerProcess } from "../helpers/server-process.ts";
import { serviceAvailable } from "../helpers/services.ts";
import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";

const ADMIN = { ADMIN_USER: "ops", ADMIN_PASSWORD: "a-long-admin-password" };
const basic = `Basic ${Buffer.from(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`).toString("base64")}`;
const PASSWORD = "operator cluster password";

describe("operator tools across two game processes (Redis presence, PostgreSQL)", function () {
  this.timeout(120_000);
  let cluster: TwoProcesses | undefined;
  const rooms: Room[] = [];
  let seq = 0;

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("operator", ADMIN);
  });
  after(async () => {
    await cluster?.stop(rooms);
  });

  const admin = (via: ServerProcess, path: string, method = "POST", body?: unknown) =>
    fetch(`${via.url}/admin/api${path}`, {
      method,
      headers: { authorization: basic, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  async function json<T>(res: Response, status: number): Promise<T> {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return JSON.parse(text) as T;
  }

  async function newAccount(via: ServerProcess) {
    const n = (seq += 1);
    const email = `opc${n}.${process.pid}.${Date.now()}@example.com`;
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${via.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
    const session = await json<{ accessToken: string; accountId: string }>(
      await post("/v1/auth/register", { email, password: PASSWORD }),
      201,
    );
    const name = `Opc${process.pid % 1000}_${n}`;
    const character = await json<{ id: string }>(
      await post("/v1/characters", { name, race: "human", job: "warrior" }, session.accessToken),
      201,
    );
    return { email, name, token: session.accessToken, characterId: character.id };
  }

  /**
   * Puts the player in the world through `via`; returns its room and the other process, from
   * which the operator acts (the room's owner is the reservation's public address).
   */
  async function enter(via: ServerProcess, player: { token: string; characterId: string }) {
    const res = await fetch(`${via.url}/v1/world/join`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${player.token}` },
      body: JSON.stringify({ characterId: player.characterId }),
    });
    const { reservation } = await json<{ reservation: { publicAddress: string } }>(res, 200);
    const room = (await new Client(via.url).consumeSeatReservation(reservation as never)) as Room;
    rooms.push(room);
    await waitFor(room, () => positionIn(room, room.sessionId) !== undefined, 5000, "own entity");
    const { a, b } = cluster!;
    const owner = [a, b].find((p) => p.url.endsWith(reservation.publicAddress));
    assert.ok(owner, `the room's process ${reservation.publicAddress}`);
    return { room, owner, other: owner === a ? b : a };
  }

  const closed = (room: Room) =>
    new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

  it("mutes, teleports, pays and kicks a player whose room is on the other process", async () => {
    const p = await newAccount(cluster!.a);
    const { room, other } = await enter(cluster!.a, p);

    const told = nextMessage<{ reason: string }>(room, "muted");
    await json(
      await admin(other, `/players/${p.characterId}/mute`, "POST", {
        durationSec: 300,
        reason: "flooding",
      }),
      200,
    );
    assert.equal((await told).reason, "flooding");
    const refused = nextMessage<{ code: string }>(room, "chatError");
    room.send("chat", { channel: "zone", text: "still here" });
    assert.equal((await refused).code, "MUTED");

    const at = positionIn(room, room.sessionId)!;
    const to = { x: at.x + 64, y: at.y };
    const moved = await json<{ online: boolean; result: string }>(
      await admin(other, `/players/${p.characterId}/teleport`, "POST", to),
      200,
    );
    assert.deepEqual([moved.online, moved.result], [true, "moved"]);
    await waitFor(
      room,
      () => {
        const now = positionIn(room, room.sessionId);
        return now !== undefined && Math.hypot(now.x - to.x, now.y - to.y) < 1;
      },
      5000,
      "the teleported position",
    );

    const paid = await json<{ online: boolean; gold: number }>(
      await admin(other, `/players/${p.characterId}/gold`, "POST", { amount: 40 }),
      200,
    );
    assert.equal(paid.online, true);
    assert.ok(paid.gold >= 40);

    const left = closed(room);
    await json(await admin(other, `/players/${p.characterId}/kick`, "POST", { reason: "go" }), 200);
    assert.equal(await left, 4002);
    rooms.splice(rooms.indexOf(room), 1);

    // Either process reads the one audit log.
    let actions: string[] = [];
    for (let i = 0; i < 50 && actions.length < 4; i++) {
      const page = await json<{ entries: { action: string }[] }>(
        await admin(cluster!.a, `/audit?target=${p.characterId}`, "GET"),
        200,
      );
      actions = page.entries.map((e) => e.action);
      if (actions.length < 4) await sleep(50);
    }
    assert.deepEqual(actions, [
      "player.kick",
      "player.gold.grant",
      "player.teleport",
      "player.mute",
    ]);
  });

  it("bans a player online on the other process: kicked, and refused at login on both", async () => {
    const p = await newAccount(cluster!.b);
    const { room, owner, other } = await enter(cluster!.b, p);
    const left = closed(room);
    const banned = await json<{ kicked: string[] }>(
      await admin(other, `/players/${p.characterId}/ban`, "POST", { reason: "gold selling" }),
      200,
    );
    assert.deepEqual(banned.kicked, [p.characterId]);
    assert.equal(await left, 4002);
    rooms.splice(rooms.indexOf(room), 1);
    for (const via of [owner, other]) {
      const res = await fetch(`${via.url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: p.email, password: PASSWORD }),
      });
      const body = await json<{ error: { code: string; message: string } }>(res, 403);
      assert.equal(body.error.code, "ACCOUNT_BANNED");
      assert.match(body.error.message, /gold selling/);
    }
  });
});
