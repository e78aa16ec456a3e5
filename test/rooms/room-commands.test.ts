import assert from "node:assert/strict";
import { GameError } from "../../src/errors.ts";
import { createLogger } from "../../src/logger.ts";
import { RoomCommandHandlers } from "../../rooms/room-commands.ts";

// How a feature adds a command type (see rooms/room-commands.ts); used here and in
// test/rooms/room-features.test.ts.
declare module "../../rooms/room-commands.ts" {
  interface RoomCommandTypes {
    testEcho: { command: { characterId: string; text: string }; result: { echoed: string } };
  }
}

describe("RoomCommandHandlers", () => {
  const log = createLogger("silent");

  it("runs the handler registered for the command's type", async () => {
    const handlers = new RoomCommandHandlers(log);
    handlers.register("testEcho", async ({ text }) => ({ echoed: text.toUpperCase() }));
    assert.deepEqual(await handlers.run({ type: "testEcho", characterId: "c", text: "hi" }), {
      handled: true,
      result: { echoed: "HI" },
    });
  });

  it("answers unhandled for an unknown type or a malformed command", async () => {
    const handlers = new RoomCommandHandlers(log);
    assert.deepEqual(await handlers.run({ type: "testEcho" }), { handled: false });
    assert.deepEqual(await handlers.run(null), { handled: false });
    assert.deepEqual(await handlers.run({ type: 7 }), { handled: false });
  });

  it("turns a thrown GameError into an error reply and anything else into INTERNAL", async () => {
    const handlers = new RoomCommandHandlers(log);
    handlers.register("testEcho", ({ text }) => {
      if (text === "full") throw new GameError("INVENTORY_FULL");
      throw new Error("bug");
    });
    assert.deepEqual(await handlers.run({ type: "testEcho", characterId: "c", text: "full" }), {
      handled: true,
      error: { code: "INVENTORY_FULL", message: "The inventory is full." },
    });
    assert.deepEqual(await handlers.run({ type: "testEcho", characterId: "c", text: "x" }), {
      handled: true,
      error: { code: "INTERNAL", message: "Internal server error." },
    });
  });

  it("refuses a second handler for the same type", () => {
    const handlers = new RoomCommandHandlers(log);
    handlers.register("kick", () => true);
    assert.throws(() => handlers.register("kick", () => false), /handled twice/);
  });
});
