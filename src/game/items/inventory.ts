import type { Item } from "../content/items.ts";

/** A stack of one item template in one inventory slot. */
export type ItemStack = { readonly itemId: string; readonly qty: number };

/** A fixed number of slots, each empty (null) or holding one stack. */
export type Inventory = { readonly slots: readonly (ItemStack | null)[] };

/** Item templates by id (content.items). */
export type ItemIndex = ReadonlyMap<string, Item>;

export const InventoryRefusal = {
  INVENTORY_FULL: "INVENTORY_FULL",
  NOT_FOUND: "NOT_FOUND",
  NOT_ENOUGH: "NOT_ENOUGH",
  UNKNOWN_ITEM: "UNKNOWN_ITEM",
  BAD_SLOT: "BAD_SLOT",
  SLOT_OCCUPIED: "SLOT_OCCUPIED",
  INVALID_QUANTITY: "INVALID_QUANTITY",
} as const;
export type InventoryRefusal = (typeof InventoryRefusal)[keyof typeof InventoryRefusal];

export type InventoryResult =
  { ok: true; inventory: Inventory } | { ok: false; code: InventoryRefusal };

/** An empty inventory with `size` slots. */
export function createInventory(size: number): Inventory {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`bad inventory size ${size}`);
  return { slots: Array.from({ length: size }, () => null) };
}

/** How many of `itemId` the inventory holds across all slots. */
export function countItem(inventory: Inventory, itemId: string): number {
  let n = 0;
  for (const s of inventory.slots) if (s !== null && s.itemId === itemId) n += s.qty;
  return n;
}

/** Total quantity per item id (for conservation checks and quest counting). */
export function itemTotals(inventory: Inventory): Map<string, number> {
  const totals = new Map<string, number>();
  for (const s of inventory.slots)
    if (s !== null) totals.set(s.itemId, (totals.get(s.itemId) ?? 0) + s.qty);
  return totals;
}

/** Number of empty slots. */
export function freeSlots(inventory: Inventory): number {
  return inventory.slots.reduce((n, s) => (s === null ? n + 1 : n), 0);
}

/**
 * Add `qty` of an item: tops up existing stacks (slot order) to maxStack, then fills empty
 * slots. All or nothing: INVENTORY_FULL leaves the inventory unchanged.
 */
export function addItem(
  inventory: Inventory,
  itemId: string,
  qty: number,
  items: ItemIndex,
): InventoryResult {
  return addItems(inventory, [{ itemId, qty }], items);
}

/** Add several stacks at once, all or nothing (loot pickup, quest rewards). */
export function addItems(
  inventory: Inventory,
  stacks: readonly ItemStack[],
  items: ItemIndex,
): InventoryResult {
  const slots = inventory.slots.slice();
  for (const { itemId, qty } of stacks) {
    if (!Number.isInteger(qty) || qty < 1)
      return { ok: false, code: InventoryRefusal.INVALID_QUANTITY };
    const item = items.get(itemId);
    if (item === undefined) return { ok: false, code: InventoryRefusal.UNKNOWN_ITEM };
    let left = qty;
    for (let i = 0; i < slots.length && left > 0; i++) {
      const s = slots[i];
      if (s === null || s === undefined || s.itemId !== itemId || s.qty >= item.maxStack) continue;
      const put = Math.min(left, item.maxStack - s.qty);
      slots[i] = { itemId, qty: s.qty + put };
      left -= put;
    }
    for (let i = 0; i < slots.length && left > 0; i++) {
      if (slots[i] !== null) continue;
      const put = Math.min(left, item.maxStack);
      slots[i] = { itemId, qty: put };
      left -= put;
    }
    if (left > 0) return { ok: false, code: InventoryRefusal.INVENTORY_FULL };
  }
  return { ok: true, inventory: { slots } };
}

/** True when addItems would succeed. */
export function canAddItems(
  inventory: Inventory,
  stacks: readonly ItemStack[],
  items: ItemIndex,
): boolean {
  return addItems(inventory, stacks, items).ok;
}

/** Remove `qty` of an item wherever it is, last slots first; all or nothing. */
export function removeItem(inventory: Inventory, itemId: string, qty: number): InventoryResult {
  if (!Number.isInteger(qty) || qty < 1)
    return { ok: false, code: InventoryRefusal.INVALID_QUANTITY };
  const have = countItem(inventory, itemId);
  if (have === 0) return { ok: false, code: InventoryRefusal.NOT_FOUND };
  if (have < qty) return { ok: false, code: InventoryRefusal.NOT_ENOUGH };
  const slots = inventory.slots.slice();
  let left = qty;
  for (let i = slots.length - 1; i >= 0 && left > 0; i--) {
    const s = slots[i];
    if (s === null || s === undefined || s.itemId !== itemId) continue;
    const take = Math.min(left, s.qty);
    slots[i] = take === s.qty ? null : { itemId, qty: s.qty - take };
    left -= take;
  }
  return { ok: true, inventory: { slots } };
}

/** Remove `qty` from one slot (drop, sell, use). */
export function removeFromSlot(inventory: Inventory, slot: number, qty: number): InventoryResult {
  if (!isSlot(inventory, slot)) return { ok: false, code: InventoryRefusal.BAD_SLOT };
  if (!Number.isInteger(qty) || qty < 1)
    return { ok: false, code: InventoryRefusal.INVALID_QUANTITY };
  const s = inventory.slots[slot];
  if (s === null || s === undefined) return { ok: false, code: InventoryRefusal.NOT_FOUND };
  if (s.qty < qty) return { ok: false, code: InventoryRefusal.NOT_ENOUGH };
  const slots = inventory.slots.slice();
  slots[slot] = s.qty === qty ? null : { itemId: s.itemId, qty: s.qty - qty };
  return { ok: true, inventory: { slots } };
}

/** True when `slot` is an index of the inventory. */
export function isSlot(inventory: Inventory, slot: number): boolean {
  return Number.isInteger(slot) && slot >= 0 && slot < inventory.slots.length;
}
