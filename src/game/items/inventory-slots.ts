import {
  InventoryRefusal,
  isSlot,
  type Inventory,
  type InventoryResult,
  type ItemIndex,
} from "./inventory.ts";

/**
 * Move the stack in `from` onto `to`: into an empty slot it moves; onto the same item it merges
 * up to maxStack (the rest stays in `from`); onto a different item the two swap.
 */
export function moveItem(
  inventory: Inventory,
  from: number,
  to: number,
  items: ItemIndex,
): InventoryResult {
  if (!isSlot(inventory, from) || !isSlot(inventory, to))
    return { ok: false, code: InventoryRefusal.BAD_SLOT };
  const a = inventory.slots[from] ?? null;
  if (a === null) return { ok: false, code: InventoryRefusal.NOT_FOUND };
  if (from === to) return { ok: true, inventory };
  const b = inventory.slots[to] ?? null;
  const slots = inventory.slots.slice();
  if (b !== null && b.itemId === a.itemId) {
    const item = items.get(a.itemId);
    if (item === undefined) return { ok: false, code: InventoryRefusal.UNKNOWN_ITEM };
    const moved = Math.min(a.qty, Math.max(0, item.maxStack - b.qty));
    if (moved === 0) return { ok: true, inventory };
    slots[to] = { itemId: b.itemId, qty: b.qty + moved };
    slots[from] = a.qty === moved ? null : { itemId: a.itemId, qty: a.qty - moved };
  } else {
    slots[to] = a;
    slots[from] = b;
  }
  return { ok: true, inventory: { slots } };
}

/** Split `qty` (at least 1, less than the stack) off `from` into the empty slot `to`. */
export function splitStack(
  inventory: Inventory,
  from: number,
  to: number,
  qty: number,
): InventoryResult {
  if (!isSlot(inventory, from) || !isSlot(inventory, to))
    return { ok: false, code: InventoryRefusal.BAD_SLOT };
  const a = inventory.slots[from] ?? null;
  if (a === null) return { ok: false, code: InventoryRefusal.NOT_FOUND };
  if (inventory.slots[to] !== null) return { ok: false, code: InventoryRefusal.SLOT_OCCUPIED };
  if (!Number.isInteger(qty) || qty < 1 || qty >= a.qty) {
    return { ok: false, code: InventoryRefusal.INVALID_QUANTITY };
  }
  const slots = inventory.slots.slice();
  slots[from] = { itemId: a.itemId, qty: a.qty - qty };
  slots[to] = { itemId: a.itemId, qty };
  return { ok: true, inventory: { slots } };
}

/** Merge every partial stack of each item into as few slots as possible (sort-free compaction). */
export function compactStacks(inventory: Inventory, items: ItemIndex): Inventory {
  let inv = inventory;
  for (let to = 0; to < inv.slots.length; to++) {
    for (let from = to + 1; from < inv.slots.length; from++) {
      const a = inv.slots[to];
      const b = inv.slots[from];
      if (a == null || b == null || a.itemId !== b.itemId) continue;
      const r = moveItem(inv, from, to, items);
      if (r.ok) inv = r.inventory;
    }
  }
  return inv;
}
