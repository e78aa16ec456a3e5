import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import { entityById } from "../../src/game/world/world.ts";
import {
  EntityKind,
  MobState,
  type MobEntity,
  type PlayerEntity,
} from "../../src/game/world/world-types.ts";
import { placeAt } from "../../src/zone/sim-test-helpers.ts";
import type { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
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
} from "../helpers/game-server.ts";

type Member = { name: string; level: number; hpRatio: number; zone: string; online: boolean };
type PartyView = { id: string; leader: string; members: Member[] };
type Chat = { channel: string; from: string; text: string; to?: string };

const entities = (room: Room) =>
  (room.state as { entities?: Map<string, unknown> } | undefined)?.entities;

const simOf = (room: Room) =>
  (matchMaker.getLocalRoomById(room.roomId) as unknown as { sim: ZoneSimulation }).sim;

describe("parties (embedded defaults, official @colyseus/sdk clients)", function () {
  this.timeout(90_000);
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

  type Joined = Awaited<ReturnType<typeof joined>>;

  async function joined(zone = "town", x = 768, y = 800) {
    const player = await newPlayer(game.url);
    await game.server.db.prisma.character.update({
      where: { id: player.characterId },
      data: { zone, x, y },
    });
    const { room } = await enterWorld(game.url, player);
    rooms.push(room);
    await waitFor(room, () => entities(room)?.has(room.sessionId) ?? false, 5000, "own entity");
    await sleep(150);
    const parties = collect<PartyView | null>(room, "party");
    return {
      ...player,
      name: player.character.name,
      room,
      parties,
      party: () => parties.at(-1),
      errors: collect<{ code: string; message: string }>(room, "partyError"),
      invites: collect<{ partyId: string; from: string }>(room, "partyInvited"),
      chats: collect<Chat>(room, "chat"),
    };
  }

  const names = (p: PartyView | null | undefined) => p?.members.map((m) => m.name) ?? [];

  /** `leader` invites each of `members`, who accept; resolves with the party id. */
  async function formParty(leader: Joined, ...members: Joined[]): Promise<string> {
    let partyId = "";
    for (const m of members) {
      const before = m.invites.length;
      leader.room.send("partyInvite", { name: m.name });
      await until(() => m.invites.length > before, 3000, `${m.name} invited`);
      partyId = m.invites.at(-1)!.partyId;
      m.room.send("partyAccept", { partyId });
      await until(() => names(leader.party()).includes(m.name), 3000, `${m.name} in the party`);
    }
    return partyId;
  }

  it("invites, accepts, declines, promotes, kicks and leaves, with each snapshot's values", async () => {
    const a = await joined("town");
    const b = await joined("field", 300, 2048);
    const c = await joined("town");

    a.room.send("partyInvite", { name: b.name });
    await until(() => b.invites.length === 1, 3000, "the invitation");
    const { partyId, from } = b.invites[0]!;
    assert.equal(from, a.name);
    b.room.send("partyAccept", { partyId });
    await until(() => names(b.party()).length === 2, 3000, "b's snapshot");
    await until(() => names(a.party()).length === 2, 3000, "a's snapshot");
    for (const view of [a.party()!, b.party()!]) {
      assert.equal(view.id, partyId);
      assert.equal(view.leader, a.name);
      assert.deepEqual(names(view), [a.name, b.name]);
    }
    await until(() => b.party()!.members[1]!.zone === "field", 3000, "b's zone reported");
    assert.deepEqual(b.party()!.members[1], {
      name: b.name,
      level: 1,
      hpRatio: 1,
      zone: "field",
      online: true,
    });
    assert.equal(a.party()!.members[0]!.zone, "town");

    // Decline, then accepting the declined invitation is refused.
    a.room.send("partyInvite", { name: c.name });
    await until(() => c.invites.length === 1, 3000, "c invited");
    c.room.send("partyDecline", { partyId });
    await sleep(200);
    c.room.send("partyAccept", { partyId });
    await until(() => c.errors.length === 1, 3000, "refused");
    assert.equal(c.errors[0]!.code, "NO_PARTY_INVITE");
    assert.ok(!names(a.party()).includes(c.name));

    // Only the leader kicks or promotes; promote passes the lead.
    b.room.send("partyKick", { name: a.name });
    await until(() => b.errors.length === 1, 3000, "b refused");
    assert.equal(b.errors[0]!.code, "NOT_PARTY_LEADER");
    a.room.send("partyPromote", { name: b.name });
    await until(() => a.party()?.leader === b.name, 3000, "b leads");
    await until(() => b.party()?.leader === b.name, 3000, "b knows it leads");

    // The new leader kicks a: a's client is told it has no party.
    b.room.send("partyKick", { name: a.name });
    await until(() => a.party() === null, 3000, "a out");
    await until(() => names(b.party()).length === 1, 3000, "b alone");
    a.room.send("chat", { channel: "party", text: "still here?" });
    const refused = await nextMessage<{ code: string }>(a.room, "chatError");
    assert.equal(refused.code, "NOT_IN_PARTY");

    // The last member leaves: the party is gone.
    b.room.send("partyLeave");
    await until(() => b.party() === null, 3000, "party gone");
    b.room.send("partyLeave");
    await until(() => b.errors.length === 2, 3000, "not in a party any more");
    assert.equal(b.errors[1]!.code, "NOT_IN_PARTY");
    // Malformed party messages are refused, never kicked.
    for (const bad of [null, "x", 42, { name: 7 }, { partyId: ["x"] }]) {
      b.room.send("partyInvite", bad);
      b.room.send("partyAccept", bad);
    }
    await sleep(300);
    assert.equal(b.room.connection.isOpen, true);
  });

  it("reports a member's hp to the party within about a second", async () => {
    const a = await joined("town");
    const b = await joined("field", 300, 2048);
    await formParty(a, b);
    const hero = entityById(simOf(b.room).world, b.characterId) as PlayerEntity;
    const changedAt = Date.now();
    hero.hp = Math.round(hero.hpMax / 4);
    await until(
      // A quarter, give or take a tick of regeneration.
      () => (a.party()?.members.find((m) => m.name === b.name)?.hpRatio ?? 1) < 0.3,
      2000,
      "b's hp on a's party frame",
    );
    const ms = Date.now() - changedAt;
    // Reported once a second; the slack is for a loaded test machine.
    assert.ok(ms <= 1800, `seen after ${ms} ms`);
  });

  it("passes the lead to the next member when the leader leaves, and holds five at most", async () => {
    const [a, b, c, d, e, f] = await Promise.all([
      joined("town"),
      joined("town"),
      joined("field", 300, 2048),
      joined("town"),
      joined("town"),
      joined("town"),
    ]);
    await formParty(a, b, c, d, e);
    assert.deepEqual(names(a.party()), [a.name, b.name, c.name, d.name, e.name]);
    a.room.send("partyInvite", { name: f.name });
    await until(() => a.errors.length === 1, 3000, "refused");
    assert.equal(a.errors[0]!.code, "PARTY_FULL");
    assert.equal(f.invites.length, 0);

    a.room.send("partyLeave");
    await until(() => a.party() === null, 3000, "a told it left");
    await until(() => c.party()?.leader === b.name, 3000, "b leads (next in join order)");
    assert.deepEqual(names(c.party()), [b.name, c.name, d.name, e.name]);
    b.room.send("partyLeave");
    await until(() => d.party()?.leader === c.name, 3000, "then c");
  });

  it("keeps a disconnected member offline for the grace period, then removes them", async () => {
    const a = await joined("town");
    const b = await joined("town");
    const partyId = await formParty(a, b);
    await b.room.leave(true);
    rooms.splice(rooms.indexOf(b.room), 1);
    await until(
      () => a.party()?.members.find((m) => m.name === b.name)?.online === false,
      3000,
      "b offline",
    );
    assert.deepEqual(names(a.party()), [a.name, b.name], "still in the party during the grace");
    // Age the disconnect past the 60 s grace instead of waiting for it.
    const key = `mmo:party-status:${partyId}`;
    const status = JSON.parse((await matchMaker.presence.hget(key, b.characterId))!);
    await matchMaker.presence.hset(
      key,
      b.characterId,
      JSON.stringify({ ...status, offlineSince: Date.now() - 61_000 }),
    );
    // Any status change carries the new deadline to the rooms holding members.
    const me = entityById(simOf(a.room).world, a.characterId) as PlayerEntity;
    me.hp = Math.round(me.hpMax / 2);
    await until(() => names(a.party()).length === 1, 5000, "b removed after the grace");
    assert.equal(a.party()!.leader, a.name);
  });

  it("shares kill XP with a party member nearby who dealt no damage", async () => {
    const a = await joined("field", 800, 1600);
    const b = await joined("field", 820, 1600);
    assert.equal(a.room.roomId, b.room.roomId);
    await formParty(a, b);
    await sleep(300);
    const sim = simOf(a.room);
    const slime = sim.world.mobs.find(
      (m): m is MobEntity =>
        m.kind === EntityKind.Mob &&
        m.templateId === "slime" &&
        m.hp > 0 &&
        (m.state === MobState.Idle || m.state === MobState.Wander),
    )!;
    const xpA = collect<{ amount: number }>(a.room, "xpGained");
    const xpB = collect<{ amount: number }>(b.room, "xpGained");
    for (const [p, dx] of [
      [a, 20],
      [b, 60],
    ] as const) {
      placeAt(
        sim.world,
        entityById(sim.world, p.characterId) as PlayerEntity,
        slime.x + dx,
        slime.y,
      );
    }
    // A slime that starts to leash (it ran after someone earlier) takes no damage and heals:
    // keep it at 1 hp and the attack queued until it dies.
    const strike = setInterval(() => {
      if (slime.hp <= 0) return;
      slime.hp = 1;
      sim.queue({ type: "attack", playerId: a.characterId, targetId: slime.id });
    }, 250);
    try {
      slime.hp = 1;
      sim.queue({ type: "attack", playerId: a.characterId, targetId: slime.id });
      await until(() => xpA.length > 0 && xpB.length > 0, 8000, "both gain xp");
    } finally {
      clearInterval(strike);
    }
    const slimeXp = game.data.content.mobs.get("slime")!.xp;
    assert.equal(xpA[0]!.amount + xpB[0]!.amount, slimeXp);
    assert.ok(xpB[0]!.amount > 0, "the member who did no damage shares");
  });

  it("sends a party through a dungeon portal into one instance, and a stranger into another", async () => {
    const field = game.data.zones.get("field")!;
    const portal = field.portals.find((p) => p.targetZone === "crypt")!;
    const a = await joined("field", portal.x, portal.y);
    const b = await joined("field", portal.x, portal.y);
    const stranger = await joined("field", portal.x, portal.y);
    await formParty(a, b);
    const landed: Room[] = [];
    for (const p of [a, b, stranger]) {
      const transfer = nextMessage<{ zone: string; reservation: { roomId: string } }>(
        p.room,
        "transfer",
      );
      p.room.send("portal", { portalId: portal.id });
      const { zone, reservation } = await transfer;
      assert.equal(zone, "crypt");
      const next = await new Client(game.url).consumeSeatReservation(reservation as never);
      rooms.push(next);
      landed.push(next);
    }
    assert.equal(landed[0]!.roomId, landed[1]!.roomId, "the party shares an instance");
    assert.notEqual(landed[2]!.roomId, landed[0]!.roomId, "a stranger gets their own");
  });

  it("delivers whispers to a player crossing a portal exactly once", async () => {
    const town = game.data.zones.get("town")!;
    const portal = town.portals.find((p) => p.targetZone === "field")!;
    const traveller = await joined("town", portal.x, portal.y);
    const senders = await Promise.all([1, 2, 3, 4].map(() => joined("town")));
    let sending = true;
    const sent = senders.map(async (s, k) => {
      for (let i = 0; sending; i++) {
        s.room.send("chat", { channel: "whisper", to: traveller.name, text: `w${k}-${i}` });
        await sleep(120);
      }
    });
    await sleep(300);
    const transfer = nextMessage<{ reservation: unknown }>(traveller.room, "transfer");
    traveller.room.send("portal", { portalId: portal.id });
    const { reservation } = await transfer;
    // Take a while to land: what is sent meanwhile waits in the held list.
    await sleep(600);
    const next = await new Client(game.url).consumeSeatReservation(reservation as never);
    rooms.push(next);
    const landedChats = collect<Chat>(next, "chat");
    await traveller.room.leave(true);
    rooms.splice(rooms.indexOf(traveller.room), 1);
    await sleep(800);
    sending = false;
    await Promise.all(sent);
    await sleep(1500);
    // What the senders had accepted: their echoes (the rest came back RATE_LIMITED).
    const accepted = senders.flatMap((s) =>
      s.chats.filter((c) => c.channel === "whisper" && c.to === traveller.name).map((c) => c.text),
    );
    const got = [...traveller.chats, ...landedChats].map((c) => c.text);
    assert.ok(landedChats.length > 0 && traveller.chats.length > 0, "before and after the portal");
    assert.ok(accepted.length >= 15, `enough whispers around the portal (${accepted.length})`);
    assert.deepEqual([...got].sort(), [...accepted].sort(), "every whisper exactly once");
  });
});
