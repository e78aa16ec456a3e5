import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { LocalPresence } from "@colyseus/core";
import { Channels } from "../../src/infra/channels.ts";
import { createLogger } from "../../src/logger.ts";
import type { ArenaMatchPlan } from "../../src/arena/arena-queue-store.ts";
import {
  createArenaQueueService,
  MAX_QUEUE_WAIT_MS,
  type ArenaQueueDeps,
} from "../../src/arena/arena-queue.service.ts";
import { GameError } from "../../src/errors.ts";

type Player = { id: string; account: string; rating: number };

/** A queue service on an in-process presence, a fake clock and in-memory characters. */
function world(presence = new LocalPresence()) {
  let nowMs = 1_000_000;
  const players = new Map<string, Player>();
  const parties = new Map<string, { id: string; leader: string; members: string[] }>();
  const plans: ArenaMatchPlan[] = [];
  const found = new Map<string, unknown[]>();
  let failOpen = false;
  const deps = (): ArenaQueueDeps => ({
    presence,
    logger: createLogger("silent"),
    now: () => nowMs,
    accountsOf: async (ids) =>
      new Map(ids.filter((id) => players.has(id)).map((id) => [id, players.get(id)!.account])),
    ratingsOf: async (ids) => new Map(ids.map((id) => [id, players.get(id)?.rating ?? 1500])),
    parties: { partyOf: async (id) => parties.get(id) ?? null },
    openArena: async (plan) => {
      if (failOpen) throw new Error("no room");
      plans.push(plan);
      return new Map(plan.teams.flat().map((m) => [m.characterId, { seat: m.characterId }]));
    },
  });
  const player = (rating: number): Player => {
    const p = { id: randomUUID(), account: randomUUID(), rating };
    players.set(p.id, p);
    void presence.subscribe(Channels.player(p.id), (m: { type: string }) => {
      found.set(p.id, [...(found.get(p.id) ?? []), m]);
    });
    return p;
  };
  return {
    presence,
    plans,
    found,
    parties,
    player,
    deps,
    service: createArenaQueueService(deps()),
    advance: (ms: number) => (nowMs += ms),
    failOpening: (fail: boolean) => (failOpen = fail),
  };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (error) {
    return error instanceof GameError ? error.code : String(error);
  }
};

const matchedPairs = (plans: ArenaMatchPlan[]) =>
  plans.map((p) =>
    p.teams
      .map((t) => t.map((m) => m.characterId).join("+"))
      .sort()
      .join(" v "),
  );

describe("arena queue service (presence, fake clock)", () => {
  it("pairs the closest ratings first and leaves the far one waiting", async () => {
    const w = world();
    const [a, b, c] = [w.player(1500), w.player(1900), w.player(1520)];
    for (const p of [a, b, c]) await w.service.enqueue(p.account, p.id, "1v1");
    await w.service.tick();
    assert.deepEqual(matchedPairs(w.plans), [[a.id, c.id].sort().join(" v ")]);
    assert.equal((await w.service.status(b.account, b.id)).status, "queued");
    const status = await w.service.status(a.account, a.id);
    assert.equal(status.status, "matched");
    assert.deepEqual(status.status === "matched" && status.reservation, { seat: a.id });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      (w.found.get(c.id) as { type: string; matchId: string }[]).map((m) => m.type),
      ["arenaMatchFound"],
    );
  });

  it("widens the window with the time waited: 300 apart meet after 20 s", async () => {
    const w = world();
    const [a, b] = [w.player(1500), w.player(1800)];
    await w.service.enqueue(a.account, a.id, "1v1");
    await w.service.enqueue(b.account, b.id, "1v1");
    await w.service.tick();
    w.advance(19_999);
    await w.service.tick();
    assert.equal(w.plans.length, 0);
    const waiting = await w.service.status(a.account, a.id);
    assert.deepEqual(
      waiting.status === "queued" && [waiting.waitedMs, waiting.window],
      [19_999, 250],
    );
    w.advance(1);
    await w.service.tick();
    assert.equal(w.plans.length, 1);
  });

  it("refuses a second queue, another account's character and a leave when not queued", async () => {
    const w = world();
    const a = w.player(1500);
    await w.service.enqueue(a.account, a.id, "1v1");
    assert.equal(await codeOf(w.service.enqueue(a.account, a.id, "1v1")), "ARENA_BUSY");
    assert.equal(await codeOf(w.service.enqueue(a.account, a.id, "2v2")), "ARENA_BUSY");
    assert.equal(await codeOf(w.service.enqueue(randomUUID(), a.id, "1v1")), "CHARACTER_NOT_FOUND");
    await w.service.leave(a.account, a.id);
    assert.equal((await w.service.status(a.account, a.id)).status, "idle");
    assert.equal(await codeOf(w.service.leave(a.account, a.id)), "ARENA_NOT_QUEUED");
    assert.equal(await codeOf(w.service.enqueue(a.account, a.id, "1v1")), "ok");
  });

  it("queues a party of two for 2v2 through its leader only, and pairs two parties", async () => {
    const w = world();
    const [a, b, c, d, solo] = [1500, 1500, 1550, 1450, 1500].map((r) => w.player(r));
    assert.equal(
      await codeOf(w.service.enqueue(solo!.account, solo!.id, "2v2")),
      "ARENA_PARTY_REQUIRED",
    );
    const p1 = { id: "p1", leader: a!.id, members: [a!.id, b!.id] };
    const p2 = { id: "p2", leader: c!.id, members: [c!.id, d!.id] };
    for (const m of p1.members) w.parties.set(m, p1);
    for (const m of p2.members) w.parties.set(m, p2);
    assert.equal(await codeOf(w.service.enqueue(b!.account, b!.id, "2v2")), "ARENA_NOT_LEADER");
    await w.service.enqueue(a!.account, a!.id, "2v2");
    assert.equal((await w.service.status(b!.account, b!.id)).status, "queued");
    assert.equal(await codeOf(w.service.enqueue(b!.account, b!.id, "1v1")), "ARENA_BUSY");
    await w.service.enqueue(c!.account, c!.id, "2v2");
    await w.service.tick();
    assert.equal(w.plans.length, 1);
    assert.equal(w.plans[0]!.mode, "2v2");
    assert.deepEqual(
      w.plans[0]!.teams.map((t) => t.map((m) => m.characterId).sort()).sort(),
      [p1.members.sort(), p2.members.sort()].sort(),
    );
    // A member may take the whole party out.
    const e = w.player(1500);
    const f = w.player(1500);
    const p3 = { id: "p3", leader: e.id, members: [e.id, f.id] };
    w.parties.set(e.id, p3);
    w.parties.set(f.id, p3);
    await w.service.enqueue(e.account, e.id, "2v2");
    await w.service.leave(f.account, f.id);
    assert.equal((await w.service.status(e.account, e.id)).status, "idle");
  });

  it("runs one matcher per slot across processes sharing a presence: no double match", async () => {
    const presence = new LocalPresence();
    const one = world(presence);
    const two = world(presence);
    const players = [1500, 1510, 1600, 1620].map((r) => one.player(r));
    // A second service (process) on the same presence and characters, opening rooms of its own.
    const otherService = createArenaQueueService({
      ...one.deps(),
      openArena: two.deps().openArena,
    });
    await one.service.enqueue(players[0]!.account, players[0]!.id, "1v1");
    await otherService.enqueue(players[1]!.account, players[1]!.id, "1v1");
    await one.service.enqueue(players[2]!.account, players[2]!.id, "1v1");
    await otherService.enqueue(players[3]!.account, players[3]!.id, "1v1");
    await Promise.all([one.service.tick(), otherService.tick()]);
    const all = [...one.plans, ...two.plans];
    assert.equal(all.length, 2);
    assert.ok(one.plans.length === 2 || two.plans.length === 2, "one process matched this slot");
    const ids = all.flatMap((p) => p.teams.flat().map((m) => m.characterId));
    assert.equal(new Set(ids).size, 4);
  });

  it("queues both tickets again when the room cannot be opened, and expires old tickets", async () => {
    const w = world();
    const [a, b] = [w.player(1500), w.player(1500)];
    await w.service.enqueue(a.account, a.id, "1v1");
    await w.service.enqueue(b.account, b.id, "1v1");
    w.failOpening(true);
    await w.service.tick();
    assert.equal((await w.service.status(a.account, a.id)).status, "queued");
    w.failOpening(false);
    w.advance(MAX_QUEUE_WAIT_MS);
    await w.service.tick();
    assert.equal(w.plans.length, 0);
    assert.equal((await w.service.status(a.account, a.id)).status, "idle");
    assert.equal((await w.service.status(b.account, b.id)).status, "idle");
  });
});
