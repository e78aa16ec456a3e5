import assert from "node:assert/strict";
import { Kind } from "../../schema/entity-kind.ts";
import { msUntilTick } from "../../schema/motion.ts";
import { matchMaker } from "@colyseus/core";
import { addDrop } from "../../src/game/world/world.ts";
import { xpForLevel } from "../../src/game/leveling/leveling.ts";
import type { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { Client, type Room } from "@colyseus/sdk";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  positionIn,
  selfOf,
  stoppedIn,
  waitFor,
  type TestGame,
  collect,
  until,
  dropSocket,
} from "../helpers/game-server.ts";

/** An entity as the SDK decodes it: no id field, its network key is its key in the map. */
type EntityView = {
  x: number;
  y: number;
  /** Players only. */
  level?: number;
  kind: Kind;
  /** Players and NPCs only. */
  name?: string;
  /** Mobs and drops only. */
  templateId?: string;
};
const NONE: Map<string, EntityView> = new Map();
/** A character id: a UUID, which must never be a key on the wire. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The client's copy of the zone's entities (empty until the first state arrives), keyed by
 * network key: the own entity is `room.sessionId`.
 */
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ?? NONE;

describe("zone rooms end to end (official @colyseus/sdk client)", function () {
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  afterEach(async () => {
    // A room the server already closed never answers leave(): do not wait on it.
    await Promise.all(
      rooms.splice(0).map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
    );
  });
  after(async () => game?.stop());

  async function join(player: Awaited<ReturnType<typeof newPlayer>>) {
    const { room } = await enterWorld(game.url, player);
    rooms.push(room);
    await waitFor(room, () => entities(room).has(room.sessionId), 5000, "own entity");
    return room;
  }

  async function placeCharacter(characterId: string, zone: string, x: number, y: number) {
    await game.server.db.prisma.character.update({
      where: { id: characterId },
      data: { zone, x, y },
    });
  }

  /**
   * Walks the room's character (move intents at 10 Hz) until it is within `within` units of the
   * entity under network key `targetKey`; false when the target left the view (died, wandered off)
   * on the way.
   */
  async function walkTo(
    room: Room,
    targetKey: string,
    within: number,
    ms = 15_000,
  ): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (let seq = 1; Date.now() < deadline; seq++) {
      const me = positionIn(room, room.sessionId)!;
      const t = positionIn(room, targetKey);
      if (!t) {
        room.send("stop", { seq: 100_000 + seq });
        return false;
      }
      const dx = t.x - me.x;
      const dy = t.y - me.y;
      if (Math.hypot(dx, dy) <= within) {
        room.send("stop", { seq: 100_000 + seq });
        await sleep(100);
        return true;
      }
      room.send("move", { dx, dy, seq });
      await sleep(100);
    }
    throw new Error(`could not get within ${within} units`);
  }

  /** The network key of the slime nearest to the room's character. */
  function nearestSlime(room: Room): string | undefined {
    const me = positionIn(room, room.sessionId)!;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const [key, e] of entities(room)) {
      if (e.kind !== Kind.Mob || e.templateId !== "slime") continue;
      const at = positionIn(room, key)!;
      const distance = Math.hypot(at.x - me.x, at.y - me.y);
      if (distance < bestDistance) [best, bestDistance] = [key, distance];
    }
    return best;
  }

  type Refused = { action: string; reason: string };
  type Hit = { targetId: string; sourceId: string };

  /**
   * Walks next to a slime and casts `skillId` on it; walks again if the slime wandered out of
   * range meanwhile. Resolves with the slime's network key once the server says the skill went
   * off.
   */
  async function castOnSlime(room: Room, skillId: string): Promise<string> {
    const casted = collect<{ casterId: string; skillId: string }>(room, "casted");
    const refused = collect<Refused>(room, "refused");
    for (let attempt = 0; attempt < 5; attempt++) {
      const slime = nearestSlime(room);
      assert.ok(slime, "slimes in view");
      if (!(await walkTo(room, slime, 36))) continue;
      const before = { casted: casted.length, refused: refused.length };
      room.send("cast", { skillId, targetId: slime });
      const deadline = Date.now() + 2000;
      while (casted.length === before.casted && refused.length === before.refused) {
        if (Date.now() > deadline) throw new Error("no answer to cast");
        await sleep(20);
      }
      const mine = (c: { casterId: string; skillId: string }) =>
        c.casterId === room.sessionId && c.skillId === skillId;
      if (casted.slice(before.casted).some(mine)) return slime;
      const why = refused.slice(before.refused).map((r) => r.reason);
      assert.ok(
        why.every((r) => r === "OUT_OF_RANGE" || r === "NO_TARGET"),
        `refused: ${why.join(",")}`,
      );
    }
    throw new Error(`${skillId} never went off`);
  }

  it("shows two players in one zone to each other, and their moves", async () => {
    const a = await newPlayer(game.url);
    const b = await newPlayer(game.url);
    const roomA = await join(a);
    const roomB = await join(b);
    assert.equal(roomA.roomId, roomB.roomId, "same zone, same room");
    await waitFor(roomB, () => entities(roomB).has(roomA.sessionId), 5000, "B sees A");
    // Wire keys are short: a player is keyed by its session id, never by its character id.
    await waitFor(roomA, () => entities(roomA).has(roomB.sessionId), 5000, "A sees B");
    assert.equal(entities(roomB).get(roomA.sessionId)!.name, a.character.name, "A under its key");
    assert.equal(entities(roomA).get(roomB.sessionId)!.name, b.character.name, "B under its key");
    assert.equal(entities(roomB).has(a.characterId), false);
    const keys = [...entities(roomA).keys(), ...entities(roomB).keys()];
    assert.deepEqual(
      keys.filter((k) => UUID.test(k)),
      [],
      "no character id as an entity key",
    );
    assert.ok(
      keys.every((k) => k.length <= 20),
      `short keys: ${keys.join(",")}`,
    );
    for (const e of entities(roomB).values()) assert.equal("id" in e, false, "no id field");
    const startX = positionIn(roomB, roomA.sessionId)!.x;
    roomA.send("move", { dx: 1, dy: 0, seq: 1 });
    await waitFor(
      roomB,
      () => positionIn(roomB, roomA.sessionId)!.x > startX + 20,
      5000,
      "A moving on B's screen",
    );
    roomA.send("stop", { seq: 2 });
  });

  // Issue 13: owner-only figures travel in `self` messages to their owner alone.
  it("hides owner-only fields of other players", async () => {
    const a = await newPlayer(game.url);
    const b = await newPlayer(game.url);
    const roomA = await join(a);
    const roomB = await join(b);
    await waitFor(roomB, () => entities(roomB).has(roomA.sessionId), 5000, "B sees A");
    await until(() => selfOf(roomA).received, 2000, "A's self message");
    const selfA = selfOf(roomA);
    assert.ok(selfA.hp > 0 && selfA.hpMax >= selfA.hp, "A sees its own hp");
    const ownA = entities(roomA).get(roomA.sessionId)! as Record<string, unknown>;
    const seenByB = entities(roomB).get(roomA.sessionId)! as Record<string, unknown>;
    for (const owner of ["hp", "xp", "gold", "ackSeq", "cooldowns"]) {
      assert.equal(ownA[owner], undefined, `${owner} is not in the state`);
      assert.equal(seenByB[owner], undefined);
    }
    assert.equal(seenByB.name, ownA.name, "public fields arrive");
  });

  it("keeps a far-away player out of view until it walks near", async () => {
    const town = game.data.zones.get("town")!;
    const a = await newPlayer(game.url);
    const far = await newPlayer(game.url);
    await placeCharacter(far.characterId, "town", town.spawn.x - 600, town.spawn.y);
    const roomA = await join(a);
    const roomFar = await join(far);
    await sleep(300);
    assert.equal(
      entities(roomFar).has(roomA.sessionId),
      false,
      "600 units away is outside the 400 AOI",
    );
    assert.equal(entities(roomA).has(roomFar.sessionId), false);
    roomFar.send("move", { dx: 1, dy: 0, seq: 1 });
    await waitFor(
      roomFar,
      () => entities(roomFar).has(roomA.sessionId),
      8000,
      "far player sees A after walking",
    );
    roomFar.send("stop", { seq: 2 });
  });

  it("refuses a forged token, another account's character and a second login", async () => {
    const a = await newPlayer(game.url);
    const b = await newPlayer(game.url);
    const client = new Client(game.url);
    client.auth.token = "not.a.jwt";
    await assert.rejects(
      client.joinOrCreate("zone", { zone: "town", characterId: a.characterId }),
      /token/i,
    );

    const asB = new Client(game.url);
    asB.auth.token = b.token;
    await assert.rejects(
      asB.joinOrCreate("zone", { zone: "town", characterId: a.characterId }),
      /not found/i,
    );

    await join(a);
    const again = await fetch(`${game.url}/v1/world/join`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` },
      body: JSON.stringify({ characterId: a.characterId }),
    });
    assert.equal(again.status, 409);
    const direct = new Client(game.url);
    direct.auth.token = a.token;
    await assert.rejects(
      direct.joinOrCreate("zone", { zone: "town", characterId: a.characterId }),
      /already online/i,
    );
  });

  it("rejects NaN, huge and malformed moves without moving the player", async () => {
    const a = await newPlayer(game.url);
    const room = await join(a);
    const { x: x0, y: y0 } = entities(room).get(room.sessionId)!;
    const error = nextMessage<{ code: string }>(room, "error");
    room.send("move", { dx: Number.NaN, dy: 0, seq: 1 });
    assert.equal((await error).code, "INVALID_MESSAGE");
    room.send("move", { dx: 1e300, dy: 0, seq: 2 });
    room.send("move", { dx: "left", dy: 0, seq: 3 });
    room.send("move", { dx: 1, dy: 0, seq: 4, teleport: true });
    room.send("attack", { targetId: "x".repeat(500) });
    await sleep(300);
    const after = entities(room).get(room.sessionId)!;
    assert.equal(typeof x0, "number");
    assert.equal(after.x, x0);
    assert.equal(after.y, y0);
  });

  it("limits a flooding client and disconnects it, while others keep playing", async () => {
    const a = await newPlayer(game.url);
    const b = await newPlayer(game.url);
    const flooder = await join(a);
    const other = await join(b);
    const limited = nextMessage<{ code: string }>(flooder, "error", 5000);
    const left = new Promise<number>((resolve) => flooder.onLeave((code) => resolve(code)));
    for (let i = 0; i < 150; i++) flooder.send("stop", { seq: i });
    assert.equal((await limited).code, "RATE_LIMITED");
    for (let i = 0; i < 100; i++) flooder.send("move", { dx: Number.NaN, dy: 0, seq: i });
    assert.notEqual(await left, 4000, "the flooder is disconnected, not a consented leave");
    const x0 = positionIn(other, other.sessionId)!.x;
    other.send("move", { dx: 1, dy: 0, seq: 1 });
    await waitFor(
      other,
      () => positionIn(other, other.sessionId)!.x > x0 + 10,
      5000,
      "others still simulated",
    );
  });

  it("never moves a player faster than its move_speed", async () => {
    const a = await newPlayer(game.url);
    const room = await join(a);
    const { x: startX } = entities(room).get(room.sessionId)!;
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      room.send("move", { dx: 1000, dy: 0, seq: i + 1 });
      await sleep(100);
    }
    room.send("stop", { seq: 99 });
    await sleep(200);
    const elapsedSec = (Date.now() - t0) / 1000;
    const moved = entities(room).get(room.sessionId)!.x - startX;
    // move_speed is at most 12 points = 384 units/s; a level-1 human walks ~5.2 points.
    assert.ok(moved > 0, "it moved");
    assert.ok(moved <= 12 * 32 * elapsedSec, `moved ${moved} in ${elapsedSec}s`);
    assert.ok(
      moved <= 6 * 32 * elapsedSec,
      `a level-1 human walks at most ~6 points/s (moved ${moved})`,
    );
  });

  it("carries a character through a portal with its position, xp and gold", async () => {
    const town = game.data.zones.get("town")!;
    const portal = town.portals.find((p) => p.targetZone === "field")!;
    const a = await newPlayer(game.url);
    await placeCharacter(a.characterId, "town", portal.x, portal.y);
    await game.server.db.prisma.character.update({
      where: { id: a.characterId },
      data: { xp: 42, gold: 17 },
    });
    const room = await join(a);
    const transfer = nextMessage<{ zone: string; reservation: unknown }>(room, "transfer");
    room.send("portal", { portalId: portal.id });
    const { zone, reservation } = await transfer;
    assert.equal(zone, "field");
    const next = await new Client(game.url).consumeSeatReservation(reservation as never);
    selfOf(next);
    rooms.push(next);
    await room.leave(true);
    await waitFor(next, () => entities(next).has(next.sessionId), 5000, "own entity in field");
    const me = entities(next).get(next.sessionId)!;
    assert.equal(me.x, portal.targetX);
    assert.equal(me.y, portal.targetY);
    await until(() => selfOf(next).received, 2000, "self in field");
    assert.equal(selfOf(next).xp, 42);
    assert.equal(selfOf(next).gold, 17);
    const row = await game.server.db.prisma.character.findUnique({ where: { id: a.characterId } });
    assert.equal(row?.zone, "field");
  });

  it("gives a client whose socket dies during a portal hand-over its reservation on reconnect", async () => {
    const town = game.data.zones.get("town")!;
    const portal = town.portals.find((p) => p.targetZone === "field")!;
    const a = await newPlayer(game.url);
    await placeCharacter(a.characterId, "town", portal.x, portal.y);
    const room = await join(a);
    room.reconnection.minUptime = 0;
    const reconnected = new Promise<void>((resolve) => room.onReconnect(() => resolve()));
    // The socket dies exactly when the server sends the reservation: that message is lost.
    const serverRoom = matchMaker.getLocalRoomById(room.roomId);
    const serverClient = serverRoom.clients.find((c) => c.sessionId === room.sessionId)!;
    const send = serverClient.send.bind(serverClient);
    let lost = 0;
    serverClient.send = ((type: string | number, ...rest: unknown[]) => {
      if (type !== "transfer") return (send as (...args: unknown[]) => void)(type, ...rest);
      lost += 1;
      dropSocket(serverClient);
    }) as typeof serverClient.send;
    const transfer = nextMessage<{ zone: string; reservation: unknown }>(room, "transfer", 10_000);
    room.send("portal", { portalId: portal.id });
    await reconnected;
    const { zone, reservation } = await transfer;
    assert.equal(lost, 1, "the first transfer message went to the dead socket");
    assert.equal(zone, "field");
    const next = await new Client(game.url).consumeSeatReservation(reservation as never);
    selfOf(next);
    rooms.push(next);
    await room.leave(true);
    await waitFor(next, () => entities(next).has(next.sessionId), 5000, "own entity in field");
    assert.deepEqual(
      [entities(next).get(next.sessionId)!.x, entities(next).get(next.sessionId)!.y],
      [portal.targetX, portal.targetY],
    );
  });

  it("saves the position in the database when the player leaves", async () => {
    const a = await newPlayer(game.url);
    const room = await join(a);
    room.send("move", { dx: 0, dy: 1, seq: 1 });
    await sleep(500);
    room.send("stop", { seq: 2 });
    await stoppedIn(room, room.sessionId, 2);
    const seen = entities(room).get(room.sessionId)!;
    await room.leave(true);
    rooms.splice(rooms.indexOf(room), 1);
    let row = await game.server.db.prisma.character.findUnique({ where: { id: a.characterId } });
    for (let i = 0; i < 20 && row?.y !== seen.y; i++) {
      await sleep(100);
      row = await game.server.db.prisma.character.findUnique({ where: { id: a.characterId } });
    }
    // Clients see whole units; the database keeps the exact position.
    assert.ok(Math.abs(row!.y - seen.y) <= 0.5, `saved y ${row!.y} vs seen ${seen.y}`);
    assert.ok(row!.y > a.character.y);
  });

  it("resumes the same character after a dropped connection", async () => {
    const a = await newPlayer(game.url);
    const room = await join(a);
    const key = room.sessionId;
    room.reconnection.minUptime = 0; // the SDK only auto-reconnects rooms up for 5 s by default
    const reconnected = new Promise<void>((resolve) => room.onReconnect(() => resolve()));
    const dropped = new Promise<void>((resolve) => room.onDrop(() => resolve()));
    // Cut the socket on the server side without a close frame, as a network failure would.
    const serverRoom = matchMaker.getLocalRoomById(room.roomId);
    const serverClient = serverRoom.clients.find((c) => c.sessionId === room.sessionId);
    dropSocket(serverClient);
    await dropped;
    await reconnected;
    assert.equal(serverRoom.clients.length >= 1, true);
    assert.equal(room.sessionId, key, "reconnection keeps the session id");
    room.send("move", { dx: 1, dy: 0, seq: 5 });
    const x0 = positionIn(room, key)!.x;
    await waitFor(room, () => positionIn(room, key)!.x > x0 + 10, 5000, "moving after reconnect");
  });

  it("lets a warrior heavy_slash a slime: damaged arrives, mp drops, cooldown shows", async function () {
    this.timeout(60_000);
    const a = await newPlayer(game.url, "warrior");
    await placeCharacter(a.characterId, "field", 800, 1600);
    const room = await join(a);
    await waitFor(room, () => nearestSlime(room) !== undefined, 5000, "slimes");
    const damaged = collect<Hit>(room, "damaged");
    const missed = collect<Hit>(room, "missed");
    const self = selfOf(room);
    await until(() => self.received, 2000, "self");
    const mp0 = self.mp;
    const slimeKey = await castOnSlime(room, "heavy_slash");
    await waitFor(
      room,
      () => self.cooldowns.has("heavy_slash"),
      3000,
      "heavy_slash in the owner's cooldowns",
    );
    // On the wire: the tick it is ready at, so the time left is read against the state's tick.
    const tick = (room.state as { tick: number }).tick;
    const left = msUntilTick(self.cooldowns.get("heavy_slash")!, tick);
    assert.ok(left > 0 && left <= 6000, `heavy_slash ready in ${left} ms`);
    await waitFor(room, () => self.mp === mp0 - 10, 3000, "mp spent");
    const fromMe = (h: Hit) => h.sourceId === room.sessionId;
    const answered = () => damaged.some(fromMe) || missed.some(fromMe);
    await until(answered, 2000, "the slash to land or miss");
    assert.ok(
      damaged.some((h) => fromMe(h) && h.targetId === slimeKey) ||
        missed.some((h) => fromMe(h) && h.targetId === slimeKey),
      "the slash went to its target",
    );
    // A miss is a legal roll (hit chance ~85%): whirlwind, then heavy_slash again once ready.
    for (let round = 0; round < 4 && !damaged.some(fromMe); round++) {
      const skillId = round % 2 === 0 ? "whirlwind" : "heavy_slash";
      await until(() => !self.cooldowns.has(skillId), 8000, `${skillId} ready`);
      missed.length = 0;
      await castOnSlime(room, skillId);
      await until(answered, 2000, `${skillId} to land or miss`);
    }
    const hit = damaged.find(fromMe) as (Hit & { amount: number }) | undefined;
    assert.ok(hit, "a damaged notice from the caster");
    assert.ok(hit.amount > 0);
  });

  it("kills slimes to level 2, loots, and equips the looted cap after leaving", async function () {
    this.timeout(120_000);
    const a = await newPlayer(game.url, "warrior");
    await placeCharacter(a.characterId, "field", 800, 1600);
    // One slime short of level 2, so the first kill levels up.
    const needed = xpForLevel(1, game.data.content.leveling);
    await game.server.db.prisma.character.update({
      where: { id: a.characterId },
      data: { xp: needed - 1 },
    });
    const room = await join(a);
    const me = a.characterId;
    const myKey = room.sessionId;
    const own = () => entities(room).get(myKey)!;
    const leveled = collect<{ entityId: string; level: number; previousLevel: number }>(
      room,
      "leveledUp",
    );
    const died = collect<{ id: string; killerId: string | null; x: number; y: number }>(
      room,
      "died",
    );
    const looted = collect<{ itemId: string; quantity: number }>(room, "looted");
    await waitFor(room, () => nearestSlime(room) !== undefined, 5000, "slimes");
    const serverRoom = matchMaker.getLocalRoomById(room.roomId) as unknown as {
      sim: ZoneSimulation;
      sync: { idOf(key: string): string | undefined };
    };

    // Intents name entities by network key only: world ids (a mob's spawn id, a character id)
    // are unknown targets. Attacking the own character would be notAttackable, not noTarget.
    const first = nearestSlime(room)!;
    const slimeWorldId = serverRoom.sync.idOf(first)!;
    assert.ok(slimeWorldId && slimeWorldId !== first, `world id ${slimeWorldId} vs key ${first}`);
    for (const worldId of [slimeWorldId, me]) {
      const refused = nextMessage<{ action: string; reason: string }>(room, "refused");
      room.send("attack", { targetId: worldId });
      const no = await refused;
      assert.deepEqual([no.action, no.reason], ["attack", "noTarget"], worldId);
    }

    // Loot lands 24 units around the slime; other players' old drops may be in view too.
    const myDrops = () =>
      [...entities(room)].filter(
        ([, e]) =>
          e.kind === Kind.Drop &&
          died.some((d) => d.killerId === myKey && Math.hypot(d.x - e.x, d.y - e.y) < 40),
      );
    for (let tries = 0; tries < 10 && (leveled.length === 0 || myDrops().length === 0); tries++) {
      const slime = nearestSlime(room)!;
      if (!(await walkTo(room, slime, 40))) continue;
      room.send("attack", { targetId: slime });
      room.send("cast", { skillId: "heavy_slash", targetId: slime });
      const deadline = Date.now() + 20_000;
      while (!died.some((d) => d.id === slime) && Date.now() < deadline) await sleep(50);
      assert.ok(
        died.some((d) => d.id === slime && d.killerId === myKey),
        "the slime died",
      );
    }
    assert.deepEqual(
      leveled.filter((l) => l.entityId === myKey).map((l) => [l.previousLevel, l.level]),
      [[1, 2]],
    );
    await waitFor(room, () => own().level === 2, 2000, "level 2 on the own entity");

    // A cloth cap is a 2% drop: lay one down as if the last slime had dropped it.
    const lastKill = died.filter((d) => d.killerId === myKey).at(-1)!;
    addDrop(serverRoom.sim.world, {
      itemId: "cloth_cap",
      name: "Cloth Cap",
      quantity: 1,
      ownerId: me,
      x: lastKill.x,
      y: lastKill.y + 12,
      ttlMs: 60_000,
    });
    await waitFor(room, () => myDrops().some(([, d]) => d.templateId === "cloth_cap"), 3000, "cap");
    for (const [dropKey] of myDrops()) {
      await walkTo(room, dropKey, 48);
      const before = looted.length;
      room.send("pickup", { dropId: dropKey });
      const deadline = Date.now() + 5000;
      while (looted.length === before && Date.now() < deadline) await sleep(20);
    }
    assert.ok(looted.some((l) => l.itemId === "cloth_cap"));

    await room.leave(true);
    rooms.splice(rooms.indexOf(room), 1);
    const prisma = game.server.db.prisma;
    let row = await prisma.character.findUnique({ where: { id: me } });
    for (let i = 0; i < 30 && row?.level !== 2; i++) {
      await sleep(100);
      row = await prisma.character.findUnique({ where: { id: me } });
    }
    assert.equal(row?.level, 2);
    const bag = await prisma.inventoryItem.findMany({ where: { characterId: me } });
    const cap = bag.find((i) => i.itemId === "cloth_cap");
    assert.ok(cap, "the cap is saved in the inventory");
    for (const l of looted) assert.ok(bag.some((i) => i.itemId === l.itemId));

    const api = (method: string, path: string, body?: object) =>
      fetch(`${game.url}/v1/characters/${me}${path}`, {
        method,
        headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const statsBefore = await api("GET", "/stats");
    assert.equal(statsBefore.status, 200);
    const defenseOf = async (res: Response) =>
      ((await res.json()) as { snapshot: { Derived: Record<string, number> } }).snapshot.Derived
        .defense!;
    const defense0 = await defenseOf(statsBefore);
    let equipped = await api("POST", "/equip", { fromSlot: cap.slot });
    for (let i = 0; i < 30 && equipped.status === 409; i++) {
      await sleep(100); // the lock is released right after the save on leave
      equipped = await api("POST", "/equip", { fromSlot: cap.slot });
    }
    assert.equal(equipped.status, 200, await equipped.clone().text());
    const defense1 = await defenseOf(await api("GET", "/stats"));
    assert.equal(defense1, defense0 + 2, "the cap's +2 defense shows in the stats API");
  });

  it("talks to the elder, accepts his quest and sees it active", async () => {
    const elder = game.data.zones.get("town")!.npcs.find((n) => n.id === "npc-elder")!;
    const a = await newPlayer(game.url);
    await placeCharacter(a.characterId, "town", elder.x, elder.y + 50);
    const room = await join(a);
    type Menu = { npcId: string; name: string; quests: { id: string; status: string }[] };
    // An NPC's network key is its content id.
    await waitFor(room, () => entities(room).has(elder.id), 5000, "the elder under his content id");
    let menu = nextMessage<Menu>(room, "npc");
    room.send("interact", { npcId: elder.id });
    const first = await menu;
    assert.equal(first.npcId, elder.id);
    assert.deepEqual(first.quests, [
      { id: "dew_on_the_meadow", name: "Dew on the Meadow", status: "available" },
    ]);
    const accepted = nextMessage<{ questId: string; status: string }>(room, "questAccepted");
    room.send("acceptQuest", { questId: "dew_on_the_meadow" });
    const got = await accepted;
    assert.equal(got.questId, "dew_on_the_meadow");
    assert.equal(got.status, "active");
    menu = nextMessage<Menu>(room, "npc");
    room.send("interact", { npcId: elder.id });
    assert.equal((await menu).quests[0]?.status, "active");
    const refused = nextMessage<{ action: string; reason: string }>(room, "refused");
    room.send("turnInQuest", { questId: "dew_on_the_meadow" });
    const no = await refused;
    assert.deepEqual([no.action, no.reason], ["turnInQuest", "NOT_READY"]);
  });
});
