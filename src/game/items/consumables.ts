import { ItemType } from "../content/items.ts";
import { cooldownRemainingMs, startCooldown, type Cooldowns } from "../combat/cooldowns.ts";
import { isSlot, removeFromSlot, type Inventory, type ItemIndex } from "./inventory.ts";
import type { Wearer } from "./equipment.ts";

export const ConsumeRefusal = {
  BAD_SLOT: "BAD_SLOT",
  NOT_FOUND: "NOT_FOUND",
  UNKNOWN_ITEM: "UNKNOWN_ITEM",
  NOT_CONSUMABLE: "NOT_CONSUMABLE",
  LEVEL_TOO_LOW: "LEVEL_TOO_LOW",
  WRONG_JOB: "WRONG_JOB",
  ON_COOLDOWN: "ON_COOLDOWN",
} as const;
export type ConsumeRefusal = (typeof ConsumeRefusal)[keyof typeof ConsumeRefusal];

export type ConsumeResult =
  | {
      ok: true;
      itemId: string;
      inventory: Inventory;
      /** Item cooldowns by cooldown group. */
      cooldowns: Cooldowns;
      /** Points to restore; the caller clamps to hp_max/mp_max. */
      restore: { hp: number; mp: number };
    }
  | { ok: false; code: ConsumeRefusal; remainingMs?: number };

/** Use one consumable from inventory slot `slot` at `nowMs`: spends it and starts its group's cooldown. */
export function useConsumable(
  inventory: Inventory,
  cooldowns: Cooldowns,
  slot: number,
  nowMs: number,
  wearer: Wearer,
  items: ItemIndex,
): ConsumeResult {
  if (!isSlot(inventory, slot)) return { ok: false, code: ConsumeRefusal.BAD_SLOT };
  const stack = inventory.slots[slot] ?? null;
  if (stack === null) return { ok: false, code: ConsumeRefusal.NOT_FOUND };
  const item = items.get(stack.itemId);
  if (item === undefined) return { ok: false, code: ConsumeRefusal.UNKNOWN_ITEM };
  if (item.type !== ItemType.CONSUMABLE) return { ok: false, code: ConsumeRefusal.NOT_CONSUMABLE };
  if (wearer.level < item.levelReq) return { ok: false, code: ConsumeRefusal.LEVEL_TOO_LOW };
  if (item.jobs.length > 0 && !item.jobs.includes(wearer.jobId)) {
    return { ok: false, code: ConsumeRefusal.WRONG_JOB };
  }
  const remainingMs = cooldownRemainingMs(cooldowns, item.cooldownGroup, nowMs);
  if (remainingMs > 0) return { ok: false, code: ConsumeRefusal.ON_COOLDOWN, remainingMs };
  const removed = removeFromSlot(inventory, slot, 1);
  if (!removed.ok) return { ok: false, code: ConsumeRefusal.NOT_FOUND };
  return {
    ok: true,
    itemId: item.id,
    inventory: removed.inventory,
    cooldowns: startCooldown(cooldowns, item.cooldownGroup, nowMs, item.cooldownMs),
    restore: { hp: item.restore.hp, mp: item.restore.mp },
  };
}
