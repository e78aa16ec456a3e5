import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import type { CellViews } from "../../rooms/cell-views.ts";
import type { SessionRegistry } from "../../rooms/zone-session.ts";
import type { SchemaSync } from "../../schema/to-schema.ts";
import type { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { captureConsole } from "../../loadtest/soak-watch.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  selfOf,
  sleep,
  startTestGame,
  stoppedIn,
  until,
  waitFor,
  type TestGame,
} from "../helpers/game-server.ts";

/** What this test reads of a zone room's insides. */
type RoomInsides = {
  views: CellViews;
  sessions: SessionRegistry;
  sync: SchemaSync;
  sim: ZoneSimulation;
};

const keysIn = (room: Room) =>
  new Set(((room.state as { entities?: Map<string, unknown> }).entities ?? new Map()).keys());

// Issue 13: clients standing in one interest cell share one StateView (one encode per cell).
describe("shared cell views (rooms/cell-views.ts)", function () {
  this.timeout(90_000);
  let game: TestGame;
  const rooms: Room[] = [];
  let consoleCapture: ReturnType<typeof captureConsole>;

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
    // The SDK reports decode failures ("refId" not found) on the console only.
    consoleCapture = captureConsole();
  });
  after(async () => {
    consoleCapture.restore();
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
    );
    await game?.stop();
  });

  async function joinAt(x: number, y: number) {
    const player = await newPlayer(game.url);
    await game.server.db.prisma.character.update({
      where: { id: player.characterId },
      data: { zone: "field", x, y },
    });
    const { room } = await enterWorld(game.url, player);
    rooms.push(room);
    await waitFor(room, () => keysIn(room).has(room.sessionId), 5000, "own entity");
    const insides = matchMaker.getLocalRoomById(room.roomId) as unknown as RoomInsides;
    const session = insides.sessions.bySessionId(room.sessionId)!;
    return { room, insides, session };
  }

  /** The network keys of the entities the server holds in the view of `session`'s cell. */
  function serverSet(insides: RoomInsides, session: ReturnType<SessionRegistry["of"]>) {
    const keys = new Set<string>();
    for (const entity of insides.views.cellSetOf(session!).values()) {
      for (const [key, value] of insides.sync.state.entities) if (value === entity) keys.add(key);
    }
    return keys;
  }

  const sameSet = (a: Set<string>, b: Set<string>) =>
    a.size === b.size && [...a].every((key) => b.has(key));

  it("walks a client across cells: it holds exactly its cell's set, no ghost, no refId error", async () => {
    // Slime meadow west: mobs on the way, and a second player left behind in the first cell.
    const walker = await joinAt(430, 1650);
    const stayer = await joinAt(470, 1660);
    const { insides } = walker;
    assert.equal(walker.room.roomId, stayer.room.roomId);
    const serverRoom = matchMaker.getLocalRoomById(walker.room.roomId)!;
    const clientOf = (sessionId: string) =>
      serverRoom.clients.find((c) => c.sessionId === sessionId)!;
    await until(
      () => clientOf(walker.room.sessionId).view === clientOf(stayer.room.sessionId).view,
      2000,
      "both clients on one shared view",
    );

    const geometry = insides.views.geometry;
    const cellOf = () => {
      const h = insides.sim.world.handleById.get(walker.session.characterId)!;
      const x = insides.sim.world.grid.xOf(h);
      return Math.floor(x / geometry.size);
    };
    const firstCell = cellOf();
    const cellsSeen = new Set([firstCell]);
    let seq = 0;
    for (let leg = 0; leg < 6 && cellsSeen.size < 4; leg++) {
      const until = Date.now() + 1200;
      while (Date.now() < until) {
        walker.room.send("move", { dx: 1, dy: 0, seq: ++seq });
        await sleep(100);
      }
      walker.room.send("stop", { seq: ++seq });
      await stoppedIn(walker.room, walker.room.sessionId, seq);
      cellsSeen.add(cellOf());
      // Exactly the set: nothing left behind from the cells it walked out of. Mobs wander across
      // the set's edge now and then: equal on some patch soon after.
      await waitFor(
        walker.room,
        () => sameSet(keysIn(walker.room), serverSet(insides, walker.session)),
        5000,
        `the walker's entities to equal its cell's set after leg ${leg}`,
      );
      assert.ok(keysIn(walker.room).has(walker.room.sessionId), "the walker sees itself");
    }
    assert.ok(cellsSeen.size >= 4, `walked across ${cellsSeen.size} cells`);
    // The one left behind still holds its own cell's set.
    await waitFor(
      stayer.room,
      () => sameSet(keysIn(stayer.room), serverSet(insides, stayer.session)),
      5000,
      "the stayer's entities to equal its cell's set",
    );
    assert.notEqual(clientOf(walker.room.sessionId).view, clientOf(stayer.room.sessionId).view);
    assert.ok(selfOf(walker.room).received && selfOf(walker.room).hp > 0, "self message arrived");
    const { refId, decode } = consoleCapture.counts;
    assert.deepEqual([refId, decode], [0, 0], consoleCapture.samples.join("\n"));
  });
});
