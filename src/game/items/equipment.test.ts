import { strict as assert } from "node:assert";
import fc from "fast-check";
import { testContent } from "../content/test-content.ts";
import { addItems, createInventory, itemTotals, type Inventory } from "./inventory.ts";
import { moveItem, splitStack } from "./inventory-slots.ts";
import {
  createEquipment,
  EQUIP_SLOTS,
  equip,
  EquipRefusal,
  equipmentContributions,
  unequip,
  type Equipment,
  type Gear,
} from "./equipment.ts";

const content = testContent();
const warrior = { level: 5, jobId: "warrior" };

function gearWith(stacks: { itemId: string; qty: number }[], size = 6): Gear {
  const r = addItems(createInventory(size), stacks, content.items);
  assert.ok(r.ok);
  return { inventory: r.inventory, equipment: createEquipment() };
}

describe("equip", () => {
  it("moves the item into its slot and frees the inventory slot", () => {
    const r = equip(gearWith([{ itemId: "sword", qty: 1 }]), 0, warrior, content);
    assert.ok(r.ok);
    assert.equal(r.equipment.weapon, "sword");
    assert.equal(r.inventory.slots[0], null);
    assert.equal(r.unequipped, null);
  });

  it("swaps the previously worn item into the freed slot when the slot is taken", () => {
    const first = equip(
      gearWith([
        { itemId: "ring", qty: 1 },
        { itemId: "helm", qty: 1 },
      ]),
      1,
      warrior,
      content,
    );
    assert.ok(first.ok);
    const again = gearWith([{ itemId: "helm", qty: 1 }]);
    const r = equip(
      { inventory: again.inventory, equipment: first.equipment },
      0,
      warrior,
      content,
    );
    assert.ok(r.ok);
    assert.equal(r.unequipped, "helm");
    assert.deepEqual(r.inventory.slots[0], { itemId: "helm", qty: 1 });
  });

  it("fills the second ring slot when the first is taken", () => {
    let gear = gearWith([
      { itemId: "ring", qty: 1 },
      { itemId: "ring", qty: 1 },
    ]);
    for (const from of [0, 1]) {
      const r = equip(gear, from, warrior, content);
      assert.ok(r.ok);
      gear = r;
    }
    assert.deepEqual([gear.equipment.ring_1, gear.equipment.ring_2], ["ring", "ring"]);
  });

  it("refuses with the matching code when a rule is broken", () => {
    const gear = gearWith([
      { itemId: "sword", qty: 1 },
      { itemId: "big_sword", qty: 1 },
      { itemId: "staff", qty: 1 },
      { itemId: "herb", qty: 1 },
    ]);
    const code = (from: number, slot?: (typeof EQUIP_SLOTS)[number]) => {
      const r = equip(gear, from, warrior, content, slot);
      return r.ok ? "ok" : r.code;
    };
    assert.equal(code(0, "head"), EquipRefusal.WRONG_SLOT);
    assert.equal(code(1), EquipRefusal.LEVEL_TOO_LOW);
    assert.equal(code(2), EquipRefusal.WRONG_JOB);
    assert.equal(code(3), EquipRefusal.NOT_EQUIPPABLE);
    assert.equal(code(4), EquipRefusal.NOT_FOUND);
    assert.equal(code(99), EquipRefusal.BAD_SLOT);
    const mage = equip(gear, 1, { level: 10, jobId: "mage" }, content);
    assert.deepEqual(mage, { ok: false, code: EquipRefusal.WRONG_JOB }, "mage cannot wield swords");
  });
});

describe("unequip", () => {
  it("returns the item to the inventory when there is room", () => {
    const worn = equip(gearWith([{ itemId: "helm", qty: 1 }]), 0, warrior, content);
    assert.ok(worn.ok);
    const r = unequip(worn, "head", content.items);
    assert.ok(r.ok);
    assert.equal(r.equipment.head, null);
    assert.deepEqual(r.inventory.slots[0], { itemId: "helm", qty: 1 });
  });

  it("refuses when the inventory is full or the slot is empty", () => {
    const equipment: Equipment = { ...createEquipment(), head: "helm" };
    const full = gearWith([{ itemId: "herb", qty: 10 }], 1);
    assert.deepEqual(unequip({ ...full, equipment }, "head", content.items), {
      ok: false,
      code: EquipRefusal.INVENTORY_FULL,
    });
    assert.deepEqual(unequip(full, "head", content.items), {
      ok: false,
      code: EquipRefusal.NOT_FOUND,
    });
  });
});

describe("equipmentContributions", () => {
  it("lists every worn item's stats with system equipment", () => {
    const equipment: Equipment = { ...createEquipment(), weapon: "sword", head: "helm" };
    assert.deepEqual(equipmentContributions(equipment, content.items), [
      { dimension: "attack_power", bucket: "FLAT", value: 10, system: "equipment" },
      { dimension: "defense", bucket: "FLAT", value: 5, system: "equipment" },
    ]);
  });
});

describe("item conservation", () => {
  function totals(gear: Gear): Record<string, number> {
    const t = itemTotals(gear.inventory);
    for (const slot of EQUIP_SLOTS) {
      const id = gear.equipment[slot];
      if (id !== null) t.set(id, (t.get(id) ?? 0) + 1);
    }
    return Object.fromEntries([...t].sort());
  }

  it("keeps every item count unchanged when moves, splits, equips and unequips are applied at random", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("move" as const), a: fc.nat(7), b: fc.nat(7) }),
      fc.record({
        kind: fc.constant("split" as const),
        a: fc.nat(7),
        b: fc.nat(7),
        q: fc.integer({ min: 0, max: 12 }),
      }),
      fc.record({ kind: fc.constant("equip" as const), a: fc.nat(7) }),
      fc.record({ kind: fc.constant("unequip" as const), s: fc.constantFrom(...EQUIP_SLOTS) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let gear = gearWith(
          [
            { itemId: "sword", qty: 1 },
            { itemId: "helm", qty: 1 },
            { itemId: "ring", qty: 1 },
            { itemId: "ring", qty: 1 },
            { itemId: "herb", qty: 13 },
            { itemId: "pelt", qty: 4 },
          ],
          8,
        );
        const before = totals(gear);
        for (const o of ops) {
          let inv: Inventory | undefined;
          if (o.kind === "move") {
            const r = moveItem(gear.inventory, o.a, o.b, content.items);
            inv = r.ok ? r.inventory : undefined;
          } else if (o.kind === "split") {
            const r = splitStack(gear.inventory, o.a, o.b, o.q);
            inv = r.ok ? r.inventory : undefined;
          } else {
            const r =
              o.kind === "equip"
                ? equip(gear, o.a, { level: 20, jobId: "warrior" }, content)
                : unequip(gear, o.s, content.items);
            if (r.ok) gear = { inventory: r.inventory, equipment: r.equipment };
          }
          if (inv !== undefined) gear = { ...gear, inventory: inv };
          assert.deepEqual(totals(gear), before);
          for (const s of gear.inventory.slots) {
            if (s !== null)
              assert.ok(s.qty >= 1 && s.qty <= (content.items.get(s.itemId)?.maxStack ?? 0));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
