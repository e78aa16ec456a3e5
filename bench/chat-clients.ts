/**
 * A worker thread of bench/chat.ts: holds a share of the SDK clients, so that receiving the
 * fan-out runs on every core instead of queueing in one event loop. Commands come from the main
 * thread; receipt times are wall-clock (`performance.timeOrigin + performance.now()`), which is
 * one clock for every thread of the process.
 */
import { parentPort } from "node:worker_threads";
import { Client, type Room } from "@colyseus/sdk";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import type { ServerPayloads } from "../clients/js/server-messages.ts";

export type ClientSpec = { id: string; token: string; via: string };
export type WorkerCommand =
  | { kind: "join"; clients: ClientSpec[]; concurrency: number }
  | { kind: "listen"; channel: string }
  | { kind: "send"; id: string; channel: string; text: string }
  | { kind: "collect" }
  | { kind: "leave" };
export type WorkerReply =
  | { kind: "joined"; players: { id: string; roomId: string; owner: string }[] }
  | { kind: "receipts"; receipts: [text: string, atMs: number][] }
  | { kind: "left" }
  | { kind: "error"; message: string };

export const wallNow = () => performance.timeOrigin + performance.now();

const rooms = new Map<string, Room>();
let channel = "";
let receipts: [string, number][] = [];

async function enter(spec: ClientSpec) {
  const res = await fetch(`${spec.via}/v1/world/join`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${spec.token}` },
    body: JSON.stringify({ characterId: spec.id }),
  });
  if (!res.ok) throw new Error(`world/join: ${res.status} ${await res.text()}`);
  const { reservation } = (await res.json()) as { reservation: { publicAddress?: string } };
  const room = await new Client(spec.via).consumeSeatReservation(reservation as never);
  // Patches and other messages are not what is measured: take them without work.
  room.onMessage("*", () => undefined);
  room.onMessage(ServerMessage.chat, (m: ServerPayloads["chat"]) => {
    if (m.channel === channel && m.fromId !== spec.id) receipts.push([m.text, wallNow()]);
  });
  rooms.set(spec.id, room);
  return { id: spec.id, roomId: room.roomId, owner: reservation.publicAddress ?? "" };
}

async function handle(command: WorkerCommand): Promise<WorkerReply | undefined> {
  switch (command.kind) {
    case "join": {
      const players = [];
      for (let i = 0; i < command.clients.length; i += command.concurrency) {
        const batch = command.clients.slice(i, i + command.concurrency);
        players.push(...(await Promise.all(batch.map(enter))));
      }
      return { kind: "joined", players };
    }
    case "listen":
      channel = command.channel;
      receipts = [];
      return undefined;
    case "send":
      rooms
        .get(command.id)
        ?.send(ClientMessage.chat, { channel: command.channel, text: command.text });
      return undefined;
    case "collect": {
      const out = receipts;
      receipts = [];
      return { kind: "receipts", receipts: out };
    }
    case "leave":
      await Promise.all(
        [...rooms.values()].map((r) =>
          Promise.race([
            r.leave(true).catch(() => undefined),
            new Promise((ok) => setTimeout(ok, 500)),
          ]),
        ),
      );
      return { kind: "left" };
  }
}

parentPort?.on("message", (command: WorkerCommand) => {
  handle(command).then(
    (reply) => reply && parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ kind: "error", message: String(error) }),
  );
});
