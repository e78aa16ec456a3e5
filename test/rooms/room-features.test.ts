import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import { GameError } from "../../src/errors.ts";
import { handleRoomCommand, sendRoomCommand } from "../../rooms/room-commands.ts";
import type { FeatureSession, RoomFeatureFactory } from "../../rooms/room-feature.ts";
import { HELD_MESSAGES_MAX } from "../../rooms/zone-session.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
  dropSocket,
} from "../helpers/game-server.ts";

// A command type a feature adds (as in rooms/room-commands.ts); also in room-commands.test.ts.
declare module "../../rooms/room-commands.ts" {
  interface RoomCommandTypes {
    testEcho: { command: { characterId: string; text: string }; result: { echoed: string } };
  }
}

type Seen = { hook: string; detail?: Record<string, unknown> };
const HELD_SENT = HELD_MESSAGES_MAX + 5;

describe("zone room features (RoomServices.features)", function () {
  let game: TestGame;
  const rooms: Room[] = [];
  /** Hooks seen per character, in order; consecutive ticks count once. */
  const seen = new Map<string, Seen[]>();
  const groups = new Map<string, string>();
  let malformed = 0;

  const record = (session: FeatureSession, hook: string, detail?: Record<string, unknown>) => {
    const list = seen.get(session.characterId) ?? [];
    if (hook !== "tick" || list.at(-1)?.hook !== "tick") list.push({ hook, detail });
    seen.set(session.characterId, list);
  };
  const hooksOf = (characterId: string) => (seen.get(characterId) ?? []).map((s) => s.hook);

  /** Throws from every hook it has: the room and the recorder below must not notice. */
  const faulty: RoomFeatureFactory = () => ({
    messages: {
      testBoom: () => {
        throw new Error("message bug");
      },
    },
    joined: () => {
      throw new Error("joined bug");
    },
    tick: () => {
      throw new Error("tick bug");
    },
    left: async () => {
      throw new Error("async left bug");
    },
  });

  const recorder: RoomFeatureFactory = (host) => {
    handleRoomCommand(host, "testEcho", ({ characterId, text }) => ({
      echoed: `${host.session(characterId)?.name}:${text}`,
    }));
    return {
      messages: {
        testPing: (session, payload) => {
          const n = (payload as { n?: unknown } | null)?.n;
          if (typeof n !== "number") {
            malformed += 1;
            return session.send("testRefused", { reason: "n must be a number" });
          }
          session.send("testPong", { n });
        },
      },
      joined: (s) =>
        record(s, "joined", {
          name: s.name,
          dropped: s.dropped,
          position: host.positionOf(s.characterId),
        }),
      dropped: (s) => {
        record(s, "dropped", { dropped: s.dropped });
        for (let n = 0; n < HELD_SENT; n++) s.send("testHeld", { n });
      },
      reconnected: (s) => {
        record(s, "reconnected", { dropped: s.dropped });
        s.send("testAfterReconnect", {});
      },
      handingOff: (s, targetZone) => record(s, "handingOff", { targetZone }),
      left: (s) => record(s, "left", { handedOff: s.handedOff }),
      tick: () => {
        for (const s of host.sessions()) record(s, "tick");
      },
    };
  };

  before(async () => {
    game = await startTestGame(
      DATABASE_TARGETS[0]!,
      {},
      { features: [faulty, recorder], instanceGroupOf: async (id) => groups.get(id) },
    );
  });
  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
    );
    await game?.stop();
  });

  async function join(player: Awaited<ReturnType<typeof newPlayer>>) {
    const { room } = await enterWorld(game.url, player);
    rooms.push(room);
    // The own entity arrives with the full state, which follows the client's join acknowledgement:
    // only then can a dropped socket be held for a reconnect.
    const own = () =>
      (room.state as { entities?: Map<string, unknown> } | undefined)?.entities?.has(
        room.sessionId,
      );
    await waitFor(room, () => own() ?? false, 5000, "own entity");
    return room;
  }

  async function until(predicate: () => boolean, what: string, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  it("calls joined, tick, dropped, reconnected and left in order, and delivers held messages once on reconnect", async () => {
    const a = await newPlayer(game.url);
    const room = await join(a);
    await until(() => hooksOf(a.characterId).includes("tick"), "a tick after joined");
    const got: [string, number?][] = [];
    room.onMessage("testHeld", ({ n }: { n: number }) => void got.push(["testHeld", n]));
    room.onMessage("testAfterReconnect", () => void got.push(["testAfterReconnect"]));
    room.reconnection.minUptime = 0;
    const reconnected = new Promise<void>((resolve) => room.onReconnect(() => resolve()));
    // Cut the socket on the server side without a close frame, as a network failure would.
    const serverRoom = matchMaker.getLocalRoomById(room.roomId);
    const serverClient = serverRoom.clients.find((c) => c.sessionId === room.sessionId);
    dropSocket(serverClient);
    await Promise.race([
      reconnected,
      sleep(10_000).then(() => assert.fail(`no reconnect; hooks ${hooksOf(a.characterId)}`)),
    ]);
    await until(() => got.some(([type]) => type === "testAfterReconnect"), "testAfterReconnect");
    await sleep(300);

    const expected = Array.from({ length: HELD_MESSAGES_MAX }, (_, i) => [
      "testHeld",
      i + HELD_SENT - HELD_MESSAGES_MAX,
    ]);
    assert.deepEqual(got, [...expected, ["testAfterReconnect"]], "the newest 100, in order, once");

    await Promise.race([room.leave(true), sleep(2000)]);
    rooms.splice(rooms.indexOf(room), 1);
    await until(() => hooksOf(a.characterId).includes("left"), "left");
    const hooks = hooksOf(a.characterId);
    assert.deepEqual(
      hooks.filter((h) => h !== "tick"),
      ["joined", "dropped", "reconnected", "left"],
    );
    assert.equal(hooks[1], "tick", "ticks run between joined and dropped");
    const detail = (hook: string) => seen.get(a.characterId)!.find((s) => s.hook === hook)!.detail;
    assert.deepEqual(detail("joined"), {
      name: a.character.name,
      dropped: false,
      position: { x: a.character.x, y: a.character.y },
    });
    assert.deepEqual(detail("dropped"), { dropped: true });
    assert.deepEqual(detail("reconnected"), { dropped: false });
    assert.deepEqual(detail("left"), { handedOff: false });
  });

  it("never kicks for feature messages, malformed 200 times or throwing", async () => {
    const b = await newPlayer(game.url);
    const room = await join(b);
    let left = false;
    room.onLeave(() => void (left = true));
    const before = malformed;
    const junk: unknown[] = ["x", null, 7, { n: "1" }, { m: 1 }, [1, 2]];
    // Paced under the transport's cap (TRANSPORT_MESSAGES_PER_SEC), which applies to every message.
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 50; i++) room.send("testPing", junk[i % junk.length]);
      room.send("testBoom", {});
      await sleep(1100);
    }
    const pong = nextMessage<{ n: number }>(room, "testPong");
    room.send("testPing", { n: 42 });
    assert.deepEqual(await pong, { n: 42 });
    assert.equal(malformed - before, 200);
    assert.equal(left, false);
  });

  it("runs a command a feature registered through sendRoomCommand, and refuses unknown types", async () => {
    const c = await newPlayer(game.url);
    const room = await join(c);
    assert.deepEqual(
      await sendRoomCommand(room.roomId, {
        type: "testEcho",
        characterId: c.characterId,
        text: "hi",
      }),
      { echoed: `${c.character.name}:hi` },
    );
    await assert.rejects(
      sendRoomCommand(room.roomId, { type: "noSuchCommand" } as never),
      (error: unknown) => error instanceof GameError && error.code === "INTERNAL",
    );
  });

  it("puts characters of one instance group in the same instance and others in their own", async () => {
    const field = game.data.zones.get("field")!;
    const portal = field.portals.find((p) => p.targetZone === "crypt")!;
    const players = await Promise.all([1, 2, 3, 4].map(() => newPlayer(game.url)));
    const [p1, p2, p3] = players as [(typeof players)[0], ...typeof players];
    groups.set(p1.characterId, "party-1");
    groups.set(p2!.characterId, "party-1");
    groups.set(p3!.characterId, "party-2");
    // p4 has no group: it gets an instance of its own.
    for (const p of players) {
      await game.server.db.prisma.character.update({
        where: { id: p.characterId },
        data: { zone: "field", x: portal.x, y: portal.y },
      });
    }
    const fieldRooms = await Promise.all(players.map((p) => join(p)));
    const transfers = await Promise.all(
      fieldRooms.map(async (room, i) => {
        const transfer = nextMessage<{ zone: string; reservation: { roomId: string } }>(
          room,
          "transfer",
          10_000,
        );
        room.send("portal", { portalId: portal.id });
        const message = await transfer;
        // The hook ran before the message was sent.
        assert.deepEqual(
          seen.get(players[i]!.characterId)!.find((s) => s.hook === "handingOff")?.detail,
          { targetZone: "crypt" },
        );
        return message;
      }),
    );
    assert.ok(transfers.every((t) => t.zone === "crypt"));
    const [r1, r2, r3, r4] = transfers.map((t) => t.reservation.roomId);
    assert.equal(r1, r2, "one party, one instance");
    assert.notEqual(r3, r1, "another party gets another instance");
    assert.notEqual(r4, r1);
    assert.notEqual(r4, r3);

    const instances = await Promise.all(
      transfers.map(async (t) => {
        const next = await new Client(game.url).consumeSeatReservation(t.reservation as never);
        rooms.push(next);
        return next;
      }),
    );
    await Promise.all(
      fieldRooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
    );
    const population = (room: Room) =>
      (room.state as { entities?: Map<string, { kind: number }> } | undefined)?.entities
        ? [...(room.state as { entities: Map<string, { kind: number }> }).entities.values()].filter(
            (e) => e.kind === 1,
          ).length
        : 0;
    await waitFor(instances[0]!, () => population(instances[0]!) === 2, 5000, "both party members");
    assert.equal(instances[0]!.roomId, instances[1]!.roomId);
    await until(() => hooksOf(p1.characterId).includes("left"), "left after the hand-over");
    const p1Left = seen.get(p1.characterId)!.filter((s) => s.hook === "left");
    assert.deepEqual(p1Left[0]?.detail, { handedOff: true });
    const listed = await matchMaker.query({ name: "instance" });
    assert.equal(listed.find((r) => r.roomId === r1)?.maxClients, 5, "the crypt's maxPlayers");
  });
});
