import { isEquipment, ItemType, type EquipmentItem, type Item } from "../content/items.ts";
import type { Job } from "../content/jobs.ts";
import type { Contribution } from "../leveling/contributions.ts";
import { addItem, isSlot, type Inventory, type ItemIndex } from "./inventory.ts";

export const EquipSlot = {
  WEAPON: "weapon",
  HEAD: "head",
  CHEST: "chest",
  LEGS: "legs",
  FEET: "feet",
  HANDS: "hands",
  RING_1: "ring_1",
  RING_2: "ring_2",
  AMULET: "amulet",
} as const;
export type EquipSlot = (typeof EquipSlot)[keyof typeof EquipSlot];
export const EQUIP_SLOTS: readonly EquipSlot[] = Object.values(EquipSlot);

/** Item id worn in each slot, or null. */
export type Equipment = Readonly<Record<EquipSlot, string | null>>;

export const EquipRefusal = {
  NOT_FOUND: "NOT_FOUND",
  UNKNOWN_ITEM: "UNKNOWN_ITEM",
  BAD_SLOT: "BAD_SLOT",
  NOT_EQUIPPABLE: "NOT_EQUIPPABLE",
  WRONG_SLOT: "WRONG_SLOT",
  LEVEL_TOO_LOW: "LEVEL_TOO_LOW",
  WRONG_JOB: "WRONG_JOB",
  INVENTORY_FULL: "INVENTORY_FULL",
} as const;
export type EquipRefusal = (typeof EquipRefusal)[keyof typeof EquipRefusal];

/** Who is equipping: level and job gate items. */
export type Wearer = { level: number; jobId: string };

/** Inventory and equipment change together. */
export type Gear = { inventory: Inventory; equipment: Equipment };

export type EquipResult =
  | { ok: true; inventory: Inventory; equipment: Equipment; unequipped: string | null }
  | { ok: false; code: EquipRefusal };

/** Nothing worn. */
export function createEquipment(): Equipment {
  return Object.fromEntries(EQUIP_SLOTS.map((s) => [s, null])) as Record<EquipSlot, null>;
}

/** The equipment slots an item can go in (rings fit either ring slot); [] if not equipment. */
export function slotsForItem(item: Item): EquipSlot[] {
  if (item.type === ItemType.WEAPON) return [EquipSlot.WEAPON];
  if (item.type === ItemType.ARMOR) return [item.slot];
  if (item.type === ItemType.ACCESSORY) {
    return item.slot === "ring" ? [EquipSlot.RING_1, EquipSlot.RING_2] : [EquipSlot.AMULET];
  }
  return [];
}

/** Why `wearer` may not put `item` in `slot`, or null when they may. */
export function checkEquip(
  item: Item,
  slot: EquipSlot,
  wearer: Wearer,
  jobs: ReadonlyMap<string, Job>,
): EquipRefusal | null {
  if (!isEquipment(item)) return EquipRefusal.NOT_EQUIPPABLE;
  if (!slotsForItem(item).includes(slot)) return EquipRefusal.WRONG_SLOT;
  if (wearer.level < item.levelReq) return EquipRefusal.LEVEL_TOO_LOW;
  if (!isJobAllowed(item, wearer.jobId, jobs)) return EquipRefusal.WRONG_JOB;
  return null;
}

function isJobAllowed(item: EquipmentItem, jobId: string, jobs: ReadonlyMap<string, Job>): boolean {
  if (item.jobs.length > 0 && !item.jobs.includes(jobId)) return false;
  if (item.type !== ItemType.WEAPON) return true;
  return jobs.get(jobId)?.weaponTypes.includes(item.weaponType) ?? false;
}

/**
 * Equip the item in inventory slot `from` into `slot` (default: its first free fitting slot).
 * Whatever was worn there goes back into the freed inventory slot: items are swapped, never lost.
 */
export function equip(
  gear: Gear,
  from: number,
  wearer: Wearer,
  content: { items: ItemIndex; jobs: ReadonlyMap<string, Job> },
  slot?: EquipSlot,
): EquipResult {
  const { inventory, equipment } = gear;
  if (!isSlot(inventory, from)) return { ok: false, code: EquipRefusal.BAD_SLOT };
  const stack = inventory.slots[from] ?? null;
  if (stack === null) return { ok: false, code: EquipRefusal.NOT_FOUND };
  const item = content.items.get(stack.itemId);
  if (item === undefined) return { ok: false, code: EquipRefusal.UNKNOWN_ITEM };
  const fits = slotsForItem(item);
  const target = slot ?? fits.find((s) => equipment[s] === null) ?? fits[0];
  if (target === undefined) return { ok: false, code: EquipRefusal.NOT_EQUIPPABLE };
  const refusal = checkEquip(item, target, wearer, content.jobs);
  if (refusal !== null) return { ok: false, code: refusal };

  const previous = equipment[target];
  const slots = inventory.slots.slice();
  let next: Inventory = { slots };
  if (stack.qty === 1) {
    slots[from] = previous === null ? null : { itemId: previous, qty: 1 };
  } else {
    slots[from] = { itemId: stack.itemId, qty: stack.qty - 1 };
    if (previous !== null) {
      const added = addItem(next, previous, 1, content.items);
      if (!added.ok) return { ok: false, code: EquipRefusal.INVENTORY_FULL };
      next = added.inventory;
    }
  }
  return {
    ok: true,
    inventory: next,
    equipment: { ...equipment, [target]: stack.itemId },
    unequipped: previous,
  };
}

/** Take off what is worn in `slot` into the inventory (INVENTORY_FULL when there is no room). */
export function unequip(gear: Gear, slot: EquipSlot, items: ItemIndex): EquipResult {
  const worn = gear.equipment[slot];
  if (worn === undefined) return { ok: false, code: EquipRefusal.BAD_SLOT };
  if (worn === null) return { ok: false, code: EquipRefusal.NOT_FOUND };
  const added = addItem(gear.inventory, worn, 1, items);
  if (!added.ok) return { ok: false, code: EquipRefusal.INVENTORY_FULL };
  return {
    ok: true,
    inventory: added.inventory,
    equipment: { ...gear.equipment, [slot]: null },
    unequipped: worn,
  };
}

/** Stat contributions of everything worn, in slot order, tagged system "equipment". */
export function equipmentContributions(equipment: Equipment, items: ItemIndex): Contribution[] {
  const out: Contribution[] = [];
  for (const slot of EQUIP_SLOTS) {
    const id = equipment[slot];
    const item = id === null ? undefined : items.get(id);
    if (item === undefined || !isEquipment(item)) continue;
    for (const m of item.stats) {
      out.push({ dimension: m.dimension, bucket: m.bucket, value: m.value, system: "equipment" });
    }
  }
  return out;
}
