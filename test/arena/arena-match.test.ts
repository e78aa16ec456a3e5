import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import type { ArenaMatchPlan } from "../../src/arena/arena-queue-store.ts";
import type { MatchResultInput } from "../../src/arena/arena-ratings.service.ts";
import type { ArenaServices } from "../../src/arena/arena-services.ts";
import { createLogger } from "../../src/logger.ts";
import { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { noticesOf, testRecord } from "../../src/zone/sim-test-helpers.ts";
import type { SimNotice } from "../../src/zone/sim-types.ts";
import { ArenaMatch, RESULT_PAUSE_MS } from "../../rooms/arena-match.ts";

const TIMING = { joinTimeoutMs: 3_000, countdownMs: 2_000, fightMs: 4_000, leaverGraceMs: 1_000 };
const TICK_MS = 50;

/** An arena match on a real simulation, driven by a manual clock (no room, no network). */
describe("arena match (room-side rules on the zone simulation)", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function setup() {
    const sim = new ZoneSimulation(data.zones.get("arena")!, data, 11, () => 0);
    const plan: ArenaMatchPlan = {
      matchId: "00000000-0000-4000-8000-000000000001",
      mode: "1v1",
      teams: [
        [{ characterId: "a", accountId: "acc-a", rating: 1500 }],
        [{ characterId: "b", accountId: "acc-b", rating: 1500 }],
      ],
      createdAtMs: 0,
    };
    const recorded: MatchResultInput[] = [];
    const released: string[] = [];
    const sent: { to: string; type: string; payload: Record<string, unknown> }[] = [];
    const notices: SimNotice[] = [];
    const handedOver = new Map<string, ReturnType<ZoneSimulation["leave"]>>();
    let now = 0;
    const timers: { at: number; fn: () => void; every?: number }[] = [];
    const arena = {
      ratings: {
        recordMatch: async (input: MatchResultInput) => {
          recorded.push(input);
          return input.participants.map((p) => ({
            characterId: p.characterId,
            team: p.team,
            result: input.winner === null ? "draw" : input.winner === p.team ? "win" : "loss",
            ratingBefore: 1500,
            ratingAfter: input.winner === p.team ? 1600 : 1400,
            rdBefore: 350,
            rdAfter: 300,
          }));
        },
      },
      queue: { releaseMatch: async (ids: string[]) => void released.push(...ids) },
    } as unknown as ArenaServices;
    const match = new ArenaMatch({
      plan,
      zone: data.zones.get("arena")!,
      sim,
      arena,
      log: createLogger("silent"),
      timing: TIMING,
      send: (to, type, payload) => void sent.push({ to, type, payload: payload as never }),
      later: (fn, ms) => void timers.push({ at: now + ms, fn }),
      every: (fn, ms) => void timers.push({ at: now + ms, fn, every: ms }),
    });
    const arrive = (id: string, level = 1) => {
      const record = testRecord(id, "town", 700, 800, { level, hp: 30, mp: 7 });
      match.rememberOrigin(record);
      assert.ok(sim.join(record).ok);
      match.arrived(id);
    };
    /** Runs the simulation and the clock for `ms`, then lets async work settle. */
    const advance = async (ms: number) => {
      for (let t = 0; t < ms; t += TICK_MS) {
        const stepped = sim.step(TICK_MS);
        notices.push(...stepped);
        // As the room does: a portalEntered hands the player over, reading its record now.
        for (const n of noticesOf(stepped, "portalEntered")) {
          handedOver.set(n.characterId, sim.leave(n.characterId));
        }
        now += TICK_MS;
        for (const timer of [...timers]) {
          if (timer.at > now) continue;
          if (timer.every) timer.at += timer.every;
          else timers.splice(timers.indexOf(timer), 1);
          timer.fn();
        }
        await new Promise((r) => setImmediate(r));
      }
    };
    const of = (type: string, to?: string) =>
      sent
        .filter((s) => s.type === type && (to === undefined || s.to === to))
        .map((s) => s.payload);
    return { sim, match, arrive, advance, of, recorded, released, notices, handedOver };
  }

  it("counts down with actions frozen, then ends at the time-out by damage dealt", async () => {
    const t = setup();
    t.arrive("a", 20);
    t.arrive("b", 20);
    // Adjacent, then a attacks during the countdown: ignored.
    const b = t.sim.world.players.find((p) => p.id === "b")!;
    t.sim.placePlayer("b", 460, 256, 1e9, 1e9);
    t.sim.placePlayer("a", 420, 256, 1e9, 1e9);
    t.sim.queue({ type: "attack", playerId: "a", targetId: "b" });
    await t.advance(1_000);
    assert.deepEqual(
      t.of("arenaCountdown", "a").map((m) => m.seconds),
      [2, 1],
    );
    assert.equal(noticesOf(t.notices, "damaged").length, 0, "nothing lands in the countdown");
    await t.advance(1_100);
    assert.equal(t.of("arenaStarted", "a").length, 1);
    t.sim.queue({ type: "attack", playerId: "a", targetId: "b" });
    await t.advance(TIMING.fightMs);
    assert.ok(b.hp < b.hpMax, "b took damage in the fight");
    assert.equal(t.recorded.length, 1);
    const rec = t.recorded[0]!;
    assert.deepEqual([rec.reason, rec.winner], ["timeout", 0]);
    const dealt = rec.participants.find((p) => p.characterId === "a")!.damageDealt;
    const hits = noticesOf(t.notices, "damaged").filter((n) => n.sourceId === "a");
    assert.equal(
      dealt,
      hits.reduce((sum, n) => sum + n.amount, 0),
    );
    assert.ok(dealt > 0);
    assert.deepEqual(t.of("arenaResult", "a")[0], {
      matchId: rec.matchId,
      winner: 0,
      reason: "timeout",
      team: 0,
      result: "win",
      ratingBefore: 1500,
      ratingAfter: 1600,
    });
    assert.deepEqual(t.released.sort(), ["a", "b"]);
    await t.advance(RESULT_PAUSE_MS + 100);
    const home = noticesOf(t.notices, "portalEntered");
    assert.deepEqual(home.map((n) => [n.characterId, n.targetZone, n.x, n.y]).sort(), [
      ["a", "town", 700, 800],
      ["b", "town", 700, 800],
    ]);
    const left = t.handedOver.get("b")!.character;
    assert.deepEqual([left.hp, left.mp], [30, 7], "handed over with the hp and mp it came with");
    // What a save while in the arena writes: where and as it came.
    const during = t.match.persisted({
      ...t.handedOver.get("b")!,
      character: { ...left, zone: "arena", x: 1, y: 2, hp: 3, mp: 4 },
    }).character;
    assert.deepEqual(
      [during.zone, during.x, during.y, during.hp, during.mp],
      ["town", 700, 800, 30, 7],
    );
  });

  it("forfeits a player dropped past the grace, not one back in time", async () => {
    const t = setup();
    t.arrive("a");
    t.arrive("b");
    await t.advance(TIMING.countdownMs + 100);
    t.match.dropped("a");
    await t.advance(TIMING.leaverGraceMs / 2);
    t.match.reconnected("a");
    await t.advance(TIMING.leaverGraceMs);
    assert.equal(t.recorded.length, 0);
    t.match.dropped("b");
    await t.advance(TIMING.leaverGraceMs + 100);
    assert.deepEqual(
      t.recorded.map((r) => [r.reason, r.winner]),
      [["leaver", 0]],
    );
  });

  it("is abandoned unrated when the server goes down", async () => {
    const t = setup();
    t.arrive("a");
    t.arrive("b");
    await t.advance(TIMING.countdownMs + 100);
    t.match.abandon("server shutting down");
    t.match.left("a");
    await t.advance(500);
    assert.equal(t.recorded.length, 0);
    assert.deepEqual(t.released.sort(), ["a", "b"]);
  });

  it("ends by death and counts a no-show as a leaver; a match nobody came to is void", async () => {
    const t = setup();
    t.arrive("a", 40);
    await t.advance(TIMING.joinTimeoutMs + 100);
    assert.deepEqual(
      t.recorded.map((r) => [r.reason, r.winner]),
      [["leaver", 0]],
    );
    const v = setup();
    await v.advance(TIMING.joinTimeoutMs + 100);
    assert.equal(v.recorded.length, 0);
    assert.deepEqual(v.released.sort(), ["a", "b"]);

    const d = setup();
    d.arrive("a", 40);
    d.arrive("b", 1);
    d.sim.placePlayer("b", 460, 256, 1e9, 1e9);
    d.sim.placePlayer("a", 420, 256, 1e9, 1e9);
    await d.advance(TIMING.countdownMs + 100);
    d.sim.queue({ type: "attack", playerId: "a", targetId: "b" });
    await d.advance(TIMING.fightMs - 500);
    assert.deepEqual(
      d.recorded.map((r) => [r.reason, r.winner]),
      [["death", 0]],
    );
  });
});
