import {
  addItems,
  InventoryRefusal,
  isSlot,
  type Inventory,
  type ItemIndex,
  type ItemStack,
} from "../items/inventory.ts";

/** Why an economy change is refused (values, not exceptions: refusals are expected). */
export const EconomyRefusal = {
  NOT_ENOUGH_GOLD: "NOT_ENOUGH_GOLD",
  INVENTORY_FULL: "INVENTORY_FULL",
  /** The slot is empty or not a slot. */
  ITEM_NOT_FOUND: "ITEM_NOT_FOUND",
  NOT_ENOUGH_ITEMS: "NOT_ENOUGH_ITEMS",
  /** The slot holds another item than the one offered (the offer is stale). */
  ITEM_CHANGED: "ITEM_CHANGED",
  ITEM_BOUND: "ITEM_BOUND",
  QUEST_ITEM: "QUEST_ITEM",
  UNKNOWN_ITEM: "UNKNOWN_ITEM",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  DUPLICATE_SLOT: "DUPLICATE_SLOT",
} as const;
export type EconomyRefusal = (typeof EconomyRefusal)[keyof typeof EconomyRefusal];

/** Take `qty` from inventory `slot`; `itemId`, when given, must be what the slot holds. */
export type SlotTake = { readonly slot: number; readonly qty: number; readonly itemId?: string };

/**
 * One character's side of an economy operation, as plain data: it may travel to the process
 * whose room holds the character, so it cannot be a function.
 */
export type CharacterChange = {
  readonly characterId: string;
  /** Gold added (+) or taken (−), in whole gold. */
  readonly gold?: number;
  /** Stacks taken out of inventory slots (applied before `give`, so a swap can reuse the slots). */
  readonly take?: readonly SlotTake[];
  /**
   * Stacks taken by item id from whichever slots hold them, last slots first (an operator's
   * removal); applied after `take`.
   */
  readonly takeItems?: readonly ItemStack[];
  /** Stacks added, all or nothing. */
  readonly give?: readonly ItemStack[];
  /** Refuse bound and quest items among `take` (trade, mail). */
  readonly tradeableOnly?: boolean;
};

/** What a change works on: a character's purse and bags (equipment is never touched). */
export type Holdings = { readonly gold: number; readonly inventory: Inventory };

/** Content the rules need: item templates and the ids of quest-objective items. */
export type EconomyRules = { readonly items: ItemIndex; readonly questItems: ReadonlySet<string> };

export type ChangeOutcome = {
  readonly gold: number;
  readonly inventory: Inventory;
  readonly goldDelta: number;
  /** What left the inventory, per take, with the item id read from the slot. */
  readonly taken: readonly ItemStack[];
  readonly given: readonly ItemStack[];
};

export type ChangeResult =
  | { readonly ok: true; readonly outcome: ChangeOutcome }
  | { readonly ok: false; readonly code: EconomyRefusal; readonly characterId?: string };

const refuse = (code: EconomyRefusal): ChangeResult => ({ ok: false, code });

/** Why `itemId` may not change hands, or null when it may. */
export function tradeRefusal(itemId: string, rules: EconomyRules): EconomyRefusal | null {
  const item = rules.items.get(itemId);
  if (item === undefined) return EconomyRefusal.UNKNOWN_ITEM;
  if (item.bound === true) return EconomyRefusal.ITEM_BOUND;
  if (rules.questItems.has(itemId)) return EconomyRefusal.QUEST_ITEM;
  return null;
}

/** Gold after adding `delta` (negative to take); NOT_ENOUGH_GOLD below zero. */
export function changeGold(
  gold: number,
  delta: number,
): { ok: true; gold: number } | { ok: false; code: EconomyRefusal } {
  if (!Number.isSafeInteger(delta)) return { ok: false, code: EconomyRefusal.INVALID_QUANTITY };
  const next = gold + delta;
  if (next < 0) return { ok: false, code: EconomyRefusal.NOT_ENOUGH_GOLD };
  if (!Number.isSafeInteger(next)) return { ok: false, code: EconomyRefusal.INVALID_QUANTITY };
  return { ok: true, gold: next };
}

/** Takes each `take` out of its slot, all or nothing; returns the stacks that left. */
export function takeFromSlots(
  inventory: Inventory,
  takes: readonly SlotTake[],
  rules: EconomyRules,
  tradeableOnly: boolean,
): { ok: true; inventory: Inventory; taken: ItemStack[] } | { ok: false; code: EconomyRefusal } {
  const slots = inventory.slots.slice();
  const seen = new Set<number>();
  const taken: ItemStack[] = [];
  for (const { slot, qty, itemId } of takes) {
    if (!Number.isSafeInteger(qty) || qty < 1) {
      return { ok: false, code: EconomyRefusal.INVALID_QUANTITY };
    }
    if (seen.has(slot)) return { ok: false, code: EconomyRefusal.DUPLICATE_SLOT };
    seen.add(slot);
    const stack = isSlot(inventory, slot) ? slots[slot] : null;
    if (stack === null || stack === undefined) {
      return { ok: false, code: EconomyRefusal.ITEM_NOT_FOUND };
    }
    if (itemId !== undefined && stack.itemId !== itemId) {
      return { ok: false, code: EconomyRefusal.ITEM_CHANGED };
    }
    if (tradeableOnly) {
      const why = tradeRefusal(stack.itemId, rules);
      if (why !== null) return { ok: false, code: why };
    }
    if (stack.qty < qty) return { ok: false, code: EconomyRefusal.NOT_ENOUGH_ITEMS };
    slots[slot] = stack.qty === qty ? null : { itemId: stack.itemId, qty: stack.qty - qty };
    taken.push({ itemId: stack.itemId, qty });
  }
  return { ok: true, inventory: { slots }, taken };
}

/**
 * Takes `stacks` by item id from any slots, last slots first, all or nothing; NOT_ENOUGH_ITEMS
 * when the inventory holds fewer of one than asked.
 */
export function takeItemStacks(
  inventory: Inventory,
  stacks: readonly ItemStack[],
): { ok: true; inventory: Inventory; taken: ItemStack[] } | { ok: false; code: EconomyRefusal } {
  const slots = inventory.slots.slice();
  for (const { itemId, qty } of stacks) {
    if (!Number.isSafeInteger(qty) || qty < 1) {
      return { ok: false, code: EconomyRefusal.INVALID_QUANTITY };
    }
    let left = qty;
    for (let slot = slots.length - 1; slot >= 0 && left > 0; slot--) {
      const stack = slots[slot];
      if (!stack || stack.itemId !== itemId) continue;
      const taken = Math.min(left, stack.qty);
      slots[slot] = stack.qty === taken ? null : { itemId, qty: stack.qty - taken };
      left -= taken;
    }
    if (left > 0) return { ok: false, code: EconomyRefusal.NOT_ENOUGH_ITEMS };
  }
  return { ok: true, inventory: { slots }, taken: stacks.map((s) => ({ ...s })) };
}

/** Adds stacks, all or nothing; INVENTORY_FULL leaves the inventory as it was. */
export function giveItems(
  inventory: Inventory,
  stacks: readonly ItemStack[],
  rules: EconomyRules,
): { ok: true; inventory: Inventory } | { ok: false; code: EconomyRefusal } {
  if (stacks.length === 0) return { ok: true, inventory };
  const added = addItems(inventory, stacks, rules.items);
  if (added.ok) return added;
  switch (added.code) {
    case InventoryRefusal.INVENTORY_FULL:
      return { ok: false, code: EconomyRefusal.INVENTORY_FULL };
    case InventoryRefusal.UNKNOWN_ITEM:
      return { ok: false, code: EconomyRefusal.UNKNOWN_ITEM };
    default:
      return { ok: false, code: EconomyRefusal.INVALID_QUANTITY };
  }
}

/** Applies one character's change: takes, then gives, then gold; all or nothing. */
export function applyCharacterChange(
  holdings: Holdings,
  change: CharacterChange,
  rules: EconomyRules,
): ChangeResult {
  const took = takeFromSlots(
    holdings.inventory,
    change.take ?? [],
    rules,
    change.tradeableOnly === true,
  );
  if (!took.ok) return refuse(took.code);
  const tookItems = takeItemStacks(took.inventory, change.takeItems ?? []);
  if (!tookItems.ok) return refuse(tookItems.code);
  const gave = giveItems(tookItems.inventory, change.give ?? [], rules);
  if (!gave.ok) return refuse(gave.code);
  const goldDelta = change.gold ?? 0;
  const gold = changeGold(holdings.gold, goldDelta);
  if (!gold.ok) return refuse(gold.code);
  return {
    ok: true,
    outcome: {
      gold: gold.gold,
      inventory: gave.inventory,
      goldDelta,
      taken: [...took.taken, ...tookItems.taken],
      given: change.give ?? [],
    },
  };
}

/**
 * Net movement per item id (null for gold) of a change outcome, without zero entries: the
 * character's legs of the ledger.
 */
export function netMovements(outcome: ChangeOutcome): { itemId: string | null; delta: number }[] {
  const net = new Map<string | null, number>();
  if (outcome.goldDelta !== 0) net.set(null, outcome.goldDelta);
  for (const s of outcome.taken) net.set(s.itemId, (net.get(s.itemId) ?? 0) - s.qty);
  for (const s of outcome.given) net.set(s.itemId, (net.get(s.itemId) ?? 0) + s.qty);
  return [...net].filter(([, delta]) => delta !== 0).map(([itemId, delta]) => ({ itemId, delta }));
}

/** Adds up stacks per item id (merging the same item). */
export function sumStacks(stacks: readonly ItemStack[]): ItemStack[] {
  const totals = new Map<string, number>();
  for (const s of stacks) totals.set(s.itemId, (totals.get(s.itemId) ?? 0) + s.qty);
  return [...totals].map(([itemId, qty]) => ({ itemId, qty }));
}

/** Item ids that quest objectives ask the player to collect: they cannot change hands. */
export function questItemIds(
  quests: Iterable<{ readonly objectives: readonly { type: string; item?: string }[] }>,
): Set<string> {
  const ids = new Set<string>();
  for (const q of quests) {
    for (const o of q.objectives) if (o.type === "collect" && o.item) ids.add(o.item);
  }
  return ids;
}
