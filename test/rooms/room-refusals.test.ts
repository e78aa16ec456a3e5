import assert from "node:assert/strict";
import type { Client as ServerClient } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import { ErrorCode } from "../../src/errors.ts";
import { refusal, refusalCodeOf } from "../../rooms/room-refusals.ts";
import { admitCharacter, type AdmissionHost } from "../../rooms/zone-admission.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
} from "../helpers/game-server.ts";

/** The refusal a join attempt ends with: its numeric code and its catalogue code. */
async function refusalOf(attempt: Promise<unknown>): Promise<{ status: number; code: unknown }> {
  try {
    await attempt;
  } catch (error) {
    const e = error as { code: number; message: string };
    return { status: e.code, code: refusalCodeOf(e) };
  }
  assert.fail("the join was admitted");
}

describe("room refusals", function () {
  describe("refusal", () => {
    it("carries the catalogue status and leads its message with the code", () => {
      const error = refusal("ZONE_FULL", "zone is full");
      assert.equal(error.code, ErrorCode.ZONE_FULL.status);
      assert.equal(error.message, "ZONE_FULL: zone is full");
      assert.equal(refusalCodeOf(error), "ZONE_FULL");
      assert.equal(
        refusal("UNKNOWN_ZONE").message,
        `UNKNOWN_ZONE: ${ErrorCode.UNKNOWN_ZONE.message}`,
      );
    });

    it("reads no code from a message without one or with an unknown one", () => {
      assert.equal(refusalCodeOf(new Error("zone is full")), undefined);
      assert.equal(refusalCodeOf(new Error("NOT_A_CODE: zone is full")), undefined);
      assert.equal(refusalCodeOf({ message: 42 }), undefined);
    });
  });

  describe("admitCharacter", () => {
    const record = {
      character: { id: "c1", accountId: "a1", zone: "town", name: "Hero" },
    } as never;

    function host(join: { ok: false; reason: string }) {
      const released: string[] = [];
      const admission = {
        roomId: "room1",
        zone: { id: "town" },
        services: {
          locks: {
            acquire: async () => true,
            release: async (id: string, holder: string) => void released.push(`${id}@${holder}`),
          },
          progress: { load: async () => record },
        },
        tickets: { redeem: async () => false },
        sim: { join: () => join },
        admitsWithoutTicket: () => true,
      } as unknown as AdmissionHost;
      return { admission, released };
    }
    const client = { sessionId: "s1" } as ServerClient;
    const auth = { accountId: "a1", characterId: "c1" };

    it("refuses with ZONE_FULL and releases the lock when the zone is full", async () => {
      const { admission, released } = host({ ok: false, reason: "zoneFull" });
      const refused = await refusalOf(admitCharacter(admission, client, {}, auth));
      assert.deepEqual(refused, { status: 409, code: "ZONE_FULL" });
      assert.deepEqual(released, ["c1@room1/s1"]);
    });

    it("refuses with CHARACTER_ELSEWHERE and releases the lock without a ticket", async () => {
      const { admission, released } = host({ ok: false, reason: "zoneFull" });
      Object.assign(admission, { admitsWithoutTicket: () => false });
      const refused = await refusalOf(admitCharacter(admission, client, {}, auth));
      assert.deepEqual(refused, { status: 409, code: "CHARACTER_ELSEWHERE" });
      assert.deepEqual(released, ["c1@room1/s1"]);
    });
  });

  describe("on a running server (official @colyseus/sdk client)", () => {
    let game: TestGame;
    const rooms: Room[] = [];

    before(async () => {
      game = await startTestGame(DATABASE_TARGETS[0]!);
    });
    after(async () => {
      await Promise.all(
        rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
      );
      await game?.stop();
    });

    const clientWith = (token: string) => {
      const client = new Client(game.url);
      client.auth.token = token;
      return client;
    };

    it("refuses joins with a stable catalogue code for each reason", async () => {
      const a = await newPlayer(game.url);
      const b = await newPlayer(game.url);
      const zone = (z: string, characterId: unknown) => ({ zone: z, characterId });

      assert.deepEqual(
        await refusalOf(clientWith("not.a.jwt").joinOrCreate("zone", zone("town", a.characterId))),
        { status: 401, code: "INVALID_TOKEN" },
      );
      assert.deepEqual(
        await refusalOf(clientWith(a.token).joinOrCreate("zone", zone("town", "nope"))),
        { status: 400, code: "VALIDATION_FAILED" },
      );
      assert.deepEqual(
        await refusalOf(clientWith(b.token).joinOrCreate("zone", zone("town", a.characterId))),
        { status: 404, code: "CHARACTER_NOT_FOUND" },
      );
      assert.deepEqual(
        await refusalOf(clientWith(a.token).joinOrCreate("zone", zone("atlantis", a.characterId))),
        { status: 404, code: "UNKNOWN_ZONE" },
      );
      // Refused in onJoin, over the socket rather than the HTTP matchmaking.
      assert.deepEqual(
        await refusalOf(clientWith(a.token).joinOrCreate("zone", zone("field", a.characterId))),
        { status: 409, code: "CHARACTER_ELSEWHERE" },
      );

      const { room } = await enterWorld(game.url, a);
      rooms.push(room);
      await waitFor(room, () => room.state !== undefined, 5000, "state");
      assert.deepEqual(
        await refusalOf(clientWith(a.token).joinOrCreate("zone", zone("town", a.characterId))),
        { status: 409, code: "CHARACTER_ONLINE" },
      );
    });
  });
});
