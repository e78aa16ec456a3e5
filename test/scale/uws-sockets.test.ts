import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import WebSocket from "ws";
import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";
import type { ServerProcess } from "../helpers/server-process.ts";
import { serviceAvailable } from "../helpers/services.ts";
import {
  enterWorld,
  joinWorldVia,
  newPlayer,
  positionIn,
  waitFor,
} from "../helpers/game-server.ts";

/** A seat in the world through one process's REST API. */
async function joinVia(url: string, player: { token: string; characterId: string }) {
  const { status, reservation } = await joinWorldVia(url, player);
  assert.equal(status, 200);
  return reservation!;
}

/** `mover` walks along `axis` and `watcher` sees it move more than 10 units. */
async function seesWalk(watcher: Room, mover: Room, axis: "x" | "y") {
  const from = positionIn(watcher, mover.sessionId)![axis];
  mover.send("move", { dx: axis === "x" ? 1 : 0, dy: axis === "y" ? 1 : 0, seq: 1 });
  await waitFor(
    watcher,
    () => positionIn(watcher, mover.sessionId)![axis] > from + 10,
    5000,
    `${mover.sessionId} walking on ${watcher.sessionId}'s screen`,
  );
  mover.send("stop", { seq: 2 });
}

const portOf = (address: string) => Number(address.slice(address.lastIndexOf(":") + 1));

describe("game sockets on uWebSockets.js (WS_TRANSPORT=uws), two processes", function () {
  this.timeout(120_000);
  let a: ServerProcess;
  let b: ServerProcess;
  let cluster: TwoProcesses | undefined;
  const rooms: Room[] = [];

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("uws", { WS_TRANSPORT: "uws", WS_PORT: "0" });
    ({ a, b } = cluster);
  });

  after(async () => {
    await cluster?.stop(rooms);
  });

  it("seats players of both processes in one room on its process's socket port, seeing each other move", async () => {
    const p1 = await newPlayer(a.url);
    const p2 = await newPlayer(b.url);
    const j1 = await joinVia(a.url, p1);
    const j2 = await joinVia(b.url, p2);
    assert.equal(j1.roomId, j2.roomId, "one town room across the cluster");
    // The reservation sends the socket to the room's process, on its uWS port, not its HTTP port.
    const httpPorts = [a.url, b.url].map((u) => portOf(u));
    assert.equal(j1.publicAddress, j2.publicAddress);
    assert.match(j1.publicAddress!, /^127\.0\.0\.1:\d+$/);
    assert.ok(
      !httpPorts.includes(portOf(j1.publicAddress!)),
      `${j1.publicAddress} is an HTTP port`,
    );

    const r1 = await new Client(a.url).consumeSeatReservation(j1 as never);
    const r2 = await new Client(b.url).consumeSeatReservation(j2 as never);
    rooms.push(r1, r2);
    await waitFor(r1, () => positionIn(r1, r2.sessionId) !== undefined, 5000, "p1 sees p2");
    await seesWalk(r1, r2, "x");
    await seesWalk(r2, r1, "y");
  });

  it("closes a socket that sends an oversized frame, and only that one", async () => {
    const [watcher, offender] = [await newPlayer(a.url), await newPlayer(a.url)];
    const wr = (await enterWorld(a.url, watcher)).room;
    rooms.push(wr);
    const room = (await enterWorld(a.url, offender)).room;
    rooms.push(room);
    await waitFor(
      wr,
      () => positionIn(wr, room.sessionId) !== undefined,
      5000,
      "watcher sees offender",
    );
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    // Past the 4 KB frame limit: uWS closes the socket before the room reads it.
    (room.connection.transport as unknown as { ws: WebSocket }).ws.send(new Uint8Array(64 * 1024));
    const code = await left;
    assert.notEqual(code, 1000, "not a normal leave");
    // The room keeps the dropped character for its reconnection window; the watcher's socket
    // still carries the room.
    const mr = (await enterWorld(b.url, await newPlayer(b.url))).room;
    rooms.push(mr);
    await waitFor(
      wr,
      () => positionIn(wr, mr.sessionId) !== undefined,
      5000,
      "watcher still served",
    );
  });

  it("answers REST and matchmaking on the HTTP port and nothing but sockets on the uWS port", async () => {
    const p = await newPlayer(b.url);
    const reservation = await joinVia(b.url, p);
    const health = await fetch(`${b.url}/__healthcheck`);
    assert.equal(health.status, 200);
    const probe = new WebSocket(
      `ws://${reservation.publicAddress}/${reservation.processId}/nosuchroom?sessionId=x`,
    );
    const closed = await new Promise<number>((resolve) => probe.on("close", (c) => resolve(c)));
    assert.notEqual(closed, 1000, "a socket for an unknown room is refused");
  });
});
