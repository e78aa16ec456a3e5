import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { ClientState, matchMaker } from "@colyseus/core";
import { Protocol, Room } from "@colyseus/sdk";
import { pino } from "pino";
import { newBotStats, registerAccount, type BotStats } from "../../loadtest/bot.ts";
import { botIp, LoadGenerator } from "../../loadtest/generator.ts";
import { ThinBotPool } from "../../loadtest/thin-pool.ts";
import { encodeMove, newFrameCounts } from "../../loadtest/thin-wire.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  positionIn,
  sleep,
  startTestGame,
  until,
  type TestGame,
} from "../helpers/game-server.ts";

const THIN = 6;

type LogLine = { level: number; msg: string; characterId?: string };

describe("thin load bots (loadtest/thin-bot.ts)", function () {
  this.timeout(60_000);
  let game: TestGame;
  const logs: LogLine[] = [];
  const rejected: string[] = [];
  const abort = new AbortController();
  let stats: BotStats;
  const frames = newFrameCounts();
  let pool: ThinBotPool;
  let runs: Promise<void>[] = [];
  let observer: Room;
  let joinedAt = 0;

  const serverRoom = (roomId: string) =>
    matchMaker.getLocalRoomById(roomId) as unknown as {
      clients: { sessionId: string; state: number }[];
    };
  const problems = () => logs.filter((l) => l.level >= 40).map((l) => `${l.level} ${l.msg}`);

  before(async () => {
    // Rooms log through this logger: every line the server writes about these clients is kept.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line) logs.push(JSON.parse(line));
        done();
      },
    });
    game = await startTestGame(
      DATABASE_TARGETS[0]!,
      {},
      {
        logger: pino({ level: "info" }, sink),
        observer: { messageRejected: (type, reason) => rejected.push(`${type}: ${reason}`) },
      },
    );
    const player = await newPlayer(game.url);
    observer = (await enterWorld(game.url, player)).room;
    stats = newBotStats();
    pool = new ThinBotPool({ url: game.url, stats, frames, signal: abort.signal });
    // One account for all (its Argon2id registration is the slow part of a join).
    const account = await registerAccount(game.url, botIp(100));
    runs = Array.from({ length: THIN }, (_, i) => pool.run({ clientIp: botIp(i + 1), account }));
    // Joined, and the full state that follows the JOIN_ROOM acknowledgement has arrived.
    const ready = () => pool.bots.every((b) => b.isLive() && b.stateFrames > 0);
    await until(() => ready() || stats.errors > 0, 20_000, "thin joins");
    joinedAt = performance.now();
  });

  after(async () => {
    abort.abort();
    await Promise.all(runs);
    await Promise.race([observer?.leave(true), sleep(3000)]);
    await game?.stop();
  });

  it("packs a move exactly as the SDK's room.send does", () => {
    const room = new Room("zone");
    let sent: Uint8Array | undefined;
    (room as unknown as { connection: unknown }).connection = {
      isOpen: true,
      send: (data: Uint8Array) => (sent = new Uint8Array(data)),
    };
    for (const [dx, dy, seq] of [
      [1, 0, 1],
      [-0.7071067811865475, 0.7071067811865476, 12345],
      [0.25, -0.5, 2 ** 31],
    ] as const) {
      room.send("move", { dx, dy, seq });
      assert.deepEqual(new Uint8Array(encodeMove(dx, dy, seq)), sent);
    }
  });

  it("joins like SDK clients: same room, JOINED on the server, welcomed, no refusals", () => {
    assert.deepEqual(stats.errorSamples, []);
    assert.equal(stats.joins, THIN);
    assert.equal(stats.connected, THIN);
    const room = serverRoom(observer.roomId);
    for (const bot of pool.bots) assert.equal(bot.roomId, observer.roomId, "same zone room");
    const sessions = [...room.clients].map((c) => c.sessionId).sort();
    assert.deepEqual(sessions, [observer.sessionId, ...pool.bots.map((b) => b.sessionId)].sort());
    assert.ok(room.clients.every((c) => c.state === ClientState.JOINED));
    assert.equal(frames.frames[Protocol.JOIN_ROOM], THIN, "one handshake each");
    assert.equal(frames.frames[Protocol.ROOM_STATE], THIN, "one full state each, after the ack");
    assert.ok(stats.messages >= THIN, "every bot got its welcome");
    assert.deepEqual(rejected, []);
    assert.deepEqual(problems(), []);
  });

  it("moves: an SDK client sees every thin bot's entity change position", async () => {
    const where = () => pool.bots.map((b) => positionIn(observer, b.sessionId));
    await until(() => where().every((p) => p !== undefined), 5000, "thin bots in view");
    const start = where();
    const patches = pool.bots.map((b) => b.stateFrames);
    const started = performance.now();
    // Bots walk at random; one that starts against a wall turns within 5 s.
    const moved = (i: number) => {
      const a = start[i]!;
      const b = positionIn(observer, pool.bots[i]!.sessionId);
      return b !== undefined && Math.hypot(b.x - a.x, b.y - a.y) > 5;
    };
    await until(() => pool.bots.every((_, i) => moved(i)), 6000, "every thin bot moving");
    await sleep(Math.max(0, 1500 - (performance.now() - started)));
    const seconds = (performance.now() - started) / 1000;
    for (let i = 0; i < THIN; i++) {
      const rate = (pool.bots[i]!.stateFrames - patches[i]!) / seconds;
      assert.ok(rate >= 5, `bot ${i} received ${rate.toFixed(1)} patches/s`);
    }
    assert.ok(frames.bytes[Protocol.ROOM_STATE_PATCH]! > 0);
    assert.deepEqual(rejected, [], "inputs rejected by the room");
    assert.deepEqual(stats.errorSamples, []);
  });

  it("reconnects after a forced drop with the same seat, as the SDK does", async () => {
    const bot = pool.bots[0]!;
    const sessionId = bot.sessionId;
    const states = frames.frames[Protocol.ROOM_STATE]!;
    assert.ok(bot.dropConnection(), "the bot was live for over 1 s");
    await until(() => stats.reconnects === 1 && bot.isLive(), 10_000, "reconnection");
    // The server sends the full state once the reconnected bot acknowledges JOIN_ROOM.
    await until(() => frames.frames[Protocol.ROOM_STATE]! > states, 5000, "the full state");
    assert.equal(frames.frames[Protocol.ROOM_STATE], states + 1);
    assert.equal(stats.drops, 1);
    assert.equal(bot.sessionId, sessionId);
    const room = serverRoom(observer.roomId);
    assert.equal(room.clients.length, THIN + 1);
    assert.ok(room.clients.every((c) => c.state === ClientState.JOINED));
    const about = logs.filter((l) => l.characterId === bot.characterId).map((l) => l.msg);
    assert.ok(about.includes("player dropped; holding for reconnection"), about.join(" | "));
    assert.ok(about.includes("player reconnected"), about.join(" | "));
    // Still moving after the reconnection (a bot walking into a wall turns within 5 s).
    await until(() => positionIn(observer, sessionId) !== undefined, 5000, "bot in view");
    const a = positionIn(observer, sessionId)!;
    await until(
      () => {
        const b = positionIn(observer, sessionId);
        return b !== undefined && Math.hypot(b.x - a.x, b.y - a.y) > 5;
      },
      6000,
      "the bot moving after the reconnection",
    );
    assert.equal(stats.failedReconnects, 0);
    assert.deepEqual(stats.errorSamples, []);
    assert.deepEqual(problems(), []);
  });

  it("a generator with sdkEvery mixes them: the SDK bots measure input-to-echo latency", async () => {
    const generator = new LoadGenerator({ url: game.url, sdkEvery: 3, charactersPerAccount: 6 });
    try {
      await generator.add(6, 0);
      await until(() => generator.stats.connected === 6, 20_000, "generator bots joined");
      generator.window();
      await sleep(3000);
      const w = generator.window();
      assert.equal(w.thinBots, 4);
      assert.equal(w.sdkBots, 2);
      assert.equal(w.connected, 6);
      assert.ok(w.echoP99Ms !== null && w.echoP99Ms > 0 && w.echoP99Ms < 1000, `${w.echoP99Ms}`);
      assert.equal(w.positionErrors, 0);
      assert.ok(w.stateBytesPerThinBotPerSec! > 0);
      assert.ok(w.bytesPerBotPerSec > 0);
      assert.equal(w.errors, 0, generator.stats.errorSamples.join("; "));
    } finally {
      await generator.stop();
    }
    assert.equal(generator.stats.connected, 0, "every bot left");
    assert.deepEqual(rejected, []);
    assert.deepEqual(problems(), []);
  });

  it("answers the server's WebSocket pings: no drop but the forced one over the whole run", async () => {
    // The transport pings every 3 s and cuts a client after two unanswered pings.
    await sleep(Math.max(0, 10_000 - (performance.now() - joinedAt)));
    assert.equal(stats.drops, 1);
    assert.ok(pool.bots.every((b) => b.isLive()));
  });
});
