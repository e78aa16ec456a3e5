import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { ClientMessage } from "../../clients/js/message-names.ts";
import { PATCH_RATE_MS } from "../../rooms/ZoneRoom.ts";
import { extrapolate, type Motion } from "../../schema/motion.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
} from "../helpers/game-server.ts";

type State = { tick: number; entities?: Map<string, Motion> };
const entityOf = (room: Room) => (room.state as State).entities?.get(room.sessionId);
/** Where the client draws its own entity: dead reckoning from the latest patch. */
const drawnX = (room: Room) =>
  extrapolate(entityOf(room)!, (room.state as State).tick, { x: 0, y: 0 }).x;

/** Patches a walking client decodes in `ms`, and how far it got. */
async function walkAndCount(room: Room, ms: number): Promise<{ patches: number; moved: number }> {
  let patches = 0;
  room.onStateChange(() => void (patches += 1));
  const x0 = drawnX(room);
  let seq = 0;
  const walking = setInterval(
    () => room.send(ClientMessage.move, { dx: 1, dy: 0, seq: ++seq }),
    100,
  );
  await sleep(ms);
  clearInterval(walking);
  return { patches, moved: drawnX(room) - x0 };
}

// Issue 13: the patch rate is decoupled from the 20 Hz simulation (ZONE_PATCH_HZ, default 10).
for (const { env, hz } of [
  { env: {}, hz: 10 },
  { env: { ZONE_PATCH_HZ: "20" }, hz: 20 },
]) {
  describe(`zone patch rate (ZONE_PATCH_HZ ${env.ZONE_PATCH_HZ ?? "unset"})`, function () {
    this.timeout(60_000);
    let game: TestGame;
    let room: Room | undefined;

    before(async () => {
      game = await startTestGame(DATABASE_TARGETS[0]!, env);
    });
    after(async () => {
      if (room) await Promise.race([room.leave(true).catch(() => undefined), sleep(1000)]);
      await game?.stop();
    });

    it(`patches zone rooms ${hz} times a second while the simulation keeps 20 Hz`, async () => {
      const player = await newPlayer(game.url);
      ({ room } = await enterWorld(game.url, player));
      await waitFor(room, () => entityOf(room!) !== undefined, 8000, "own entity");
      const serverRoom = matchMaker.getLocalRoomById(room.roomId) as unknown as {
        patchEveryTicks: number;
        patchRate: number | null;
      };
      assert.equal(serverRoom.patchEveryTicks, 20 / hz, "a patch every this many 50 ms steps");
      assert.equal(serverRoom.patchRate, null, "no Colyseus patch timer beside the tick");
      assert.equal(PATCH_RATE_MS, 100, "the default is 10 Hz");

      const { patches, moved } = await walkAndCount(room, 3000);
      // A loaded machine sends fewer, never more: 20 Hz would be ~60 in 3 s, 10 Hz ~30.
      assert.ok(patches <= (hz === 10 ? 36 : 66), `${patches} patches in 3 s`);
      assert.ok(patches >= 5, `${patches} patches in 3 s`);
      // A step rate eaten by a second clock timer walked ~70 units here.
      assert.ok(moved > 150, `walked ${moved} units: the simulation still moves the player`);
    });
  });
}
