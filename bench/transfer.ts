/**
 * Portal transfer latency on one machine: from sending `portal` in town to seeing one's own entity
 * in the field room (save, lock hand-over, server-side reservation, reconnect). Prints one JSON.
 *   npm run bench:transfer [-- --runs 40]
 */
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import { sendMessage } from "../clients/js/client-messages.ts";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import { DATABASE_TARGETS } from "../test/helpers/databases.ts";
import { enterWorld, newPlayer, startTestGame, waitFor } from "../test/helpers/game-server.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "40" } } });
const runs = Number(values.runs);
const game = await startTestGame(DATABASE_TARGETS[0]!);
const town = game.data.zones.get("town")!;
const portal = town.portals.find((p) => p.targetZone === "field")!;
/** Whether the room's state holds the client's own entity (keyed by its session id). */
const inWorld = (room: Room) =>
  (room.state as { entities?: Map<string, unknown> } | undefined)?.entities?.has(room.sessionId) ??
  false;

const samples: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const player = await newPlayer(game.url);
    await game.server.db.prisma.character.update({
      where: { id: player.characterId },
      data: { x: portal.x, y: portal.y },
    });
    const { room } = await enterWorld(game.url, player);
    await waitFor(room, () => inWorld(room), 5000, "in town");
    const transfer = new Promise<{ reservation: unknown }>((resolve) =>
      room.onMessage(ServerMessage.transfer, resolve),
    );
    const t0 = performance.now();
    sendMessage(room, ClientMessage.portal, { portalId: portal.id });
    const { reservation } = await transfer;
    const next = await new Client(game.url).consumeSeatReservation(reservation as never);
    await waitFor(next, () => inWorld(next), 5000, "in the field");
    samples.push(performance.now() - t0);
    await room.leave(true);
    await next.leave(true);
  }
} finally {
  await game.stop();
}
samples.sort((a, b) => a - b);
const at = (q: number) =>
  Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 10) / 10;
console.log(
  JSON.stringify({
    bench: "portal transfer town→field",
    runs,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    node: process.version,
  }),
);
