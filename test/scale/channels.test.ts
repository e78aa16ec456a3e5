import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import {
  collect,
  newPlayer,
  nextMessage,
  selfOf,
  sleep,
  until,
  waitFor,
} from "../helpers/game-server.ts";
import type { ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;
type Welcome = { characterId: string; zone: string; entityId: string; channel?: number };
type ErrorReply = { code: string; message: string; type: string };
type ZoneListing = {
  id: string;
  players: number;
  rooms: number;
  channels: { channel: number; players: number; capacity: number }[];
};
type Entity = { x: number; y: number; name?: string };

const entities = (room: Room) =>
  (room.state as { entities?: Map<string, Entity> } | undefined)?.entities;

/** Names of the players `room` sees (its own included). */
function namesIn(room: Room): string[] {
  return [...(entities(room)?.values() ?? [])].flatMap((e) => (e.name ? [e.name] : []));
}

// Issue 13: zone channels. Soft capacity 3 (ZONE_CHANNEL_CAPACITY), so a channel seats 4.
describe("zone channels across two game processes (Redis presence, PostgreSQL)", function () {
  this.timeout(120_000);
  let a: ServerProcess;
  let b: ServerProcess;
  let cluster: TwoProcesses | undefined;
  let schema: string;
  let db: pg.Pool;
  const rooms: Room[] = [];

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("channels", { ZONE_CHANNEL_CAPACITY: "3" });
    ({ a, b, schema } = cluster);
    db = new pg.Pool({ connectionString: SERVICE_URLS.postgres, max: 4 });
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await cluster?.stop(rooms);
  });

  async function player(zone: string, x: number, y: number, gold = 0): Promise<Player> {
    const p = await newPlayer(a.url);
    await db.query(
      `UPDATE "${schema}".characters SET zone = $1, x = $2, y = $3, gold = $4 WHERE id = $5`,
      [zone, x, y, gold, p.characterId],
    );
    return p;
  }

  /** POST /v1/world/join through `via`, then the reservation; resolves with room and welcome. */
  async function enter(via: ServerProcess, p: Player) {
    const res = await fetch(`${via.url}/v1/world/join`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ characterId: p.characterId }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const { reservation } = (await res.json()) as { reservation: unknown };
    const client = new Client(via.url);
    const room = await client.consumeSeatReservation(reservation as never);
    const welcome = nextMessage<Welcome>(room, "welcome");
    selfOf(room);
    rooms.push(room);
    return { room, welcome: await welcome };
  }

  async function zones(): Promise<Map<string, ZoneListing>> {
    const res = await fetch(`${a.url}/v1/world/zones`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { zones: ZoneListing[] };
    return new Map(body.zones.map((z) => [z.id, z]));
  }

  it("overflows into channel 2, places the least full, steers a party into a channel at capacity, and switches channel", async () => {
    const [p1, p2, p3, p4, p5, p6] = await Promise.all([
      player("town", 700, 800, 33),
      player("town", 710, 800),
      player("town", 720, 800),
      player("town", 730, 800),
      player("field", 300, 1500),
      player("town", 740, 800),
    ]);
    const one = await enter(a, p1);
    const two = await enter(b, p2);
    const three = await enter(a, p3);
    assert.deepEqual(
      [one, two, three].map((j) => j.welcome.channel),
      [1, 1, 1],
    );
    // Channel 1 is at its soft capacity: the next join opens channel 2.
    const four = await enter(b, p4);
    assert.equal(four.welcome.channel, 2);
    const town = (await zones()).get("town")!;
    assert.deepEqual(town.channels, [
      { channel: 1, players: 3, capacity: 3 },
      { channel: 2, players: 1, capacity: 3 },
    ]);
    assert.deepEqual([town.players, town.rooms], [4, 2]);

    // p5 (in the field) joins p1's party, goes offline, and comes back in town: channel 1 is at
    // its soft capacity, but p1 is there, so p5 goes to channel 1 and not to the emptier 2.
    const five = await enter(a, p5);
    const invites = collect<{ partyId: string }>(five.room, "partyInvited");
    const parties = collect<{ members: unknown[] } | null>(one.room, "party");
    one.room.send("partyInvite", { name: p5.character.name });
    await until(() => invites.length === 1, 5000, "the party invitation");
    five.room.send("partyAccept", { partyId: invites[0]!.partyId });
    await until(() => parties.at(-1)?.members.length === 2, 5000, "a party of two");
    await five.room.leave(true);
    await db.query(
      `UPDATE "${schema}".characters SET zone = 'town', x = 750, y = 800 WHERE id = $1`,
      [p5.characterId],
    );
    await sleep(300);
    const back = await enter(b, p5);
    assert.equal(back.welcome.channel, 1, "p5 follows its party into the full channel 1");

    // p2 and p3 leave: channel 1 holds 2, channel 2 holds 1. The least full is 2, not the first.
    await Promise.all([two.room.leave(true), three.room.leave(true)]);
    await sleep(300);
    const six = await enter(a, p6);
    assert.equal(six.welcome.channel, 2, "the least-full channel");

    // p1 switches to channel 2: it sees p4 there and no longer p5; its position and gold stay.
    await waitFor(one.room, () => namesIn(one.room).includes(p5.character.name), 5000, "p5");
    const before = entities(one.room)!.get(one.room.sessionId)!;
    const at = { x: before.x, y: before.y };
    assert.equal(selfOf(one.room).gold, 33);
    const transfer = nextMessage<{ zone: string; reservation: unknown }>(one.room, "transfer");
    one.room.send("switchChannel", { channel: 2 });
    const { zone, reservation } = await transfer;
    assert.equal(zone, "town");
    const next = await new Client(a.url).consumeSeatReservation(reservation as never);
    const welcome = nextMessage<Welcome>(next, "welcome");
    const self = selfOf(next);
    rooms.push(next);
    await one.room.leave(true);
    assert.equal((await welcome).channel, 2);
    await waitFor(next, () => namesIn(next).includes(p4.character.name), 5000, "p4 in channel 2");
    assert.ok(!namesIn(next).includes(p5.character.name), "p5 stays in channel 1");
    const after = entities(next)!.get(next.sessionId)!;
    assert.deepEqual({ x: after.x, y: after.y }, at);
    await until(() => self.gold === 33, 5000, "gold after the switch");
    const channels = (await zones()).get("town")!.channels;
    assert.deepEqual(
      channels.map((c) => [c.channel, c.players]),
      [
        [1, 1],
        [2, 3],
      ],
    );
  });

  it("refuses unknown, same, full and malformed switches with an error and keeps the player", async () => {
    // Channel 1 holds p5, channel 2 p1, p4 and p6 (the previous test).
    const p7 = await player("town", 760, 800);
    const seven = await enter(a, p7);
    assert.equal(seven.welcome.channel, 1);
    const errors = collect<ErrorReply>(seven.room, "error");
    const expect = async (payload: unknown, code: string) => {
      const n = errors.length;
      seven.room.send("switchChannel", payload);
      await until(() => errors.length > n, 5000, `${code} reply`);
      assert.deepEqual(
        [errors.at(-1)!.code, errors.at(-1)!.type],
        [code, "switchChannel"],
        JSON.stringify(errors.at(-1)),
      );
    };
    await expect({ channel: 1 }, "SAME_CHANNEL");
    await expect({ channel: 9 }, "UNKNOWN_CHANNEL");
    await expect({ channel: 2 }, "CHANNEL_FULL");
    await expect({ channel: 2 }, "RATE_LIMITED"); // a burst of 3, then one every 2 s
    await sleep(2100);
    await expect({ channel: "two" }, "INVALID_MESSAGE");
    // Still in channel 1: the room keeps patching the player's own entity.
    await sleep(300);
    assert.ok(seven.room.connection.isOpen, "not kicked");
    assert.ok(entities(seven.room)?.has(seven.room.sessionId));
  });

  it("gives every channel a number of its own when joins overflow on both processes at once", async () => {
    const players = await Promise.all(
      Array.from({ length: 8 }, (_, i) => player("forest", 300 + i * 10, 1500)),
    );
    const joined = await Promise.all(players.map((p, i) => enter(i % 2 ? a : b, p)));
    const channelOf = new Map<string, number>();
    const count = new Map<number, number>();
    for (const { room, welcome } of joined) {
      const channel = welcome.channel!;
      const known = channelOf.get(room.roomId);
      assert.ok(known === undefined || known === channel, "one number per room");
      channelOf.set(room.roomId, channel);
      count.set(channel, (count.get(channel) ?? 0) + 1);
    }
    const numbers = [...channelOf.values()].sort((x, y) => x - y);
    assert.equal(new Set(numbers).size, numbers.length, `unique numbers: ${numbers.join(",")}`);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
      "numbered 1..n",
    );
    for (const [channel, n] of count) assert.ok(n <= 4, `channel ${channel} seats ${n} (≤ 4)`);
    const listed = (await zones()).get("forest")!.channels;
    assert.deepEqual(
      listed.map((c) => c.channel),
      numbers,
    );
    assert.equal(
      listed.reduce((sum, c) => sum + c.players, 0),
      8,
    );

    // Channel 1 empties: its room closes and the number is free; the next channel opened is 1.
    await Promise.all(joined.filter((j) => j.welcome.channel === 1).map((j) => j.room.leave(true)));
    for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
      const open = (await zones()).get("forest")!.channels.map((c) => c.channel);
      if (!open.includes(1)) break;
      assert.ok(Date.now() < deadline, `channel 1 still listed: ${open.join(",")}`);
    }
    let reopened: number | undefined;
    for (let i = 0; i < 8 && reopened === undefined; i++) {
      const { welcome } = await enter(i % 2 ? a : b, await player("forest", 400, 1500));
      if (!numbers.includes(welcome.channel!) || welcome.channel === 1) reopened = welcome.channel;
    }
    assert.equal(reopened, 1, "the lowest free number is reused");
  });
});
