import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { rateTeams } from "../../src/game/arena/team-rating.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  positionIn,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;
type MatchFound = { matchId: string; mode: string; team: number; reservation: unknown };
type Result = {
  matchId: string;
  winner: number | null;
  reason: string;
  team: number;
  result: string;
  ratingBefore: number;
  ratingAfter: number;
};

describe("arena end to end (official @colyseus/sdk client)", function () {
  this.timeout(90_000);
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  afterEach(async () => {
    await Promise.all(
      rooms.splice(0).map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
    );
  });
  after(async () => game?.stop());

  async function api(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${game.url}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const codeOf = (res: { body: Record<string, unknown> }) =>
    (res.body.error as { code?: string } | undefined)?.code;

  const queue = (p: Player, mode = "1v1") =>
    api("POST", "/v1/arena/queue", p.token, { characterId: p.characterId, mode });

  async function inZone(p: Player) {
    const { room } = await enterWorld(game.url, p);
    rooms.push(room);
    await nextMessage(room, "welcome").catch(() => undefined);
    return room;
  }

  /** Both players queue from their zone rooms and get the match there; then they take the seats. */
  async function matchUp(a: Player, b: Player, onA: (room: Room) => void = () => undefined) {
    const [za, zb] = [await inZone(a), await inZone(b)];
    const foundA = nextMessage<MatchFound>(za, "arenaMatchFound", 15_000);
    const foundB = nextMessage<MatchFound>(zb, "arenaMatchFound", 15_000);
    assert.equal((await queue(a)).status, 201);
    assert.equal((await queue(b)).status, 201);
    const [ma, mb] = await Promise.all([foundA, foundB]);
    assert.equal(ma.matchId, mb.matchId);
    assert.notEqual(ma.team, mb.team);
    const polled = await api("GET", `/v1/arena/queue?characterId=${a.characterId}`, a.token);
    assert.equal(polled.body.status, "matched");
    assert.equal(polled.body.matchId, ma.matchId);
    await Promise.all([za.leave(true), zb.leave(true)]);
    const ra = await new Client(game.url).consumeSeatReservation(ma.reservation as never);
    onA(ra);
    const rb = await new Client(game.url).consumeSeatReservation(mb.reservation as never);
    rooms.push(ra, rb);
    return { ra, rb, ma, mb };
  }

  it("matches two queued players, counts down, rates the kill and sends both home", async () => {
    const a = await newPlayer(game.url, "warrior");
    const b = await newPlayer(game.url, "warrior");
    const prisma = game.server.db.prisma;
    await prisma.character.update({ where: { id: a.characterId }, data: { level: 40 } });
    await prisma.character.update({ where: { id: b.characterId }, data: { hp: 20 } });
    const counted: number[] = [];
    let started!: Promise<unknown>;
    const { ra, rb, ma } = await matchUp(a, b, (room) => {
      room.onMessage("arenaCountdown", (m: { seconds: number }) => void counted.push(m.seconds));
      started = nextMessage(room, "arenaStarted", 15_000);
    });
    const origin = await prisma.character.findUniqueOrThrow({
      where: { id: b.characterId },
      select: { zone: true, x: true, y: true, hp: true },
    });

    // Frozen during the countdown: a move is not applied.
    ra.send("move", { dx: 1, dy: 0, seq: 1 });
    await sleep(300);
    const before = positionIn(ra, ra.sessionId)!;
    await started;
    assert.deepEqual(counted, [5, 4, 3, 2, 1]);
    assert.ok(before.x < 512, "still at the start line during the countdown");

    const resultA = nextMessage<Result>(ra, "arenaResult", 40_000);
    const resultB = nextMessage<Result>(rb, "arenaResult", 40_000);
    const homeA = nextMessage<{ zone: string; reservation: unknown }>(ra, "transfer", 45_000);
    const homeB = nextMessage<{ zone: string; reservation: unknown }>(rb, "transfer", 45_000);
    // a walks up to b and attacks it.
    for (let seq = 2; seq < 200; seq++) {
      const me = positionIn(ra, ra.sessionId)!;
      const foe = positionIn(ra, rb.sessionId);
      if (foe && Math.abs(foe.x - me.x) < 48) break;
      ra.send("move", { dx: 1, dy: 0, seq });
      await sleep(50);
    }
    ra.send("stop", { seq: 500 });
    ra.send("attack", { targetId: rb.sessionId });
    const [resA, resB] = await Promise.all([resultA, resultB]);
    assert.equal(resA.reason, "death");
    assert.equal(resA.winner, ma.team);
    assert.deepEqual([resA.result, resB.result], ["win", "loss"]);
    assert.deepEqual([resA.ratingBefore, resB.ratingBefore], [1500, 1500]);
    const fresh = { rating: 1500, rd: 350, volatility: 0.06, idlePeriods: 0 };
    const expected = rateTeams([fresh], [fresh], 1);
    assert.equal(resA.ratingAfter, Math.round(expected.a[0]!.rating));
    assert.equal(resB.ratingAfter, Math.round(expected.b[0]!.rating));
    assert.ok(resA.ratingAfter > 1500 && resB.ratingAfter < 1500);

    const [ta, tb] = await Promise.all([homeA, homeB]);
    assert.equal(ta.zone, "town");
    assert.equal(tb.zone, origin.zone);
    const saved = await prisma.character.findUniqueOrThrow({
      where: { id: b.characterId },
      select: { zone: true, x: true, y: true, hp: true },
    });
    assert.deepEqual(saved, origin, "the loser is saved where and as it was before the arena");
    const back = await new Client(game.url).consumeSeatReservation(tb.reservation as never);
    rooms.push(back);
    await nextMessage(back, "welcome", 5_000).catch(() => undefined);

    const profile = await api("GET", `/v1/characters/${a.characterId}/arena`, a.token);
    assert.equal(profile.status, 200);
    assert.equal(profile.body.rating, resA.ratingAfter);
    assert.equal(profile.body.wins, 1);
    const history = profile.body.history as {
      result: string;
      opponents: { characterId: string }[];
    }[];
    assert.equal(history.length, 1);
    assert.equal(history[0]!.result, "win");
    assert.equal(history[0]!.opponents[0]!.characterId, b.characterId);
    const other = await api("GET", `/v1/characters/${a.characterId}/arena`, b.token);
    assert.equal(other.status, 404);
    const loser = await api("GET", `/v1/characters/${b.characterId}/arena`, b.token);
    assert.deepEqual([loser.body.losses, loser.body.rating], [1, resB.ratingAfter]);
    // Both may queue again.
    assert.equal((await queue(a)).status, 201);
    assert.equal(
      (await api("DELETE", `/v1/arena/queue?characterId=${a.characterId}`, a.token)).status,
      204,
    );
  });

  it("makes a player who leaves the arena lose", async () => {
    const c = await newPlayer(game.url);
    const d = await newPlayer(game.url);
    let countdown!: Promise<unknown>;
    const { ra, rb } = await matchUp(c, d, (room) => {
      countdown = nextMessage(room, "arenaCountdown", 10_000);
    });
    await countdown;
    const result = nextMessage<Result>(rb, "arenaResult", 20_000);
    await ra.leave(true);
    const r = await result;
    assert.deepEqual([r.reason, r.result], ["leaver", "win"]);
    const profile = await api("GET", `/v1/characters/${c.characterId}/arena`, c.token);
    assert.equal(profile.body.losses, 1);
    const row = await game.server.db.prisma.character.findUniqueOrThrow({
      where: { id: c.characterId },
      select: { zone: true },
    });
    assert.equal(row.zone, "town", "the leaver is saved where it came from");
  });

  it("plays 2v2 between two parties queued by their leaders; a team that leaves loses", async () => {
    const players = await Promise.all([1, 2, 3, 4].map(() => newPlayer(game.url)));
    const zones = [];
    for (const p of players) zones.push(await inZone(p));
    const [, m1, , m2] = players as [Player, Player, Player, Player];
    const [zl1, zm1, zl2, zm2] = zones as [Room, Room, Room, Room];
    for (const [member, zl, zm] of [
      [m1, zl1, zm1],
      [m2, zl2, zm2],
    ] as const) {
      const invited = nextMessage<{ partyId: string }>(zm, "partyInvited");
      zl.send("partyInvite", { name: member.character.name });
      const party = nextMessage<{ party: { members: unknown[] } | null }>(zl, "party");
      zm.send("partyAccept", { partyId: (await invited).partyId });
      await party;
      await sleep(100);
      // Only the leader queues the party.
      const refused = nextMessage<{ code: string }>(zm, "arenaRefused");
      zm.send("arenaQueue", { mode: "2v2" });
      assert.equal((await refused).code, "ARENA_NOT_LEADER");
    }
    const found = zones.map((z) => nextMessage<MatchFound>(z, "arenaMatchFound", 15_000));
    zl1.send("arenaQueue", { mode: "2v2" });
    zl2.send("arenaQueue", { mode: "2v2" });
    const matches = await Promise.all(found);
    assert.equal(new Set(matches.map((m) => m.matchId)).size, 1);
    assert.equal(matches[0]!.team, matches[1]!.team, "party mates share a team");
    assert.equal(matches[2]!.team, matches[3]!.team);
    assert.notEqual(matches[0]!.team, matches[2]!.team);
    await Promise.all(zones.map((z) => z.leave(true)));
    const arena: Room[] = [];
    for (const m of matches) {
      arena.push(await new Client(game.url).consumeSeatReservation(m.reservation as never));
    }
    rooms.push(...arena);
    await nextMessage(arena[3]!, "arenaCountdown", 10_000);
    const result = nextMessage<Result>(arena[3]!, "arenaResult", 20_000);
    await arena[0]!.leave(true);
    const r = await result;
    assert.deepEqual([r.reason, r.result, r.winner], ["leaver", "win", matches[3]!.team]);
    const rating = async (p: Player) =>
      (await api("GET", `/v1/characters/${p.characterId}/arena`, p.token)).body;
    const after = await Promise.all(players.map(rating));
    assert.deepEqual(
      after.map((a) => [a.wins, a.losses]),
      [
        [0, 1],
        [0, 1],
        [1, 0],
        [1, 0],
      ],
    );
    const fresh = { rating: 1500, rd: 350, volatility: 0.06, idlePeriods: 0 };
    const expected = rateTeams([fresh, fresh], [fresh, fresh], 0);
    assert.deepEqual(
      after.map((a) => a.rating),
      [expected.a[0]!, expected.a[1]!, expected.b[0]!, expected.b[1]!].map((x) =>
        Math.round(x.rating),
      ),
    );
  });

  it("refuses a second queue, another's character, 2v2 without a party and a bad mode", async () => {
    const e = await newPlayer(game.url);
    const f = await newPlayer(game.url);
    const twoVtwo = await queue(e, "2v2");
    assert.deepEqual([twoVtwo.status, codeOf(twoVtwo)], [409, "ARENA_PARTY_REQUIRED"]);
    const bad = await queue(e, "3v3");
    assert.equal(bad.status, 400);
    const details = (bad.body.error as { details: { path: string }[] }).details;
    assert.deepEqual(
      details.map((d) => d.path),
      ["mode"],
    );
    const notMine = await api("POST", "/v1/arena/queue", f.token, {
      characterId: e.characterId,
      mode: "1v1",
    });
    assert.equal(notMine.status, 404);
    assert.equal((await queue(e)).status, 201);
    const twice = await queue(e);
    assert.deepEqual([twice.status, codeOf(twice)], [409, "ARENA_BUSY"]);
    const left = await api("DELETE", "/v1/arena/queue", e.token, { characterId: e.characterId });
    assert.equal(left.status, 204);
    const again = await api("DELETE", "/v1/arena/queue", e.token, { characterId: e.characterId });
    assert.deepEqual([again.status, codeOf(again)], [409, "ARENA_NOT_QUEUED"]);
    const status = await api("GET", `/v1/arena/queue?characterId=${e.characterId}`, e.token);
    assert.deepEqual(status.body, { status: "idle" });
  });

  it("queues and leaves from the zone room with arenaQueue / arenaLeave", async () => {
    const g = await newPlayer(game.url);
    const room = await inZone(g);
    const refused = nextMessage<{ code: string }>(room, "arenaRefused");
    room.send("arenaQueue", { mode: "4v4" });
    assert.equal((await refused).code, "INVALID_MESSAGE");
    const queued = nextMessage<{ status: string; mode: string }>(room, "arenaQueued");
    room.send("arenaQueue", { mode: "1v1" });
    assert.deepEqual(await queued, { ...(await queued), status: "queued", mode: "1v1" });
    const left = nextMessage<{ mode: string }>(room, "arenaQueueLeft");
    room.send("arenaLeave", {});
    assert.equal((await left).mode, "1v1");
    const busy = nextMessage<{ code: string }>(room, "arenaRefused");
    room.send("arenaLeave", {});
    assert.equal((await busy).code, "ARENA_NOT_QUEUED");
  });
});
