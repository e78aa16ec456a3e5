import { strict as assert } from "node:assert";
import fc from "fast-check";
import { testContent } from "../content/test-content.ts";
import type { Item } from "../content/items.ts";
import { createInventory, itemTotals, type Inventory } from "../items/inventory.ts";
import {
  applyCharacterChange,
  changeGold,
  EconomyRefusal,
  netMovements,
  questItemIds,
  takeFromSlots,
  takeItemStacks,
  tradeRefusal,
  type EconomyRules,
} from "./character-change.ts";

const content = testContent();
const items = new Map<string, Item>(content.items);
items.set("relic", { ...(items.get("sword") as Item), id: "relic", bound: true });
const rules: EconomyRules = { items, questItems: new Set(["pelt"]) };

const inv = (...stacks: ([string, number] | null)[]): Inventory => ({
  slots: stacks.map((s) => (s === null ? null : { itemId: s[0], qty: s[1] })),
});

describe("economy character change", () => {
  it("debits gold and refuses NOT_ENOUGH_GOLD below zero", () => {
    assert.deepEqual(changeGold(10, -10), { ok: true, gold: 0 });
    assert.deepEqual(changeGold(10, -11), { ok: false, code: EconomyRefusal.NOT_ENOUGH_GOLD });
    assert.deepEqual(changeGold(10, 0.5), { ok: false, code: EconomyRefusal.INVALID_QUANTITY });
  });

  it("moves N of slot S out and reports what left", () => {
    const r = takeFromSlots(inv(["herb", 7], null), [{ slot: 0, qty: 3 }], rules, true);
    assert.ok(r.ok);
    assert.deepEqual(r.inventory.slots[0], { itemId: "herb", qty: 4 });
    assert.deepEqual(r.taken, [{ itemId: "herb", qty: 3 }]);
  });

  it("refuses empty, short, stale, duplicate, bound and quest slots", () => {
    const bag = inv(["herb", 2], ["relic", 1], ["pelt", 1], null);
    const code = (slot: number, qty: number, itemId?: string, twice = false) => {
      const takes = twice
        ? [
            { slot, qty },
            { slot, qty },
          ]
        : [{ slot, qty, itemId }];
      const r = takeFromSlots(bag, takes, rules, true);
      return r.ok ? "ok" : r.code;
    };
    assert.equal(code(3, 1), EconomyRefusal.ITEM_NOT_FOUND);
    assert.equal(code(99, 1), EconomyRefusal.ITEM_NOT_FOUND);
    assert.equal(code(0, 3), EconomyRefusal.NOT_ENOUGH_ITEMS);
    assert.equal(code(0, 1, "sword"), EconomyRefusal.ITEM_CHANGED);
    assert.equal(code(0, 1, undefined, true), EconomyRefusal.DUPLICATE_SLOT);
    assert.equal(code(1, 1), EconomyRefusal.ITEM_BOUND);
    assert.equal(code(2, 1), EconomyRefusal.QUEST_ITEM);
    assert.equal(code(0, 0), EconomyRefusal.INVALID_QUANTITY);
    // Bound items may still leave when the operation allows it (e.g. a vendor sink).
    assert.ok(takeFromSlots(bag, [{ slot: 1, qty: 1 }], rules, false).ok);
  });

  it("adds items all or nothing, refusing INVENTORY_FULL", () => {
    const full = inv(["sword", 1]);
    const r = applyCharacterChange(
      { gold: 5, inventory: full },
      { characterId: "a", give: [{ itemId: "helm", qty: 1 }], gold: 10 },
      rules,
    );
    assert.deepEqual(r, { ok: false, code: EconomyRefusal.INVENTORY_FULL });
  });

  it("takes before it gives, so a swap can reuse the freed slot", () => {
    const r = applyCharacterChange(
      { gold: 5, inventory: inv(["sword", 1]) },
      {
        characterId: "a",
        take: [{ slot: 0, qty: 1 }],
        give: [{ itemId: "helm", qty: 1 }],
        gold: -5,
      },
      rules,
    );
    assert.ok(r.ok);
    assert.deepEqual(r.outcome.inventory.slots, [{ itemId: "helm", qty: 1 }]);
    assert.equal(r.outcome.gold, 0);
    assert.deepEqual(
      netMovements(r.outcome).sort((a, b) => String(a.itemId).localeCompare(String(b.itemId))),
      [
        { itemId: "helm", delta: 1 },
        { itemId: null, delta: -5 },
        { itemId: "sword", delta: -1 },
      ].sort((a, b) => String(a.itemId).localeCompare(String(b.itemId))),
    );
  });

  it("tells why an item cannot change hands", () => {
    assert.equal(tradeRefusal("herb", rules), null);
    assert.equal(tradeRefusal("relic", rules), EconomyRefusal.ITEM_BOUND);
    assert.equal(tradeRefusal("pelt", rules), EconomyRefusal.QUEST_ITEM);
    assert.equal(tradeRefusal("nope", rules), EconomyRefusal.UNKNOWN_ITEM);
  });

  it("lists collect-objective items as quest items", () => {
    assert.deepEqual(
      [...questItemIds([{ objectives: [{ type: "kill" }, { type: "collect", item: "pelt" }] }])],
      ["pelt"],
    );
  });

  it("conserves every item: the ledger legs equal the change in holdings", () => {
    const ids = ["herb", "pelt", "sword", "helm"];
    const stack = fc.option(
      fc.record({ itemId: fc.constantFrom(...ids), qty: fc.integer({ min: 1, max: 3 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(stack, { minLength: 6, maxLength: 6 }),
        fc.array(
          fc.record({ slot: fc.integer({ min: 0, max: 6 }), qty: fc.integer({ min: 1, max: 3 }) }),
        ),
        fc.array(
          fc.record({ itemId: fc.constantFrom(...ids), qty: fc.integer({ min: 1, max: 4 }) }),
        ),
        fc.integer({ min: -50, max: 50 }),
        (slots, take, give, gold) => {
          const before: Inventory = { slots: slots.map((s) => s ?? null) };
          const lenient: EconomyRules = { items, questItems: new Set() };
          const r = applyCharacterChange(
            { gold: 20, inventory: before },
            { characterId: "a", take, give, gold },
            lenient,
          );
          if (!r.ok) return;
          const a = itemTotals(before);
          const b = itemTotals(r.outcome.inventory);
          const legs = new Map(netMovements(r.outcome).map((l) => [l.itemId, l.delta]));
          for (const id of ids)
            assert.equal((b.get(id) ?? 0) - (a.get(id) ?? 0), legs.get(id) ?? 0);
          assert.equal(r.outcome.gold - 20, legs.get(null) ?? 0);
        },
      ),
    );
  });

  it("takes items by id across slots, last slots first, bound ones included", () => {
    const r = takeItemStacks(inv(["herb", 4], ["relic", 1], ["herb", 3]), [
      { itemId: "herb", qty: 5 },
      { itemId: "relic", qty: 1 },
    ]);
    assert.ok(r.ok);
    assert.deepEqual(r.inventory.slots, [{ itemId: "herb", qty: 2 }, null, null]);
    assert.deepEqual(r.taken, [
      { itemId: "herb", qty: 5 },
      { itemId: "relic", qty: 1 },
    ]);
  });

  it("refuses NOT_ENOUGH_ITEMS and changes nothing when an item is short", () => {
    const before = inv(["herb", 4], ["pelt", 1]);
    const change = { characterId: "a", takeItems: [{ itemId: "herb", qty: 5 }] };
    assert.deepEqual(applyCharacterChange({ gold: 3, inventory: before }, change, rules), {
      ok: false,
      code: EconomyRefusal.NOT_ENOUGH_ITEMS,
    });
    assert.deepEqual(takeItemStacks(before, [{ itemId: "sword", qty: 1 }]), {
      ok: false,
      code: EconomyRefusal.NOT_ENOUGH_ITEMS,
    });
    const taken = applyCharacterChange(
      { gold: 3, inventory: before },
      { characterId: "a", takeItems: [{ itemId: "herb", qty: 4 }] },
      rules,
    );
    assert.ok(taken.ok);
    assert.deepEqual(netMovements(taken.outcome), [{ itemId: "herb", delta: -4 }]);
  });

  it("leaves an empty inventory empty on an empty change", () => {
    const empty = createInventory(2);
    const r = applyCharacterChange({ gold: 0, inventory: empty }, { characterId: "a" }, rules);
    assert.ok(r.ok);
    assert.deepEqual(netMovements(r.outcome), []);
  });
});
