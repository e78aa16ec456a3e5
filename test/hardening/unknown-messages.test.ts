import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { MAX_REJECTED } from "../../rooms/zone-messages.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  collect,
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  until,
  type TestGame,
} from "../helpers/game-server.ts";

type RoomError = { code: string; message: string; type: string };

/**
 * Issue 14: the README promises an `error` reply to an unknown message type and a disconnect
 * only when it is repeated; the server used to close the socket (4002) at the first one.
 */
describe("unknown room message types", () => {
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave().catch(() => undefined), sleep(500)])),
    );
    await game?.stop();
  });

  async function enter() {
    const { room } = await enterWorld(game.url, await newPlayer(game.url));
    rooms.push(room);
    let closed: number | undefined;
    room.onLeave((code) => {
      closed = code;
    });
    return { room, closed: () => closed };
  }

  it("answers an error naming the type and keeps the client connected", async () => {
    const { room, closed } = await enter();
    const reply = nextMessage<RoomError>(room, "error");
    room.send("teleportMe", { x: 1, y: 2 });
    const error = await reply;
    assert.equal(error.code, "INVALID_MESSAGE");
    assert.equal(error.type, "teleportMe");
    assert.match(error.message, /unknown message type "teleportMe"/);

    // Still in the game: a valid message afterwards is simulated.
    const later = collect<unknown>(room, "error");
    room.send("stop", { seq: 1 });
    await sleep(500);
    assert.equal(closed(), undefined, "not disconnected");
    assert.equal(room.connection.isOpen, true);
    assert.deepEqual(later, [], "a valid message after it is accepted");
  });

  it("names a numeric type as text", async () => {
    const { room } = await enter();
    const reply = nextMessage<RoomError>(room, "error");
    room.send(77 as unknown as string);
    assert.deepEqual(await reply, {
      code: "INVALID_MESSAGE",
      message: 'unknown message type "77"',
      type: "77",
    });
  });

  it("disconnects a client that keeps sending unknown types", async () => {
    const { room, closed } = await enter();
    const errors = collect<RoomError>(room, "error");
    for (let i = 0; i <= MAX_REJECTED; i += 1) room.send(`nonsense${i}`, {});
    await until(() => closed() !== undefined, 5000, "the disconnect");
    assert.equal(closed(), 4002);
    // Throttled replies: the first, then every tenth.
    assert.ok(errors.length >= 1 && errors.length <= 7, `${errors.length} error replies`);
    assert.ok(errors.every((e) => e.code === "INVALID_MESSAGE"));
  });
});
