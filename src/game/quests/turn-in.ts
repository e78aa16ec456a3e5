import type { Quest } from "../content/quests.ts";
import {
  addItems,
  countItem,
  removeItem,
  type Inventory,
  type ItemStack,
} from "../items/inventory.ts";
import { QuestRefusal, QuestStatus, type QuestContent, type QuestLog } from "./quest-log.ts";

export type TurnInResult =
  | {
      ok: true;
      log: QuestLog;
      inventory: Inventory;
      /** For the caller to apply with addXp and to the character's gold. */
      xp: number;
      gold: number;
      items: ItemStack[];
    }
  | { ok: false; code: QuestRefusal };

/**
 * Turn in a READY quest: takes the collected items, gives the reward items (all or nothing:
 * INVENTORY_FULL changes nothing), moves the quest to completed, and returns xp and gold to grant.
 */
export function turnInQuest(
  log: QuestLog,
  questId: string,
  inventory: Inventory,
  content: QuestContent,
): TurnInResult {
  const entry = log.active.find((q) => q.questId === questId);
  const quest = content.quests.get(questId);
  if (entry === undefined || quest === undefined)
    return { ok: false, code: QuestRefusal.NOT_ACTIVE };
  if (entry.status !== QuestStatus.READY) return { ok: false, code: QuestRefusal.NOT_READY };

  let inv = inventory;
  for (const o of quest.objectives) {
    if (o.type !== "collect") continue;
    if (countItem(inv, o.item) < o.count) return { ok: false, code: QuestRefusal.MISSING_ITEMS };
    const removed = removeItem(inv, o.item, o.count);
    if (!removed.ok) return { ok: false, code: QuestRefusal.MISSING_ITEMS };
    inv = removed.inventory;
  }
  const items = rewardItems(quest);
  const added = addItems(inv, items, content.items);
  if (!added.ok) return { ok: false, code: QuestRefusal.INVENTORY_FULL };
  return {
    ok: true,
    log: {
      active: log.active.filter((q) => q.questId !== questId),
      completed: [...log.completed, questId],
    },
    inventory: added.inventory,
    xp: quest.rewards.xp,
    gold: quest.rewards.gold,
    items,
  };
}

function rewardItems(quest: Quest): ItemStack[] {
  return quest.rewards.items.map((r) => ({ itemId: r.item, qty: r.qty }));
}
