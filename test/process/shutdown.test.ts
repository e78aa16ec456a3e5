import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../../src/db/database.ts";
import { enterWorld, newPlayer, sleep, stoppedIn, waitFor } from "../helpers/game-server.ts";
import { startServerProcess } from "../helpers/server-process.ts";

type EntityView = { x: number; y: number };

describe("graceful shutdown with players online", function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "mmo-shutdown-"));
  });
  after(async () => rm(dataDir, { recursive: true, force: true }));

  it("saves every online character's latest position when the process gets SIGTERM", async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: "warn" });
    const player = await newPlayer(server.url);
    const { room } = await enterWorld(server.url, player);
    const me = () =>
      (room.state as { entities?: Map<string, EntityView> }).entities?.get(room.sessionId);
    await waitFor(room, () => me() !== undefined, 5000, "own entity");
    room.send("move", { dx: 1, dy: 1, seq: 1 });
    await sleep(600);
    room.send("stop", { seq: 2 });
    await stoppedIn(room, room.sessionId, 2);
    const seen = { ...me()! };
    assert.ok(seen.x > player.character.x, "it walked before the shutdown");

    // Well inside the 5 s position checkpoint: only the shutdown path can have saved this.
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);

    const db = await openDatabase({ dataDir });
    try {
      const row = await db.prisma.character.findUnique({ where: { id: player.characterId } });
      assert.ok(row, "character still there");
      assert.ok(
        Math.abs(row.x - seen.x) <= 0.5 && Math.abs(row.y - seen.y) <= 0.5,
        `saved ${row.x},${row.y} vs seen ${seen.x},${seen.y}`,
      );
    } finally {
      await db.close();
    }
  });
});
