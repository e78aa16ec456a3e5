import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import {
  addItem,
  addItems,
  countItem,
  createInventory,
  freeSlots,
  InventoryRefusal,
  removeFromSlot,
  removeItem,
  type Inventory,
} from "./inventory.ts";
import { compactStacks, moveItem, splitStack } from "./inventory-slots.ts";

const items = testContent().items; // herb maxStack 10, pelt maxStack 3, sword maxStack 1

function must(r: { ok: true; inventory: Inventory } | { ok: false; code: string }): Inventory {
  assert.ok(r.ok, r.ok ? "" : r.code);
  return r.inventory;
}
const slotsOf = (inv: Inventory) =>
  inv.slots.map((s) => (s === null ? "-" : `${s.itemId}x${s.qty}`));

describe("inventory add/remove", () => {
  it("tops up existing stacks before using empty slots", () => {
    let inv = must(addItem(createInventory(4), "pelt", 2, items));
    inv = must(addItem(inv, "sword", 1, items));
    inv = must(addItem(inv, "pelt", 5, items));
    assert.deepEqual(slotsOf(inv), ["peltx3", "swordx1", "peltx3", "peltx1"]);
  });

  it("refuses and changes nothing when the items do not all fit", () => {
    const inv = must(addItem(createInventory(2), "pelt", 5, items));
    const r = addItem(inv, "pelt", 2, items);
    assert.deepEqual(r, { ok: false, code: InventoryRefusal.INVENTORY_FULL });
    assert.equal(countItem(inv, "pelt"), 5);
  });

  it("adds several stacks all or nothing when given a list", () => {
    const inv = createInventory(2);
    assert.equal(
      addItems(
        inv,
        [
          { itemId: "sword", qty: 1 },
          { itemId: "helm", qty: 1 },
          { itemId: "ring", qty: 1 },
        ],
        items,
      ).ok,
      false,
    );
    const ok = must(
      addItems(
        inv,
        [
          { itemId: "sword", qty: 1 },
          { itemId: "herb", qty: 10 },
        ],
        items,
      ),
    );
    assert.equal(freeSlots(ok), 0);
  });

  it("refuses unknown items and bad quantities with their codes", () => {
    const inv = createInventory(2);
    assert.deepEqual(addItem(inv, "dragon", 1, items), {
      ok: false,
      code: InventoryRefusal.UNKNOWN_ITEM,
    });
    assert.deepEqual(addItem(inv, "herb", 0, items), {
      ok: false,
      code: InventoryRefusal.INVALID_QUANTITY,
    });
  });

  it("removes from the last slots first and reports shortfalls", () => {
    const inv = must(addItem(createInventory(3), "pelt", 7, items));
    assert.deepEqual(slotsOf(must(removeItem(inv, "pelt", 2))), ["peltx3", "peltx2", "-"]);
    assert.deepEqual(removeItem(inv, "pelt", 8), { ok: false, code: InventoryRefusal.NOT_ENOUGH });
    assert.deepEqual(removeItem(inv, "herb", 1), { ok: false, code: InventoryRefusal.NOT_FOUND });
  });

  it("removes from one slot when asked by index", () => {
    const inv = must(addItem(createInventory(2), "herb", 4, items));
    assert.deepEqual(slotsOf(must(removeFromSlot(inv, 0, 3))), ["herbx1", "-"]);
    assert.deepEqual(removeFromSlot(inv, 1, 1), { ok: false, code: InventoryRefusal.NOT_FOUND });
    assert.deepEqual(removeFromSlot(inv, 5, 1), { ok: false, code: InventoryRefusal.BAD_SLOT });
  });
});

describe("inventory slots", () => {
  const base = () =>
    must(
      addItems(
        createInventory(4),
        [
          { itemId: "pelt", qty: 2 },
          { itemId: "sword", qty: 1 },
        ],
        items,
      ),
    );

  it("moves into an empty slot and swaps different items", () => {
    assert.deepEqual(slotsOf(must(moveItem(base(), 0, 3, items))), ["-", "swordx1", "-", "peltx2"]);
    assert.deepEqual(slotsOf(must(moveItem(base(), 0, 1, items))), ["swordx1", "peltx2", "-", "-"]);
  });

  it("merges up to maxStack and leaves the rest when moving onto the same item", () => {
    const inv = must(splitStack(must(addItem(createInventory(3), "pelt", 3, items)), 0, 1, 1));
    assert.deepEqual(slotsOf(inv), ["peltx2", "peltx1", "-"]);
    const two = must(addItem(inv, "pelt", 2, items)); // peltx3, peltx2
    assert.deepEqual(slotsOf(must(moveItem(two, 1, 0, items))), ["peltx3", "peltx2", "-"]);
    assert.deepEqual(slotsOf(must(moveItem(inv, 1, 0, items))), ["peltx3", "-", "-"]);
  });

  it("refuses splits into occupied slots or with bad quantities", () => {
    assert.deepEqual(splitStack(base(), 0, 1, 1), {
      ok: false,
      code: InventoryRefusal.SLOT_OCCUPIED,
    });
    assert.deepEqual(splitStack(base(), 0, 2, 2), {
      ok: false,
      code: InventoryRefusal.INVALID_QUANTITY,
    });
    assert.deepEqual(splitStack(base(), 2, 3, 1), { ok: false, code: InventoryRefusal.NOT_FOUND });
  });

  it("compacts partial stacks into the earliest slots", () => {
    const inv: Inventory = {
      slots: [
        { itemId: "pelt", qty: 1 },
        { itemId: "sword", qty: 1 },
        { itemId: "pelt", qty: 1 },
        { itemId: "pelt", qty: 2 },
      ],
    };
    assert.deepEqual(slotsOf(compactStacks(inv, items)), ["peltx3", "swordx1", "-", "peltx1"]);
  });
});
