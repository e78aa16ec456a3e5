import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import fc from "fast-check";
import WebSocket from "ws";
import { ZONE_MESSAGE_TYPES } from "../../rooms/zone-messages.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  joinWorldVia,
  newPlayer,
  positionIn,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
} from "../helpers/game-server.ts";

/**
 * Room fuzzing: fuzz clients send ~100,000 random and mutated messages (wrong types, huge numbers,
 * NaN/Infinity, -0, deep objects, long strings, unknown types, binary and raw protocol frames,
 * floods) while one well-behaved player keeps walking. The room must survive, keep the good
 * player simulated and its state sane, and reject or disconnect the offenders.
 */

const TARGET_MESSAGES = Number(process.env.ROOM_FUZZ_MESSAGES ?? 100_000);
const FUZZ_CLIENTS = 10;
const BUDGET_MS = 40_000;

type EntityView = { x: number; y: number; kind: string };
/** Entities by network key: the own entity is `room.sessionId`. */
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ??
  new Map<string, EntityView>();

// ---- message arbitraries -------------------------------------------------------------------

const hostileNumber = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    2 ** 31 + 1,
    -1,
    1e6 + 1,
    -1e6 - 1,
    0.5,
  ),
  fc.double(),
  fc.integer(),
);
const deepValue = fc.integer({ min: 10, max: 400 }).map((depth) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileNumber, weight: 4 },
  { arbitrary: fc.string({ maxLength: 80 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 60, maxLength: 3000 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(null, undefined, true, false, "", "__proto__", "💥", [], {}),
    weight: 2,
  },
  { arbitrary: fc.array(fc.integer(), { maxLength: 20 }), weight: 1 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      new Date(0),
      new Uint8Array([1, 2, 3]),
      new Map([["dx", 1]]),
      BigInt(2 ** 40),
    ),
    weight: 1,
  },
);

/**
 * Entity names in intents: arbitrary strings, and network keys that exist (mobs and drops are
 * keyed "0", "1", ... "a", ... in base 36; NPCs by content id).
 */
const entityKey = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 64 }), weight: 2 },
  { arbitrary: fc.nat(300).map((n) => n.toString(36)), weight: 2 },
  { arbitrary: fc.constantFrom("npc-elder", "npc-merchant"), weight: 1 },
);

/** The valid shapes, used both as they are and as the base of mutations. */
const validMessage: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc
    .record({
      dx: fc.integer({ min: -1, max: 1 }),
      dy: fc.integer({ min: -1, max: 1 }),
      seq: fc.nat(1000),
    })
    .map((m) => ["move", m] as [string, unknown]),
  fc.nat(1000).map((seq) => ["stop", { seq }] as [string, unknown]),
  entityKey.map((id) => ["attack", { targetId: id }] as [string, unknown]),
  entityKey.map((id) => ["pickup", { dropId: id }] as [string, unknown]),
  fc
    .constantFrom("heavy_slash", "fireball", "heal", "nope")
    .map((skillId) => ["cast", { skillId }] as [string, unknown]),
  entityKey.map((id) => ["interact", { npcId: id }] as [string, unknown]),
  fc
    .string({ minLength: 1, maxLength: 64 })
    .map((id) => ["acceptQuest", { questId: id }] as [string, unknown]),
  fc.nat(1023).map((slot) => ["useItem", { slot }] as [string, unknown]),
);

/** A valid shape with fields replaced, added or removed, or the whole payload swapped. */
const mutatedMessage: fc.Arbitrary<[string, unknown]> = fc
  .record({
    base: validMessage,
    type: fc.oneof(
      { arbitrary: fc.constant<string | undefined>(undefined), weight: 6 },
      { arbitrary: fc.constantFrom(...ZONE_MESSAGE_TYPES), weight: 1 },
    ),
    mutation: fc.constantFrom("replace", "add", "remove", "payload"),
    value: hostileValue,
    extraKey: fc.constantFrom("teleport", "x", "hp", "__proto__", "constructor", "seq", "dx"),
  })
  .map(({ base, type, mutation, value, extraKey }) => {
    const payload = { ...(base[1] as Record<string, unknown>) };
    const keys = Object.keys(payload);
    const key = keys[0]!;
    if (mutation === "replace") payload[key] = value;
    else if (mutation === "add") payload[extraKey] = value;
    else if (mutation === "remove") delete payload[key];
    return [type ?? base[0], mutation === "payload" ? value : payload] as [string, unknown];
  });

const fuzzMessage = fc.oneof(
  { arbitrary: mutatedMessage, weight: 8 },
  { arbitrary: validMessage, weight: 2 },
);

/** Things the server cannot route at all: each one should get the sender disconnected. */
type Poison =
  | { kind: "unknown"; type: string | number; payload: unknown }
  | { kind: "bytes"; type: string; bytes: Uint8Array }
  | { kind: "raw"; bytes: Uint8Array };
const poison: fc.Arbitrary<Poison> = fc.oneof(
  fc.record({
    kind: fc.constant("unknown" as const),
    type: fc.oneof(
      fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "*", "", "Move"),
      fc.string({ maxLength: 40 }),
      fc.integer({ min: -1000, max: 1000 }),
    ),
    payload: hostileValue,
  }),
  fc.record({
    kind: fc.constant("bytes" as const),
    type: fc.oneof(fc.constantFrom(...ZONE_MESSAGE_TYPES), fc.string({ maxLength: 20 })),
    bytes: fc.uint8Array({ maxLength: 2000 }),
  }),
  fc.record({
    kind: fc.constant("raw" as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 500 }),
  }),
);

// ---- the suite ------------------------------------------------------------------------------

describe("hardening: room fuzzing", function () {
  this.timeout(120_000);
  let game: TestGame;

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  after(async () => game?.stop());

  function metricTotal(name: string): number {
    const metric = game.server.metrics.registry.getSingleMetric(name) as unknown as {
      hashMap: Record<string, { value: number }>;
    };
    return Object.values(metric.hashMap).reduce((sum, v) => sum + v.value, 0);
  }

  async function joinRetrying(player: { token: string; characterId: string }) {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await enterWorld(game.url, player)).room;
      } catch (error) {
        // The previous session's save and lock release may still be under way.
        if (attempt >= 40 || !/409/.test(String(error))) throw error;
        await sleep(50);
      }
    }
  }

  it("survives ~100k hostile messages while a good player keeps walking", async () => {
    const good = await newPlayer(game.url);
    const goodRoom = (await enterWorld(game.url, good)).room;
    const me = goodRoom.sessionId;
    await waitFor(goodRoom, () => entities(goodRoom).has(me), 5000, "own entity");
    const roomId = goodRoom.roomId;

    // The good client: counts patches, checks every entity it sees is finite, walks back and forth.
    let patches = 0;
    let insane: string | undefined;
    let travelled = 0;
    let last = positionIn(goodRoom, me)!;
    goodRoom.onStateChange(() => {
      patches += 1;
      for (const [key, e] of entities(goodRoom)) {
        if (!Number.isFinite(e.x) || !Number.isFinite(e.y))
          insane ??= `${e.kind} ${key} ${e.x},${e.y}`;
      }
      const at = positionIn(goodRoom, me);
      if (at) {
        travelled += Math.abs(at.x - last.x) + Math.abs(at.y - last.y);
        last = at;
      }
    });
    let goodLeft = false;
    goodRoom.onLeave(() => (goodLeft = true));
    goodRoom.onMessage("*", () => undefined);
    let walking = true;
    const walker = (async () => {
      for (let seq = 1; walking; seq++) {
        const dx = Math.floor(seq / 20) % 2 === 0 ? 1 : -1; // 2 s each way
        goodRoom.send("move", { dx, dy: 0, seq });
        await sleep(100);
      }
      goodRoom.send("stop", { seq: 1_000_000 });
    })();
    /** Progress samples: [patches, travelled] every 2 s. */
    const samples: [number, number][] = [];
    const sampler = setInterval(() => samples.push([patches, travelled]), 2000);

    // The fuzz clients.
    const stats = {
      sent: 0,
      sessions: 0,
      errors: 0,
      disconnected: 0,
      errorCodes: new Map<string, number>(),
    };
    // One at a time: newPlayer names characters after a shared counter read after an await.
    const fuzzers: Awaited<ReturnType<typeof newPlayer>>[] = [];
    for (let i = 0; i < FUZZ_CLIENTS; i++) fuzzers.push(await newPlayer(game.url));
    const started = Date.now();
    const deadline = started + BUDGET_MS;
    const received0 = metricTotal("mmo_messages_received_total");
    const rejected0 = metricTotal("mmo_messages_rejected_total");

    async function fuzzSession(player: (typeof fuzzers)[number], seed: number): Promise<void> {
      const room = await joinRetrying(player);
      stats.sessions += 1;
      let open = true;
      const left = new Promise<number>((resolve) =>
        room.onLeave((code) => {
          open = false;
          resolve(code);
        }),
      );
      room.onMessage("error", (m: { code: string }) => {
        stats.errors += 1;
        stats.errorCodes.set(m.code, (stats.errorCodes.get(m.code) ?? 0) + 1);
      });
      room.onMessage("*", () => undefined);
      const send = (type: string | number, payload: unknown) => {
        try {
          room.send(type as string, payload);
          stats.sent += 1;
        } catch {
          // The SDK's encoder refused it (e.g. a BigInt beyond 64 bits): never sent.
        }
      };
      const mode = seed % 10;
      if (mode < 6) {
        // Paced: bursts of 15 every 250 ms (60/s: under the transport's hard cap, over our 20/s).
        for (let burst = 0; open && burst < 16; burst++) {
          for (const [type, payload] of fc.sample(fuzzMessage, { numRuns: 15, seed: seed + burst }))
            send(type, payload);
          await sleep(250);
        }
      } else if (mode < 9) {
        // Flood: thousands at once.
        const n = 1000 + (seed % 3000);
        const batch = fc.sample(fuzzMessage, { numRuns: 200, seed });
        for (let i = 0; i < n && open; i++) send(...batch[i % batch.length]!);
      } else {
        // A few valid messages, then something the room cannot route.
        for (const [type, payload] of fc.sample(validMessage, { numRuns: 5, seed }))
          send(type, payload);
        const [p] = fc.sample(poison, { numRuns: 1, seed });
        if (p!.kind === "unknown") send(p!.type, p!.payload);
        else if (p!.kind === "bytes") {
          room.sendBytes(p!.type, p!.bytes);
          stats.sent += 1;
        } else {
          room.connection.send(p!.bytes);
          stats.sent += 1;
        }
      }
      const code = await Promise.race([left, sleep(1500).then(() => undefined)]);
      if (code !== undefined) stats.disconnected += 1;
      else await Promise.race([room.leave(true).catch(() => undefined), sleep(1000)]);
    }

    await Promise.all(
      fuzzers.map(async (player, slot) => {
        for (let i = 0; stats.sent < TARGET_MESSAGES && Date.now() < deadline; i++) {
          await fuzzSession(player, slot * 100_000 + i * 7919);
        }
      }),
    );
    const fuzzMs = Date.now() - started;
    await sleep(2500);
    walking = false;
    clearInterval(sampler);
    await walker;

    const accepted = metricTotal("mmo_messages_received_total") - received0;
    const rejected = metricTotal("mmo_messages_rejected_total") - rejected0;
    process.stdout.write(
      `      room fuzz: ${stats.sent} sent in ${fuzzMs} ms over ${stats.sessions} sessions; ` +
        `room handler accepted ${accepted}, rejected ${rejected} ` +
        `(the rest arrived after the transport's per-second cap closed the flooder); ` +
        `${stats.errors} error messages ${JSON.stringify(Object.fromEntries(stats.errorCodes))}; ` +
        `${stats.disconnected} sessions disconnected by the server; good client ${patches} patches, ` +
        `${Math.round(travelled)} units walked\n`,
    );

    // The room survived and is the same room.
    assert.equal(goodLeft, false, "the good client was never disconnected");
    const serverRoom = matchMaker.getLocalRoomById(roomId);
    assert.ok(serverRoom, "the room is still alive");
    assert.equal((await fetch(`${game.url}/healthz`)).status, 200);
    // Volume and outcomes.
    assert.ok(stats.sent >= TARGET_MESSAGES, `sent ${stats.sent}`);
    assert.ok(accepted > 0, "some fuzz messages were valid and accepted");
    assert.ok(rejected > 0, "many were rejected");
    assert.ok(stats.errors > 0, "offenders got error messages");
    assert.ok(stats.errorCodes.has("RATE_LIMITED") && stats.errorCodes.has("INVALID_MESSAGE"));
    assert.ok(stats.disconnected > stats.sessions / 2, `${stats.disconnected} disconnected`);
    // The good client kept receiving patches and moving throughout.
    assert.equal(insane, undefined, `non-finite position seen: ${insane}`);
    for (let i = 1; i < samples.length; i++) {
      const [p0, t0] = samples[i - 1]!;
      const [p1, t1] = samples[i]!;
      assert.ok(p1 - p0 >= 10, `only ${p1 - p0} patches in window ${i}`);
      assert.ok(t1 - t0 >= 50, `walked only ${t1 - t0} units in window ${i}`);
    }
    // Server-side state is sane too: every entity finite, only the good player left online.
    const state = serverRoom.state as { entities: Map<string, EntityView> };
    for (const [key, e] of state.entities) {
      assert.ok(Number.isFinite(e.x) && Number.isFinite(e.y), `${key} at ${e.x},${e.y}`);
    }
    await goodRoom.leave(true);
  });

  it("closes a raw WebSocket that sends a frame over 4 KiB, without touching others", async () => {
    const good = await newPlayer(game.url);
    const goodRoom = (await enterWorld(game.url, good)).room;
    const me = goodRoom.sessionId;
    await waitFor(goodRoom, () => entities(goodRoom).has(me), 5000, "own entity");
    let goodLeft = false;
    goodRoom.onLeave(() => (goodLeft = true));

    const offender = await newPlayer(game.url);
    const reservation = (await joinWorldVia(game.url, offender)).reservation!;
    // Where the SDK would connect: the reservation's address (uWS sockets), else the HTTP server.
    const base = reservation.publicAddress
      ? `ws://${reservation.publicAddress}`
      : game.url.replace("http", "ws");
    const wsUrl = `${base}/${reservation.processId}/${reservation.roomId}?sessionId=${reservation.sessionId}`;
    const ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.on("error", () => undefined);
    ws.send(Buffer.alloc(5 * 1024, 0x0d));
    const code = await Promise.race([closed, sleep(5000).then(() => -1)]);
    // `ws` closes with 1009 (message too big); uWS drops the connection without a close frame.
    assert.equal(code, reservation.publicAddress ? 1006 : 1009, "closed for the frame's size");

    const x0 = entities(goodRoom).get(me)!.x;
    goodRoom.send("move", { dx: 1, dy: 0, seq: 1 });
    await waitFor(
      goodRoom,
      () => entities(goodRoom).get(me)!.x > x0 + 10,
      5000,
      "the good player still moves",
    );
    goodRoom.send("stop", { seq: 2 });
    assert.equal(goodLeft, false);
    await goodRoom.leave(true);
  });
});
