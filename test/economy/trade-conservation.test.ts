import { createRng } from "../../src/game/rng.ts";
import assert from "node:assert/strict";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import { sleep, startTestGame, type TestGame } from "../helpers/game-server.ts";
import { roomServices } from "../../rooms/room-services.ts";
import { economyTotals, sortedEntries, unbalancedOps } from "./economy-totals.ts";
import {
  enterAsTrader,
  joinTrader,
  openTradeBetween,
  restInventory,
  type Seed,
  type TradeCompletedMsg,
  type Trader,
  type TradeMsg,
} from "./trade-clients.ts";

/**
 * Trades per database. 300 under the same 5-way concurrency give ~25 cancels, ~30 doubled
 * confirms and the racing openings of 1000 at a third of the time; TRADE_SOAK_TRADES=1000 (or
 * more) runs the long soak.
 */
const TRADES = Number(process.env.TRADE_SOAK_TRADES ?? 300);
const PLAYERS = 12;
/** Trades in flight at once (each between two of PLAYERS). */
const WORKERS = 5;
const START: Seed = {
  gold: 10_000,
  items: [
    ["spirit_stone", 300],
    ["bone_dust", 60],
    ["wolf_fang", 30],
    ["minor_healing_pill", 12],
    ["rusty_sword", 1],
    ["jade_ring", 1],
  ],
};

/**
 * Trades a lost connection may cut short in one run (its trader is re-entered and the trade's
 * outcome read from the ledger). More means the server drops players under this load: a bug.
 */
const MAX_DISRUPTED = 3;

/** What a second confirm may hear, depending on how far the trade got. */
const SECOND_CONFIRM = new Set([
  "TRADE_ALREADY_CONFIRMED",
  "TRADE_COMMITTING",
  "TRADE_NOT_LOCKED",
  "TRADE_NOT_FOUND",
]);

type Slots = ({ itemId: string; qty: number } | null)[];
/** What a bot knows it holds: its start, then each completed trade's result. */
type Known = { gold: number; slots: Slots };

const startKnown = (): Known => {
  const slots: Slots = Array.from({ length: 30 }, () => null);
  START.items!.forEach((s, i) => (slots[i] = s && { itemId: s[0], qty: s[1] }));
  return { gold: START.gold, slots };
};

type Offer = { items: { slot: number; qty: number }[]; gold: number };

/** Whether a swap of these offers changes anyone's holdings on balance. */
function moves(ka: Known, oa: Offer, kb: Known, ob: Offer): boolean {
  const net = new Map<string, number>([["gold", ob.gold - oa.gold]]);
  for (const [k, o, sign] of [
    [ka, oa, -1],
    [kb, ob, 1],
  ] as const) {
    for (const { slot, qty } of o.items) {
      const itemId = k.slots[slot]!.itemId;
      net.set(itemId, (net.get(itemId) ?? 0) + sign * qty);
    }
  }
  return [...net.values()].some((n) => n !== 0);
}

const fromCompleted = (m: TradeCompletedMsg): Known => {
  const slots: Slots = Array.from({ length: 30 }, () => null);
  for (const s of m.inventory) slots[s.slot] = { itemId: s.itemId, qty: s.qty };
  return { gold: m.gold, slots };
};

const fromRest = (inv: Awaited<ReturnType<typeof restInventory>>): Known => {
  const slots: Slots = Array.from({ length: 30 }, () => null);
  for (const s of inv.items) slots[s.slot] = { itemId: s.itemId, qty: s.quantity };
  return { gold: inv.gold, slots };
};

/** A trade's players lost their connection or had the trade closed under them. */
class Disrupted extends Error {}

for (const target of DATABASE_TARGETS) {
  describe(`trade conservation on ${target.name}`, function () {
    this.timeout(300_000);
    let game: TestGame;
    let traders: Trader[] = [];

    before(async function () {
      await skipUnlessAvailable(this, target);
      game = await startTestGame(target);
    });
    after(async () => {
      await Promise.all(
        traders.map((t) => Promise.race([t.room.leave(true).catch(() => undefined), sleep(1000)])),
      );
      await game?.stop();
    });

    it("keeps every item and all gold across hundreds of random concurrent trades", async () => {
      const seed = Number(process.env.TRADE_SOAK_SEED ?? Date.now() % 1_000_000);
      // Seeded, so a failing run can be replayed (the seed is printed on failure).
      const seeded = createRng(seed);
      const random = () => seeded.next();
      const prisma = game.server.db.prisma;
      // Everyone stands within a few units of the spawn, well inside trade range.
      traders = [];
      for (let i = 0; i < PLAYERS; i++) {
        const at = { x: 740 + (i % 4) * 15, y: 780 + Math.floor(i / 4) * 15 };
        traders.push(await joinTrader(game.url, prisma, { ...START, ...at }));
      }
      const before = await economyTotals(prisma);
      const known = new Map(traders.map((t) => [t.characterId, startKnown()]));
      const completed = new Set<string>();
      let refused = 0;
      let cancelled = 0;
      const disrupted: string[] = [];

      const randomOffer = (k: Known) => {
        const filled = k.slots.flatMap((s, slot) => (s ? [{ slot, stack: s }] : []));
        const items: { slot: number; qty: number }[] = [];
        for (let n = Math.floor(random() * 4); n > 0 && filled.length > 0; n--) {
          const [pick] = filled.splice(Math.floor(random() * filled.length), 1);
          items.push({ slot: pick!.slot, qty: 1 + Math.floor(random() * pick!.stack.qty) });
        }
        return { items, gold: Math.floor(random() * Math.min(k.gold, 400)) };
      };
      const sameOffer = (
        seen: TradeMsg["you"],
        sent: { items: { slot: number; qty: number }[]; gold: number },
      ) =>
        seen.gold === sent.gold &&
        seen.items.length === sent.items.length &&
        seen.items.every((s, i) => s.slot === sent.items[i]!.slot && s.qty === sent.items[i]!.qty);

      /**
       * A trade cut short by a lost connection: its players come back (re-entered if the server
       * closed their room), learn what they hold, and the trade counts as completed if the
       * ledger has it. Anything else that went wrong is rethrown.
       */
      async function recover(a: Trader, b: Trader, id: string, error: unknown) {
        const gone = [a, b].filter((t) => !t.room.connection.isOpen);
        if (!(error instanceof Disrupted) && gone.length === 0) throw error;
        disrupted.push(`${id}: ${(error as Error).message}; closed: ${gone.length}`);
        assert.ok(disrupted.length <= MAX_DISRUPTED, disrupted.join("\n"));
        await sleep(500);
        const back = await Promise.all(
          [a, b].map(async (t) => {
            if (t.room.connection.isOpen) {
              await t.send("tradeCancel", {});
              await sleep(300);
              t.inbox.reset();
              return t;
            }
            const again = await enterAsTrader(game.url, t);
            traders[traders.indexOf(t)] = again;
            return again;
          }),
        );
        for (const t of back) known.set(t.characterId, fromRest(await restInventory(game.url, t)));
        const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
          SELECT COUNT(*)::bigint AS n FROM ledger_entries WHERE op_id::text = ${id}`;
        if (row && row.n > 0n) completed.add(id);
        return back as [Trader, Trader];
      }

      async function tradeOnce(a: Trader, b: Trader): Promise<[Trader, Trader]> {
        const at = { id: "" };
        try {
          await tradeSteps(a, b, at);
          return [a, b];
        } catch (error) {
          return recover(a, b, at.id, error);
        }
      }

      /** One trade from request to outcome; resolves with its id. */
      async function tradeSteps(a: Trader, b: Trader, at: { id: string }): Promise<string> {
        a.inbox.clear();
        b.inbox.clear();
        const id = await openTradeBetween(a, b);
        at.id = id;
        const oa = randomOffer(known.get(a.characterId)!);
        const ob = randomOffer(known.get(b.characterId)!);
        await a.send("tradeOffer", oa);
        await b.send("tradeOffer", ob);
        const settled = (t: TradeMsg, mine: typeof oa, theirs: typeof ob) =>
          sameOffer(t.you, mine) && sameOffer(t.them, theirs);
        await Promise.all([
          a.inbox.nextTrade((t) => settled(t, oa, ob)),
          b.inbox.nextTrade((t) => settled(t, ob, oa)),
        ]);
        if (random() < 0.08) {
          await (random() < 0.5 ? a : b).send("tradeCancel", {});
          await Promise.all([a.inbox.next("tradeClosed"), b.inbox.next("tradeClosed")]);
          cancelled++;
          return id;
        }
        await a.send("tradeLock", {});
        await b.send("tradeLock", {});
        await Promise.all([
          a.inbox.nextTrade((t) => t.state === "locked"),
          b.inbox.nextTrade((t) => t.state === "locked"),
        ]);
        await a.send("tradeConfirm", {});
        await b.send("tradeConfirm", {});
        // A confirm sent twice at once must change nothing. Its refusal (whichever, by how far
        // the trade got) is read here too, so that it cannot spill into the next trade.
        const twice = random() < 0.1;
        if (twice) await a.send("tradeConfirm", {});
        const outcome = async (t: Trader, extra: boolean) => {
          let result: { type: string; body: TradeCompletedMsg & { code?: string } } | undefined;
          while (result === undefined || extra) {
            const r = await t.inbox
              .nextOf<TradeCompletedMsg & { code?: string }>(
                ["tradeCompleted", "tradeError", "tradeClosed"],
                15_000,
              )
              .catch((error: Error) => {
                throw new Error(`${error.message}: trade ${id} ${t.characterId} extra=${extra}`);
              });
            // Confirmed trades close only when a player is gone (left, dropped).
            if (r.type === "tradeClosed") throw new Disrupted(JSON.stringify(r.body));
            if (extra && r.type === "tradeError" && SECOND_CONFIRM.has(r.body.code!)) {
              extra = false;
            } else if (result === undefined) {
              result = r;
            } else {
              assert.fail(`unexpected ${r.type} ${JSON.stringify(r.body)}`);
            }
          }
          return result;
        };
        const [ra, rb] = await Promise.all([outcome(a, twice), outcome(b, false)]);
        assert.equal(ra.type, rb.type, `${JSON.stringify(ra.body)} vs ${JSON.stringify(rb.body)}`);
        if (ra.type === "tradeCompleted" && rb.type === "tradeCompleted") {
          assert.equal(ra.body.id, id);
          // A swap that moves nothing on balance (nothing, or the same on both sides) has no rows.
          if (moves(known.get(a.characterId)!, oa, known.get(b.characterId)!, ob)) {
            completed.add(ra.body.opId);
          }
          known.set(a.characterId, fromCompleted(ra.body));
          known.set(b.characterId, fromCompleted(rb.body));
          return id;
        }
        // A refusal at confirm (full bags) leaves the trade open: close it.
        refused++;
        await a.send("tradeCancel", {});
        await Promise.all([
          a.inbox.nextOf(["tradeClosed", "tradeCompleted"], 15_000),
          b.inbox.nextOf(["tradeClosed", "tradeCompleted"], 15_000),
        ]);
        return id;
      }

      // Two trades racing for one player (and the ring it holds): one opens, the other is busy.
      const [x, y, z] = traders as [Trader, Trader, Trader];
      await y.send("tradeRequest", { name: x.character.name });
      await z.send("tradeRequest", { name: x.character.name });
      const r1 = await x.inbox.next<{ from: string; tradeId: string }>("tradeRequested");
      const r2 = await x.inbox.next<{ from: string; tradeId: string }>("tradeRequested");
      await x.send("tradeAccept", { tradeId: r1.tradeId });
      await x.send("tradeAccept", { tradeId: r2.tradeId });
      const [first, late] = r1.from === y.character.name ? [y, z] : [z, y];
      // The second request went away when the first was accepted.
      const second = await x.inbox.next<{ code: string }>("tradeError");
      assert.equal(second.code, "TRADE_NOT_FOUND");
      assert.deepEqual(await late.inbox.next("tradeClosed"), { id: r2.tradeId, reason: "busy" });
      await x.send("tradeCancel", {});
      assert.deepEqual(await first.inbox.next("tradeClosed"), {
        id: r1.tradeId,
        reason: "cancelled",
      });
      await x.inbox.next("tradeClosed");

      // A trade and a mail racing for the same ring (slot 5): exactly one takes it.
      x.inbox.clear();
      y.inbox.clear();
      await openTradeBetween(x, y);
      await x.send("tradeOffer", { items: [{ slot: 5, qty: 1 }], gold: 0 });
      await y.inbox.nextTrade((t) => t.them.items.length === 1);
      await x.send("tradeLock", {});
      await y.send("tradeLock", {});
      await x.inbox.nextTrade((t) => t.state === "locked");
      await y.inbox.nextTrade((t) => t.state === "locked");
      await x.send("tradeConfirm", {});
      await y.send("tradeConfirm", {});
      const mailed = fetch(`${game.url}/v1/characters/${x.characterId}/mail`, {
        method: "POST",
        headers: { authorization: `Bearer ${x.token}`, "content-type": "application/json" },
        body: JSON.stringify({
          to: z.character.name,
          subject: "ring",
          items: [{ slot: 5, qty: 1 }],
        }),
      });
      const [traded, mail] = await Promise.all([
        x.inbox.nextOf<TradeCompletedMsg>(["tradeCompleted", "tradeError"], 15_000),
        mailed,
      ]);
      assert.equal(
        (traded.type === "tradeCompleted" ? 1 : 0) + (mail.status === 201 ? 1 : 0),
        1,
        `trade ${traded.type}, mail ${mail.status} ${await mail.text()}`,
      );
      if (traded.type === "tradeCompleted") {
        completed.add(traded.body.opId);
        known.set(x.characterId, fromCompleted(traded.body));
        known.set(
          y.characterId,
          fromCompleted(await y.inbox.next<TradeCompletedMsg>("tradeCompleted")),
        );
      } else {
        known.get(x.characterId)!.slots[5] = null;
        await x.send("tradeCancel", {});
        await y.inbox.nextOf(["tradeClosed"], 15_000);
      }

      // Workers take two idle players at random, trade, and put them back: with more players
      // than workers busy, partners keep changing.
      const started = Date.now();
      const idle = traders.slice();
      let begun = 0;
      const take = () => idle.splice(Math.floor(random() * idle.length), 1)[0]!;
      async function worker(): Promise<void> {
        while (begun < TRADES) {
          begun++;
          let pair: [Trader, Trader] = [take(), take()];
          try {
            pair = await tradeOnce(...pair);
          } finally {
            idle.push(...pair);
          }
        }
      }
      await Promise.all(Array.from({ length: WORKERS }, () => worker())).catch((error: Error) => {
        throw new Error(`seed ${seed}, after ${completed.size} trades: ${error.message}`, {
          cause: error,
        });
      });
      const seconds = (Date.now() - started) / 1000;

      await Promise.all(traders.map((t) => t.room.leave(true)));
      traders = [];
      await sleep(1000);
      await roomServices().writer.flushAll();
      const after = await economyTotals(prisma);
      const context = `seed ${seed}, ${(completed.size / seconds).toFixed(1)} trades/s: ${completed.size} completed, ${refused} refused, ${cancelled} cancelled, ${disrupted.length} cut short by a lost connection in ${seconds.toFixed(1)} s${disrupted.map((d) => `\n        ${d}`).join("")}`;
      assert.deepEqual(sortedEntries(after), sortedEntries(before), context);
      assert.deepEqual(await unbalancedOps(prisma), [], context);
      const ops = await prisma.$queryRaw<{ opId: string; characters: bigint }[]>`
        SELECT op_id::text AS "opId", COUNT(DISTINCT character_id)::bigint AS characters
        FROM ledger_entries WHERE kind = 'trade' GROUP BY op_id`;
      // Every trade the players were told of is in the ledger, between two characters, and no other.
      assert.deepEqual(ops.map((o) => o.opId).sort(), [...completed].sort(), context);
      for (const o of ops) assert.ok(o.characters <= 2n, context);
      assert.ok(completed.size > TRADES / 2, context);
      if (process.env.TRADE_SOAK_VERBOSE) process.stdout.write(`      ${context}\n`);
    });
  });
}
