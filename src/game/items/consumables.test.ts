import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import { addItems, countItem, createInventory } from "./inventory.ts";
import { ConsumeRefusal, useConsumable } from "./consumables.ts";

const items = testContent().items;
const wearer = { level: 1, jobId: "warrior" };
const added = addItems(
  createInventory(3),
  [
    { itemId: "potion", qty: 2 },
    { itemId: "herb", qty: 1 },
  ],
  items,
);
assert.ok(added.ok);
const inv = added.inventory;

describe("useConsumable", () => {
  it("spends one and restores its amounts when off cooldown", () => {
    const r = useConsumable(inv, {}, 0, 5000, wearer, items);
    assert.ok(r.ok);
    assert.deepEqual(r.restore, { hp: 50, mp: 0 });
    assert.equal(countItem(r.inventory, "potion"), 1);
    assert.deepEqual(r.cooldowns, { potion: 6000 });
  });

  it("refuses with remainingMs when its group is on cooldown", () => {
    const r = useConsumable(inv, { potion: 6000 }, 0, 5500, wearer, items);
    assert.deepEqual(r, { ok: false, code: ConsumeRefusal.ON_COOLDOWN, remainingMs: 500 });
  });

  it("ignores other groups' cooldowns when checking", () => {
    assert.ok(useConsumable(inv, { ether: 99_999 }, 0, 0, wearer, items).ok);
  });

  it("refuses non-consumables and empty slots", () => {
    assert.equal(
      (useConsumable(inv, {}, 1, 0, wearer, items) as { code: string }).code,
      ConsumeRefusal.NOT_CONSUMABLE,
    );
    assert.equal(
      (useConsumable(inv, {}, 2, 0, wearer, items) as { code: string }).code,
      ConsumeRefusal.NOT_FOUND,
    );
  });
});
