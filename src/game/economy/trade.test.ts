import { strict as assert } from "node:assert";
import fc from "fast-check";
import { testContent } from "../content/test-content.ts";
import type { Item } from "../content/items.ts";
import { itemTotals, type Inventory } from "../items/inventory.ts";
import {
  applyCharacterChange,
  EconomyRefusal,
  type EconomyRules,
  type Holdings,
} from "./character-change.ts";
import {
  checkTrade,
  confirmTrade,
  inTradeRange,
  lockTrade,
  movedSince,
  offerTrade,
  openTrade,
  staleOffer,
  TRADE_MAX_ITEMS,
  TRADE_RANGE,
  tradeChanges,
  TradeRefusal,
  TradeState,
  tradeState,
  tradeView,
  type Trade,
} from "./trade.ts";

const content = testContent();
const items = new Map<string, Item>(content.items);
items.set("relic", { ...(items.get("sword") as Item), id: "relic", bound: true });
const rules: EconomyRules = { items, questItems: new Set(["pelt"]) };

const inv = (...stacks: ([string, number] | null)[]): Inventory => ({
  slots: stacks.map((s) => (s === null ? null : { itemId: s[0], qty: s[1] })),
});

const A = "a";
const B = "b";
const aHolds: Holdings = { gold: 100, inventory: inv(["potion", 4], ["sword", 1], null, null) };
const bHolds: Holdings = { gold: 50, inventory: inv(["herb", 7], null, null, null) };
const holdingsOf = (id: string) => (id === A ? aHolds : id === B ? bHolds : undefined);

function ok(result: { ok: true; trade: Trade } | { ok: false; code: string }): Trade {
  if (!result.ok) assert.fail(`refused ${result.code}`);
  return result.trade;
}

/** A trade where A offers 2 potions and 30 gold, B offers 5 herbs, both locked. */
function lockedTrade(): Trade {
  let t = openTrade("t1", A, B);
  t = ok(offerTrade(t, A, { items: [{ slot: 0, qty: 2 }], gold: 30 }, aHolds, rules));
  t = ok(offerTrade(t, B, { items: [{ slot: 0, qty: 5 }], gold: 0 }, bHolds, rules));
  t = ok(lockTrade(t, A));
  return ok(lockTrade(t, B));
}

describe("trade rules", () => {
  it("records an offer with the item read from the slot and the stack it came from", () => {
    const t = ok(
      offerTrade(
        openTrade("t", A, B),
        A,
        { items: [{ slot: 0, qty: 3 }], gold: 10 },
        aHolds,
        rules,
      ),
    );
    assert.deepEqual(tradeView(t, A).you, {
      items: [{ slot: 0, itemId: "potion", qty: 3 }],
      gold: 10,
      locked: false,
      confirmed: false,
    });
    assert.deepEqual(t.sides[0].items[0], { slot: 0, itemId: "potion", qty: 3, had: 4 });
    assert.deepEqual(tradeView(t, B).them.gold, 10);
  });

  it("refuses empty, short, bound, quest, duplicate slots, too many slots and missing gold", () => {
    const holds: Holdings = {
      gold: 5,
      inventory: inv(["potion", 2], ["relic", 1], ["pelt", 1], null),
    };
    const code = (items: { slot: number; qty: number }[], gold = 0) => {
      const r = offerTrade(openTrade("t", A, B), A, { items, gold }, holds, rules);
      return r.ok ? "ok" : r.code;
    };
    assert.equal(code([{ slot: 0, qty: 2 }], 5), "ok");
    assert.equal(code([{ slot: 3, qty: 1 }]), EconomyRefusal.ITEM_NOT_FOUND);
    assert.equal(code([{ slot: 99, qty: 1 }]), EconomyRefusal.ITEM_NOT_FOUND);
    assert.equal(code([{ slot: 0, qty: 3 }]), EconomyRefusal.NOT_ENOUGH_ITEMS);
    assert.equal(code([{ slot: 1, qty: 1 }]), EconomyRefusal.ITEM_BOUND);
    assert.equal(code([{ slot: 2, qty: 1 }]), EconomyRefusal.QUEST_ITEM);
    assert.equal(code([{ slot: 0, qty: 0 }]), EconomyRefusal.INVALID_QUANTITY);
    assert.equal(
      code([
        { slot: 0, qty: 1 },
        { slot: 0, qty: 1 },
      ]),
      EconomyRefusal.DUPLICATE_SLOT,
    );
    assert.equal(code([], 6), EconomyRefusal.NOT_ENOUGH_GOLD);
    assert.equal(code([], -1), EconomyRefusal.INVALID_QUANTITY);
    assert.equal(code([], 1.5), EconomyRefusal.INVALID_QUANTITY);
    const many = Array.from({ length: TRADE_MAX_ITEMS + 1 }, (_, slot) => ({ slot, qty: 1 }));
    assert.equal(code(many), TradeRefusal.TRADE_TOO_MANY_ITEMS);
  });

  it("confirms only when both sides are locked, and each side once", () => {
    let t = openTrade("t", A, B);
    t = ok(lockTrade(t, A));
    assert.equal(tradeState(t), TradeState.OPEN);
    assert.deepEqual(confirmTrade(t, A), { ok: false, code: TradeRefusal.TRADE_NOT_LOCKED });
    t = ok(lockTrade(t, B));
    assert.equal(tradeState(t), TradeState.LOCKED);
    const first = confirmTrade(t, A);
    assert.ok(first.ok && !first.ready);
    t = first.trade;
    assert.deepEqual(confirmTrade(t, A), {
      ok: false,
      code: TradeRefusal.TRADE_ALREADY_CONFIRMED,
    });
    const second = confirmTrade(t, B);
    assert.ok(second.ok && second.ready);
  });

  it("unlocks both sides and clears confirmations when either offer changes after a lock", () => {
    let t = lockedTrade();
    const confirmed = confirmTrade(t, A);
    assert.ok(confirmed.ok);
    t = ok(offerTrade(confirmed.trade, B, { items: [], gold: 1 }, bHolds, rules));
    for (const side of t.sides) {
      assert.equal(side.locked, false);
      assert.equal(side.confirmed, false);
    }
    assert.equal(tradeState(t), TradeState.OPEN);
  });

  it("refuses every change while the trade commits", () => {
    const t: Trade = { ...lockedTrade(), committing: true };
    assert.equal(tradeState(t), TradeState.COMMITTING);
    const offer = offerTrade(t, A, { items: [], gold: 0 }, aHolds, rules);
    assert.deepEqual(offer, { ok: false, code: TradeRefusal.TRADE_COMMITTING });
    assert.deepEqual(lockTrade(t, A), { ok: false, code: TradeRefusal.TRADE_COMMITTING });
    assert.deepEqual(confirmTrade(t, B), { ok: false, code: TradeRefusal.TRADE_COMMITTING });
  });

  it("swaps offers both ways and conserves every item and gold", () => {
    const [ca, cb] = tradeChanges(lockedTrade());
    const a = applyCharacterChange(aHolds, ca, rules);
    const b = applyCharacterChange(bHolds, cb, rules);
    assert.ok(a.ok && b.ok);
    assert.equal(a.outcome.gold, 70);
    assert.equal(b.outcome.gold, 80);
    assert.deepEqual(Object.fromEntries(itemTotals(a.outcome.inventory)), {
      potion: 2,
      sword: 1,
      herb: 5,
    });
    assert.deepEqual(Object.fromEntries(itemTotals(b.outcome.inventory)), { herb: 2, potion: 2 });
  });

  it("finds a stale offer when the offered slot's stack changed since the offer", () => {
    const t = lockedTrade();
    assert.equal(staleOffer(t, holdingsOf), null);
    const used: Holdings = { ...aHolds, inventory: inv(["potion", 3], ["sword", 1], null, null) };
    const swapped: Holdings = { ...aHolds, inventory: inv(["ether", 4], ["sword", 1], null, null) };
    for (const changed of [used, swapped]) {
      const of = (id: string) => (id === A ? changed : bHolds);
      assert.deepEqual(staleOffer(t, of), { code: EconomyRefusal.ITEM_CHANGED, characterId: A });
      assert.deepEqual(checkTrade(t, of, rules), {
        code: EconomyRefusal.ITEM_CHANGED,
        characterId: A,
      });
    }
  });

  it("refuses INVENTORY_FULL for the receiver and NOT_ENOUGH_GOLD for a spender", () => {
    const t = lockedTrade();
    const full: Holdings = {
      gold: 50,
      inventory: inv(["herb", 7], ["sword", 1], ["staff", 1], ["helm", 1]),
    };
    const fullB = (id: string) => (id === A ? aHolds : full);
    assert.deepEqual(checkTrade(t, fullB, rules), {
      code: EconomyRefusal.INVENTORY_FULL,
      characterId: B,
    });
    const poorA = (id: string) => (id === A ? { ...aHolds, gold: 10 } : bHolds);
    assert.deepEqual(checkTrade(t, poorA, rules), {
      code: EconomyRefusal.NOT_ENOUGH_GOLD,
      characterId: A,
    });
    assert.equal(checkTrade(t, holdingsOf, rules), null);
  });

  it("measures range and movement in world units", () => {
    assert.ok(inTradeRange({ x: 0, y: 0 }, { x: TRADE_RANGE, y: 0 }));
    assert.ok(!inTradeRange({ x: 0, y: 0 }, { x: TRADE_RANGE, y: 1 }));
    assert.ok(!movedSince({ x: 10, y: 10 }, { x: 10.5, y: 10.5 }));
    assert.ok(movedSince({ x: 10, y: 10 }, { x: 12, y: 10 }));
  });

  it("conserves items and gold for any accepted pair of offers (property)", () => {
    const stack = fc.option(
      fc.record({
        itemId: fc.constantFrom("potion", "herb", "sword", "ether"),
        qty: fc.integer({ min: 1, max: 5 }),
      }),
      { nil: null },
    );
    const holdingsArb = fc.record({
      gold: fc.integer({ min: 0, max: 1000 }),
      inventory: fc.array(stack, { minLength: 6, maxLength: 6 }).map((slots) => ({
        slots: slots.map((s) => (s && s.itemId === "sword" ? { itemId: "sword", qty: 1 } : s)),
      })),
    });
    const offerArb = fc.record({
      items: fc.uniqueArray(
        fc.record({ slot: fc.integer({ min: 0, max: 5 }), qty: fc.integer({ min: 1, max: 5 }) }),
        { selector: (o) => o.slot, maxLength: 4 },
      ),
      gold: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(holdingsArb, holdingsArb, offerArb, offerArb, (ha, hb, oa, ob) => {
        const of = (id: string) => (id === A ? ha : hb);
        const a = offerTrade(openTrade("p", A, B), A, oa, ha, rules);
        if (!a.ok) return;
        const b = offerTrade(a.trade, B, ob, hb, rules);
        if (!b.ok) return;
        if (checkTrade(b.trade, of, rules) !== null) return;
        const [ca, cb] = tradeChanges(b.trade);
        const ra = applyCharacterChange(ha, ca, rules);
        const rb = applyCharacterChange(hb, cb, rules);
        assert.ok(ra.ok && rb.ok);
        assert.equal(ra.outcome.gold + rb.outcome.gold, ha.gold + hb.gold);
        const total = (...invs: Inventory[]) => {
          const sum = new Map<string, number>();
          for (const i of invs)
            for (const [id, n] of itemTotals(i)) sum.set(id, (sum.get(id) ?? 0) + n);
          return Object.fromEntries([...sum].sort());
        };
        assert.deepEqual(
          total(ra.outcome.inventory, rb.outcome.inventory),
          total(ha.inventory, hb.inventory),
        );
      }),
      { numRuns: 300 },
    );
  });
});
