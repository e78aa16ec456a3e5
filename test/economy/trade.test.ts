import assert from "node:assert/strict";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import { selfOf, sleep, startTestGame, waitFor, type TestGame } from "../helpers/game-server.ts";
import { roomServices } from "../../rooms/room-services.ts";
import { tradeFeature } from "../../rooms/trade-feature.ts";
import {
  TradeDesk,
  type TradeDeskDeps,
  type TradeStatus,
} from "../../src/economy/trade/trade-desk.ts";
import {
  joinTrader,
  openTradeBetween,
  restInventory,
  totalsOf,
  type Seed,
  type TradeCompletedMsg,
  type Trader,
} from "./trade-clients.ts";

type Err = { code: string; message: string };
type Closed = { id: string; reason: string };

/** Trade between players through the official SDK, on a real server and database. */
describe("trade between players", function () {
  this.timeout(60_000);
  let game: TestGame;
  const traders: Trader[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  after(async () => {
    await Promise.all(
      traders.map((t) => Promise.race([t.room.leave(true).catch(() => undefined), sleep(500)])),
    );
    await game?.stop();
  });

  const prisma = () => game.server.db.prisma;
  async function trader(seed: Seed): Promise<Trader> {
    const t = await joinTrader(game.url, prisma(), seed);
    traders.push(t);
    return t;
  }
  const pair = (a: Seed, b: Seed) => Promise.all([trader(a), trader(b)]);
  /** One's own gold as the client sees it (the room's `self` messages). */
  const ownGold = (t: Trader) => selfOf(t.room).gold;
  const ledgerOf = (opId: string) =>
    prisma().ledgerEntry.findMany({
      where: { opId },
      select: { kind: true, characterId: true, itemId: true, delta: true },
    });
  /** Both lock, both confirm; resolves with both players' last `trade` before the outcome. */
  async function lockAndConfirm(a: Trader, b: Trader) {
    a.room.send("tradeLock", {});
    b.room.send("tradeLock", {});
    await a.inbox.nextTrade((t) => t.state === "locked");
    await b.inbox.nextTrade((t) => t.state === "locked");
    a.room.send("tradeConfirm", {});
    await b.inbox.nextTrade((t) => t.them.confirmed);
    b.room.send("tradeConfirm", {});
  }

  it("swaps items and gold, commits them with balanced ledger rows, and keeps them after leaving", async () => {
    const [a, b] = await pair(
      {
        gold: 500,
        items: [
          ["minor_healing_pill", 5],
          ["jade_ring", 1],
        ],
      },
      { gold: 100, items: [["spirit_stone", 20]] },
    );
    // A copy of A as it was before the trade, to be saved late (as a slow write-behind would).
    const stale = await roomServices().progress.load(a.characterId);
    assert.ok(stale);
    const id = await openTradeBetween(a, b);
    a.room.send("tradeOffer", {
      items: [
        { slot: 0, qty: 3 },
        { slot: 1, qty: 1 },
      ],
      gold: 200,
    });
    const seen = await b.inbox.nextTrade((t) => t.them.gold === 200);
    assert.deepEqual(seen.them.items, [
      { slot: 0, itemId: "minor_healing_pill", qty: 3 },
      { slot: 1, itemId: "jade_ring", qty: 1 },
    ]);
    b.room.send("tradeOffer", { items: [{ slot: 0, qty: 20 }], gold: 50 });
    await a.inbox.nextTrade((t) => t.them.gold === 50);
    await lockAndConfirm(a, b);
    const [doneA, doneB] = await Promise.all([
      a.inbox.next<TradeCompletedMsg>("tradeCompleted"),
      b.inbox.next<TradeCompletedMsg>("tradeCompleted"),
    ]);
    assert.equal(doneA.id, id);
    assert.equal(doneA.opId, id);
    assert.equal(doneA.gold, 350);
    assert.equal(doneB.gold, 250);
    assert.deepEqual(totalsOf(doneA.inventory), { minor_healing_pill: 2, spirit_stone: 20 });
    assert.deepEqual(totalsOf(doneB.inventory), { minor_healing_pill: 3, jade_ring: 1 });
    await waitFor(a.room, () => ownGold(a) === 350, 3000, "A's gold in state");
    await waitFor(b.room, () => ownGold(b) === 250, 3000, "B's gold in state");

    const checkDb = async () => {
      const [ia, ib] = await Promise.all([restInventory(game.url, a), restInventory(game.url, b)]);
      assert.equal(ia.gold, 350);
      assert.equal(ib.gold, 250);
      assert.deepEqual(totalsOf(ia.items), { minor_healing_pill: 2, spirit_stone: 20 });
      assert.deepEqual(totalsOf(ib.items), { minor_healing_pill: 3, jade_ring: 1 });
    };
    await checkDb();
    const rows = await ledgerOf(id);
    assert.ok(rows.every((r) => r.kind === "trade"));
    const net = (who: string) =>
      Object.fromEntries(
        rows
          .filter((r) => r.characterId === who)
          .map((r) => [r.itemId ?? "gold", Number(r.delta)])
          .sort(),
      );
    assert.deepEqual(net(a.characterId), {
      gold: -150,
      jade_ring: -1,
      minor_healing_pill: -3,
      spirit_stone: 20,
    });
    assert.deepEqual(net(b.characterId), {
      gold: 150,
      jade_ring: 1,
      minor_healing_pill: 3,
      spirit_stone: -20,
    });
    // Confirming a finished trade again finds nothing to confirm.
    a.room.send("tradeConfirm", {});
    assert.equal((await a.inbox.next<Err>("tradeError")).code, "TRADE_NOT_FOUND");
    // The copy taken before the trade, saved afterwards, undoes nothing.
    assert.equal(stale.character.gold, 500);
    await roomServices().progress.saveMany([stale]);
    await checkDb();
    // Leaving saves the rooms' copies; the trade stays.
    await Promise.all([a.room.leave(true), b.room.leave(true)]);
    traders.splice(traders.indexOf(a), 1);
    traders.splice(traders.indexOf(b), 1);
    await sleep(300);
    await checkDb();
  });

  it("refuses a request to a player out of range, blocked, or absent", async () => {
    const [a, b] = await pair({ gold: 0, x: 700, y: 800 }, { gold: 0, x: 950, y: 800 });
    a.room.send("tradeRequest", { name: b.character.name });
    assert.equal((await a.inbox.next<Err>("tradeError")).code, "TRADE_OUT_OF_RANGE");
    a.room.send("tradeRequest", { name: "Nobody_here" });
    assert.equal((await a.inbox.next<Err>("tradeError")).code, "TRADE_TARGET_NOT_FOUND");
    a.room.send("tradeRequest", { name: a.character.name });
    assert.equal((await a.inbox.next<Err>("tradeError")).code, "TRADE_SELF");
    const [c, d] = await pair({ gold: 0 }, { gold: 0 });
    const blocked = await fetch(`${game.url}/v1/characters/${d.characterId}/blocks`, {
      method: "POST",
      headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: c.character.name }),
    });
    assert.equal(blocked.status, 201);
    await sleep(300);
    c.room.send("tradeRequest", { name: d.character.name });
    assert.equal((await c.inbox.next<Err>("tradeError")).code, "BLOCKED");
    assert.equal(d.inbox.pending("tradeRequested"), 0);
    c.room.send("tradeOffer", { items: [], gold: "lots" });
    assert.equal((await c.inbox.next<Err>("tradeError")).code, "INVALID_MESSAGE");
  });

  it("refuses bound, quest, missing and short items, and gold not owned", async () => {
    const [a, b] = await pair(
      {
        gold: 100,
        items: [["phoenix_pendant", 1], ["slime_jelly", 3], ["wolf_fang", 2], null],
      },
      { gold: 0 },
    );
    await openTradeBetween(a, b);
    const refusal = async (items: { slot: number; qty: number }[], gold = 0) => {
      a.room.send("tradeOffer", { items, gold });
      return (await a.inbox.next<Err>("tradeError")).code;
    };
    assert.equal(await refusal([{ slot: 0, qty: 1 }]), "ITEM_BOUND");
    assert.equal(await refusal([{ slot: 1, qty: 1 }]), "QUEST_ITEM");
    assert.equal(await refusal([{ slot: 3, qty: 1 }]), "ITEM_NOT_FOUND");
    assert.equal(await refusal([{ slot: 2, qty: 3 }]), "NOT_ENOUGH_ITEMS");
    assert.equal(await refusal([], 101), "NOT_ENOUGH_GOLD");
    // Nothing reached the partner: the offer is still empty.
    assert.equal(b.inbox.pending("trade"), 0);
  });

  it("refuses at confirm when the receiver's bags are full, and unlocks both", async () => {
    const full: [string, number][] = Array.from({ length: 30 }, () => ["rusty_sword", 1]);
    const [a, b] = await pair({ gold: 0, items: [["jade_ring", 1]] }, { gold: 0, items: full });
    const id = await openTradeBetween(a, b);
    a.room.send("tradeOffer", { items: [{ slot: 0, qty: 1 }], gold: 0 });
    await b.inbox.nextTrade((t) => t.them.items.length === 1);
    await lockAndConfirm(a, b);
    const [ea, eb] = await Promise.all([
      a.inbox.next<Err>("tradeError"),
      b.inbox.next<Err>("tradeError"),
    ]);
    assert.equal(ea.code, "INVENTORY_FULL");
    assert.equal(eb.code, "INVENTORY_FULL");
    const reopened = await a.inbox.nextTrade((t) => t.state === "open");
    assert.equal(reopened.you.locked || reopened.them.locked, false);
    assert.equal((await ledgerOf(id)).length, 0);
  });

  it("ignores a second confirm and unlocks both sides when an offer changes after a lock", async () => {
    const [a, b] = await pair({ gold: 40 }, { gold: 0 });
    await openTradeBetween(a, b);
    a.room.send("tradeOffer", { items: [], gold: 10 });
    a.room.send("tradeLock", {});
    b.room.send("tradeLock", {});
    await a.inbox.nextTrade((t) => t.state === "locked");
    a.room.send("tradeConfirm", {});
    await a.inbox.nextTrade((t) => t.you.confirmed);
    a.room.send("tradeConfirm", {});
    assert.equal((await a.inbox.next<Err>("tradeError")).code, "TRADE_ALREADY_CONFIRMED");
    a.room.send("tradeOffer", { items: [], gold: 20 });
    const [va, vb] = await Promise.all([
      a.inbox.nextTrade((t) => t.you.gold === 20),
      b.inbox.nextTrade((t) => t.them.gold === 20),
    ]);
    for (const view of [va, vb]) {
      assert.deepEqual(
        [view.you.locked, view.them.locked, view.you.confirmed, view.them.confirmed, view.state],
        [false, false, false, false, "open"],
      );
    }
    b.room.send("tradeConfirm", {});
    assert.equal((await b.inbox.next<Err>("tradeError")).code, "TRADE_NOT_LOCKED");
  });

  it("refuses a stale offer at confirm (a potion used since) and never commits it", async () => {
    const [a, b] = await pair({ gold: 0, items: [["minor_healing_pill", 5]] }, { gold: 0 });
    const id = await openTradeBetween(a, b);
    a.room.send("tradeOffer", { items: [{ slot: 0, qty: 2 }], gold: 0 });
    await b.inbox.nextTrade((t) => t.them.items.length === 1);
    a.room.send("useItem", { slot: 0 });
    await new Promise<void>((resolve) => a.room.onMessage("itemUsed", () => resolve()));
    await lockAndConfirm(a, b);
    const [ea, eb] = await Promise.all([
      a.inbox.next<Err>("tradeError"),
      b.inbox.next<Err>("tradeError"),
    ]);
    assert.equal(ea.code, "ITEM_CHANGED");
    assert.equal(eb.code, "ITEM_CHANGED");
    await b.inbox.nextTrade((t) => t.state === "open" && !t.you.locked && !t.them.locked);
    assert.equal((await ledgerOf(id)).length, 0);
    const inv = await restInventory(game.url, b);
    assert.deepEqual(inv.items, []);
  });

  it("cancels the trade for both when a player moves or cancels", async () => {
    const [a, b] = await pair({ gold: 0 }, { gold: 0 });
    const first = await openTradeBetween(a, b);
    b.room.send("move", { dx: 1, dy: 0, seq: 1 });
    const [ca, cb] = await Promise.all([
      a.inbox.next<Closed>("tradeClosed"),
      b.inbox.next<Closed>("tradeClosed"),
    ]);
    assert.deepEqual(ca, { id: first, reason: "moved" });
    assert.deepEqual(cb, { id: first, reason: "moved" });
    b.room.send("stop", { seq: 2 });
    await sleep(200);
    const second = await openTradeBetween(a, b);
    a.room.send("tradeCancel", {});
    assert.deepEqual(await b.inbox.next<Closed>("tradeClosed"), {
      id: second,
      reason: "cancelled",
    });
  });

  it("cancels the trade when a player crosses a portal", async () => {
    // The town's portal to the field is at (1456, 768), radius 48.
    const [a, b] = await pair({ gold: 0, x: 1450, y: 768 }, { gold: 0, x: 1400, y: 768 });
    const id = await openTradeBetween(a, b);
    a.room.send("portal", { portalId: "town-to-field" });
    assert.deepEqual(await b.inbox.next<Closed>("tradeClosed"), { id, reason: "portal" });
    assert.deepEqual(await a.inbox.next<Closed>("tradeClosed"), { id, reason: "portal" });
  });

  it("keeps the trade open and unlocked when the commit fails in the database", async () => {
    const [a, b] = await pair({ gold: 9000 }, { gold: 0 });
    // A real failure inside the commit's transaction: the ledger refuses a 4242 gold leg.
    await prisma().$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION trade_test_fail() RETURNS trigger AS $$
      BEGIN IF NEW.delta = 4242 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END
      $$ LANGUAGE plpgsql`);
    await prisma().$executeRawUnsafe(`
      CREATE TRIGGER trade_test_fail BEFORE INSERT ON ledger_entries
      FOR EACH ROW EXECUTE FUNCTION trade_test_fail()`);
    try {
      const id = await openTradeBetween(a, b);
      a.room.send("tradeOffer", { items: [], gold: 4242 });
      await b.inbox.nextTrade((t) => t.them.gold === 4242);
      await lockAndConfirm(a, b);
      const [ea, eb] = await Promise.all([
        a.inbox.next<Err>("tradeError"),
        b.inbox.next<Err>("tradeError"),
      ]);
      assert.equal(ea.code, "TRADE_FAILED");
      assert.equal(eb.code, "TRADE_FAILED");
      const reopened = await a.inbox.nextTrade((t) => t.state === "open");
      assert.equal(reopened.id, id);
      // `self` follows the next patch (up to 100 ms), the reopened trade does not wait for it.
      await waitFor(a.room, () => ownGold(a) === 9000, 3000, "A's gold back in state");
      assert.equal((await restInventory(game.url, a)).gold, 9000);
      // The same trade goes through once the offer is changed.
      a.room.send("tradeOffer", { items: [], gold: 1000 });
      await b.inbox.nextTrade((t) => t.them.gold === 1000);
      await lockAndConfirm(a, b);
      const done = await a.inbox.next<TradeCompletedMsg>("tradeCompleted");
      assert.equal(done.id, id);
      assert.notEqual(done.opId, id);
      assert.equal(done.gold, 8000);
      assert.equal((await restInventory(game.url, b)).gold, 1000);
      assert.equal((await ledgerOf(id)).length, 0);
      assert.equal((await ledgerOf(done.opId)).length, 2);
    } finally {
      await prisma().$executeRawUnsafe(`DROP TRIGGER IF EXISTS trade_test_fail ON ledger_entries`);
    }
  });
});

/** The room's trade desk with a fake room: the watch and the commit's edge cases. */
describe("trade desk", () => {
  type Sent = { to: string; type: string; payload: Record<string, unknown> };
  const rules = {
    items: new Map([["stone", { id: "stone", maxStack: 99 } as never]]),
    questItems: new Set<string>(),
  };

  function desk(
    commit: TradeDeskDeps["commit"] = async (r) => ({
      ok: true,
      opId: r.opId!,
      result: undefined,
      holdings: {},
    }),
  ) {
    const sent: Sent[] = [];
    const status = new Map<string, TradeStatus>([
      ["a", { x: 0, y: 0, dead: false, combat: 0 }],
      ["b", { x: 50, y: 0, dead: false, combat: 0 }],
    ]);
    const leaving = new Set<string>();
    let now = 1_000;
    let ids = 0;
    const d = new TradeDesk({
      rules,
      commit,
      holdingsOf: () => ({ gold: 10, inventory: { slots: [{ itemId: "stone", qty: 5 }, null] } }),
      statusOf: (id) => status.get(id),
      findByName: (name) => (name === "A" ? "a" : name === "B" ? "b" : undefined),
      isLeaving: (id) => leaving.has(id),
      send: (to, type, payload) => sent.push({ to, type, payload: payload as Sent["payload"] }),
      newId: () => `t${++ids}`,
      nowMs: () => now,
      onError: () => undefined,
    });
    const closed = () =>
      sent.filter((s) => s.type === "tradeClosed").map((s) => [s.to, s.payload.reason]);
    return { d, sent, status, leaving, closed, later: (ms: number) => (now += ms) };
  }
  const open = async (x: ReturnType<typeof desk>) => {
    await x.d.request("a", "A", "B");
    x.d.accept("b");
    assert.ok(x.d.tradeFor("a"));
  };

  it("cancels when a player fights, dies, moves, drops or leaves", async () => {
    const cases: [string, (x: ReturnType<typeof desk>) => void, string][] = [
      ["fighting", (x) => (x.status.get("a")!.combat = 1), "fighting"],
      ["died", (x) => (x.status.get("b")!.dead = true), "died"],
      ["moved", (x) => (x.status.get("b")!.x = 52), "moved"],
      ["left the world", (x) => x.status.delete("a"), "left"],
      ["portal", (x) => (x.status.delete("a"), x.leaving.add("a")), "portal"],
    ];
    for (const [what, happen, reason] of cases) {
      const x = desk();
      await open(x);
      x.d.tick();
      assert.deepEqual(x.closed(), [], what);
      happen(x);
      x.d.tick();
      assert.deepEqual(
        x.closed(),
        [
          ["a", reason],
          ["b", reason],
        ],
        what,
      );
      assert.equal(x.d.openTrades, 0);
    }
    const x = desk();
    await open(x);
    x.d.gone("b", "dropped");
    assert.deepEqual(x.closed(), [
      ["a", "dropped"],
      ["b", "dropped"],
    ]);
  });

  it("lets an unanswered request lapse, and a declined one tell the asker", async () => {
    const x = desk();
    await x.d.request("a", "A", "B");
    x.later(29_000);
    x.d.tick();
    assert.deepEqual(x.closed(), []);
    x.later(2_000);
    x.d.tick();
    assert.deepEqual(x.closed(), [["a", "expired"]]);
    const y = desk();
    await y.d.request("a", "A", "B");
    y.d.cancel("b");
    assert.deepEqual(y.closed(), [
      ["a", "declined"],
      ["b", "declined"],
    ]);
  });

  it("lets the commit decide when a player walks off while it is in flight", async () => {
    let finish!: (ok: boolean) => void;
    const x = desk(
      (r) =>
        new Promise((resolve) => {
          finish = (ok) =>
            resolve(
              ok
                ? { ok: true, opId: r.opId!, result: undefined, holdings: {} }
                : { ok: false, code: "ITEM_CHANGED" },
            );
        }),
    );
    await open(x);
    x.d.offer("a", { items: [{ slot: 0, qty: 2 }], gold: 0 });
    x.d.lock("a");
    x.d.lock("b");
    x.d.confirm("a");
    x.d.confirm("b");
    x.d.confirm("b");
    assert.equal(x.sent.at(-1)!.payload.code, "TRADE_COMMITTING");
    x.status.get("a")!.x = 30;
    x.d.tick();
    assert.deepEqual(x.closed(), []);
    finish(true);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      x.sent.filter((s) => s.type === "tradeCompleted").map((s) => s.to),
      ["a", "b"],
    );
    assert.equal(x.d.openTrades, 0);

    const y = desk(
      (r) =>
        new Promise(
          (resolve) =>
            (finish = (ok) =>
              resolve(
                ok
                  ? { ok: true, opId: r.opId!, result: undefined, holdings: {} }
                  : { ok: false, code: "ITEM_CHANGED" },
              )),
        ),
    );
    await open(y);
    y.d.lock("a");
    y.d.lock("b");
    y.d.confirm("a");
    y.d.confirm("b");
    y.d.cancel("b");
    finish(false);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(y.closed(), [
      ["a", "cancelled"],
      ["b", "cancelled"],
    ]);
  });
});

describe("trade feature", () => {
  it("refuses every trade message in an arena match", () => {
    const got: [string, unknown][] = [];
    const session = {
      characterId: "a",
      name: "A",
      handedOff: false,
      send: (type: string, payload: unknown) => got.push([type, payload]),
    };
    const host = {
      zone: { kind: "arena" },
      services: {},
      sim: {},
      log: { error: () => undefined },
      session: () => session,
      sessions: () => [session],
    };
    const economy = { rules: { items: new Map(), questItems: new Set() } };
    const feature = tradeFeature(economy as never)(host as never);
    feature.messages!.tradeRequest!(session as never, { name: "B" });
    assert.deepEqual(
      got.map(([type, p]) => [type, (p as { code: string }).code]),
      [["tradeError", "FORBIDDEN"]],
    );
  });
});
