import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
  collect,
  until,
  dropSocket,
} from "../helpers/game-server.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;
type Chat = {
  channel: string;
  from: string;
  fromId: string;
  text: string;
  at: number;
  to?: string;
};
type ChatError = { code: string; message: string };

const entities = (room: Room) =>
  (room.state as { entities?: Map<string, { x: number; y: number }> } | undefined)?.entities;

describe("chat (embedded defaults, official @colyseus/sdk clients)", function () {
  this.timeout(60_000);
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  afterEach(async () => {
    await Promise.all(
      rooms.splice(0).map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
    );
  });
  after(async () => game?.stop());

  async function place(player: Player, zone: string, x: number, y: number) {
    await game.server.db.prisma.character.update({
      where: { id: player.characterId },
      data: { zone, x, y },
    });
  }

  /** A player in `zone` at (x, y), in the world and listening. */
  async function joined(zone = "town", x = 768, y = 800) {
    const player = await newPlayer(game.url);
    await place(player, zone, x, y);
    const { room } = await enterWorld(game.url, player);
    rooms.push(room);
    await waitFor(room, () => entities(room)?.has(room.sessionId) ?? false, 5000, "own entity");
    // Subscriptions are set up right after `welcome`; give them a moment.
    await sleep(150);
    return {
      ...player,
      name: player.character.name,
      room,
      chats: collect<Chat>(room, "chat"),
      errors: collect<ChatError>(room, "chatError"),
    };
  }

  async function api(path: string, token: string, body?: unknown, method = "POST") {
    const res = await fetch(`${game.url}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as unknown };
  }

  it("says to players within speaking range of the same room only", async () => {
    const a = await joined("town", 700, 800);
    const near = await joined("town", 900, 800);
    const far = await joined("town", 100, 100);
    a.room.send("chat", { channel: "say", text: "  hello there  " });
    await until(() => near.chats.length === 1, 3000, "the near player hears it");
    const line = near.chats[0]!;
    assert.deepEqual(
      { channel: line.channel, from: line.from, fromId: line.fromId, text: line.text },
      { channel: "say", from: a.name, fromId: a.characterId, text: "hello there" },
    );
    assert.ok(Math.abs(line.at - Date.now()) < 5000, "at is epoch ms");
    await until(() => a.chats.length === 1, 3000, "the speaker sees its own line");
    await sleep(300);
    assert.equal(far.chats.length, 0, "out of range");
  });

  it("reaches the whole zone on zone chat and everyone on world chat", async () => {
    const a = await joined("town", 700, 800);
    const sameZone = await joined("town", 100, 100);
    const elsewhere = await joined("field", 300, 2048);
    a.room.send("chat", { channel: "zone", text: "zone line" });
    await until(() => sameZone.chats.some((c) => c.text === "zone line"), 3000, "zone chat");
    a.room.send("chat", { channel: "world", text: "world line" });
    await until(() => elsewhere.chats.some((c) => c.text === "world line"), 3000, "world chat");
    await until(() => sameZone.chats.some((c) => c.text === "world line"), 3000, "world in town");
    assert.equal(elsewhere.chats.filter((c) => c.text === "zone line").length, 0);
    assert.equal(sameZone.chats.filter((c) => c.text === "zone line").length, 1, "once");
    assert.equal(sameZone.chats.find((c) => c.text === "world line")!.channel, "world");
  });

  it("whispers to a player by name in another zone and echoes it to the sender", async () => {
    const a = await joined("town");
    const b = await joined("field", 300, 2048);
    a.room.send("chat", { channel: "whisper", text: "psst", to: b.name.toUpperCase() });
    await until(() => b.chats.length === 1, 3000, "the whisper");
    assert.deepEqual(
      { ...b.chats[0]!, at: 0 },
      {
        type: "chat",
        id: b.chats[0]!["id" as never],
        channel: "whisper",
        from: a.name,
        fromId: a.characterId,
        text: "psst",
        to: b.name,
        at: 0,
      },
    );
    await until(() => a.chats.length === 1, 3000, "the echo");
    assert.equal(a.chats[0]!.to, b.name);
    assert.equal(a.chats[0]!.text, "psst");
  });

  it("carries party chat to party members only, and refuses it outside a party", async () => {
    const a = await joined("town");
    const b = await joined("field", 300, 2048);
    const outsider = await joined("town");
    const invited = nextMessage<{ partyId: string; from: string }>(b.room, "partyInvited");
    a.room.send("partyInvite", { name: b.name });
    const { partyId, from } = await invited;
    assert.equal(from, a.name);
    const party = nextMessage<{ members: unknown[] }>(a.room, "party");
    b.room.send("partyAccept", { partyId });
    await party;
    await sleep(200);
    a.room.send("chat", { channel: "party", text: "party line" });
    await until(() => b.chats.some((c) => c.text === "party line"), 3000, "party chat");
    assert.equal(b.chats.find((c) => c.text === "party line")!.channel, "party");
    outsider.room.send("chat", { channel: "party", text: "nobody" });
    await until(() => outsider.errors.length === 1, 3000, "NOT_IN_PARTY");
    assert.equal(outsider.errors[0]!.code, "NOT_IN_PARTY");
    assert.equal(outsider.chats.length, 0);
  });

  it("carries guild chat to online members (a guild made over REST) and keeps it", async () => {
    const founder = await newPlayer(game.url);
    const member = await newPlayer(game.url);
    await game.server.db.prisma.character.update({
      where: { id: founder.characterId },
      data: { gold: 500 },
    });
    const created = await api("/v1/guilds", founder.token, {
      characterId: founder.characterId,
      name: `Chatters ${Date.now() % 100000}`,
      tag: `C${Date.now() % 1000}`,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const guildId = (created.body as { id: string }).id;
    // The member joins through the table: the invite route's transaction queries outside itself
    // and stalls on PGlite's single connection (reported to the guild service's owner).
    await game.server.db.prisma.guildMember.create({
      data: { guildId, characterId: member.characterId, rank: "member" },
    });

    const { room: fRoom } = await enterWorld(game.url, founder);
    const { room: mRoom } = await enterWorld(game.url, member);
    rooms.push(fRoom, mRoom);
    const heard = collect<Chat>(mRoom, "chat");
    const outsider = await joined("town");
    await sleep(300);
    fRoom.send("chat", { channel: "guild", text: "guild line" });
    await until(() => heard.some((c) => c.text === "guild line"), 3000, "guild chat");
    assert.equal(heard.find((c) => c.text === "guild line")!.fromId, founder.characterId);
    outsider.room.send("chat", { channel: "guild", text: "not a member" });
    await until(() => outsider.errors.length === 1, 3000, "NOT_IN_GUILD");
    assert.equal(outsider.errors[0]!.code, "NOT_IN_GUILD");
    await sleep(200);
    assert.equal(outsider.chats.length, 0);
    const history = await api(
      `/v1/guilds/${guildId}/chat?characterId=${member.characterId}`,
      member.token,
      undefined,
      "GET",
    );
    assert.equal(history.status, 200);
    const messages = (history.body as { messages: { text: string }[] }).messages;
    assert.equal(messages.at(-1)?.text, "guild line");
  });

  it("refuses whispers to offline or unknown players with NOT_ONLINE and bad payloads with INVALID", async () => {
    const a = await joined("town");
    const offline = await newPlayer(game.url);
    a.room.send("chat", { channel: "whisper", text: "hi", to: offline.character.name });
    a.room.send("chat", { channel: "whisper", text: "hi", to: "Nobody_Here_123" });
    await until(() => a.errors.length === 2, 3000, "two refusals");
    assert.deepEqual(
      a.errors.map((e) => e.code),
      ["NOT_ONLINE", "NOT_ONLINE"],
    );
    const bad: unknown[] = [
      null,
      "text",
      42,
      [],
      {},
      { channel: "say" },
      { channel: "say", text: "" },
      { channel: "say", text: "   " },
      { channel: "say", text: "x".repeat(257) },
      { channel: "say", text: "line\nbreak" },
      { channel: "shout", text: "hi" },
      { channel: "whisper", text: "hi" },
      { channel: "say", text: "hi", to: "Someone" },
      { channel: "say", text: "hi", extra: 1 },
      { channel: "say", text: { nested: true } },
    ];
    for (const payload of bad) a.room.send("chat", payload);
    await until(() => a.errors.length === 2 + bad.length, 3000, "every malformed payload refused");
    assert.ok(a.errors.slice(2).every((e) => e.code === "INVALID" && e.message.length > 0));
    // Still connected and served.
    a.room.send("chat", { channel: "say", text: "still here" });
    await until(() => a.chats.some((c) => c.text === "still here"), 3000, "served after");
    assert.equal(a.chats.length, 1);
  });

  it("refuses a blocked sender's whisper with BLOCKED and hides its other chat", async () => {
    const a = await joined("town", 700, 800);
    const b = await joined("town", 750, 800);
    const c = await joined("town", 760, 800);
    const blocked = await api(`/v1/characters/${b.characterId}/blocks`, b.token, { name: a.name });
    assert.equal(blocked.status, 201, JSON.stringify(blocked.body));
    await sleep(300);
    a.room.send("chat", { channel: "whisper", text: "let me in", to: b.name });
    await until(() => a.errors.length === 1, 3000, "BLOCKED");
    assert.equal(a.errors[0]!.code, "BLOCKED");
    a.room.send("chat", { channel: "say", text: "can you hear me" });
    a.room.send("chat", { channel: "zone", text: "zone from a" });
    await until(() => c.chats.length === 2, 3000, "the other player hears both");
    await sleep(300);
    assert.equal(b.chats.length, 0, "the blocking player sees none of it");
    // b's own lines still reach a: a block is one way.
    b.room.send("chat", { channel: "say", text: "from b" });
    await until(() => a.chats.some((x) => x.text === "from b"), 3000, "b to a");
  });

  it("rate-limits a flood with RATE_LIMITED while serving another player's moves and chats", async () => {
    const flooder = await joined("town", 700, 800);
    const other = await joined("town", 720, 800);
    const start = entities(other.room)!.get(other.room.sessionId)!.x;
    other.room.send("move", { dx: 1, dy: 0, seq: 1 });
    // 60 messages over ~1.5 s: under Colyseus' per-client cap for this room.
    for (let i = 0; i < 60; i++) {
      flooder.room.send("chat", { channel: "say", text: `flood ${i}` });
      if (i % 10 === 9) {
        other.room.send("chat", { channel: "say", text: `other ${i}` });
        await sleep(250);
      }
    }
    other.room.send("stop", { seq: 2 });
    await until(
      () =>
        flooder.errors.length +
          flooder.chats.filter((c) => c.fromId === flooder.characterId).length ===
        60,
      5000,
      "every flood message answered",
    );
    const limited = flooder.errors.filter((e) => e.code === "RATE_LIMITED").length;
    assert.ok(limited >= 45, `most of the flood refused (${limited})`);
    assert.ok(limited < 60, "the first few went through");
    await until(
      () => other.chats.filter((c) => c.fromId === other.characterId).length === 6,
      3000,
      "the other player's chat all served",
    );
    await waitFor(
      other.room,
      () => entities(other.room)!.get(other.room.sessionId)!.x > start + 50,
      3000,
      "the other player moved",
    );
    assert.equal(flooder.room.connection.isOpen, true, "the flooder is not kicked");
  });

  it("delivers a whisper sent while the socket is dropped once, after the reconnect", async () => {
    const a = await joined("town");
    const b = await joined("town");
    b.room.reconnection.minUptime = 0;
    const dropped = new Promise<void>((resolve) => b.room.onDrop(() => resolve()));
    const reconnected = new Promise<void>((resolve) => b.room.onReconnect(() => resolve()));
    const server = matchMaker.getLocalRoomById(b.room.roomId);
    const socket = server.clients.find((c) => c.sessionId === b.room.sessionId)!;
    dropSocket(socket);
    await dropped;
    a.room.send("chat", { channel: "whisper", to: b.name, text: "while you were away" });
    await until(() => a.chats.length === 1, 3000, "the echo");
    await reconnected;
    await until(() => b.chats.length === 1, 5000, "the held whisper");
    await sleep(500);
    assert.deepEqual(
      b.chats.map((c) => c.text),
      ["while you were away"],
    );
  });
});
