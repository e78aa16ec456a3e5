import {
  createEquipment,
  EQUIP_SLOTS,
  type EquipSlot,
  type Equipment,
} from "../game/items/equipment.ts";
import { createInventory, type Inventory, type ItemStack } from "../game/items/inventory.ts";
import { QuestStatus, type QuestLog, type QuestProgress } from "../game/quests/quest-log.ts";
import { parseTimers, type CharacterTimers } from "./character-timers.ts";
import type { ProgressRow } from "./progress.repository.ts";

/** Inventory slots every character has. */
export const INVENTORY_SIZE = 30;

/** The character row fields progression reads; level..y are written back by saves. */
export type ProgressCharacter = {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly race: string;
  readonly job: string;
  readonly level: number;
  readonly xp: number;
  readonly gold: number;
  readonly hp: number;
  readonly mp: number;
  readonly zone: string;
  readonly x: number;
  readonly y: number;
  /** The stored version this state was loaded at; a save naming an older one is refused. */
  readonly version: number;
  /** Cooldowns and effects still running (wall-clock expiries); written back by saves. */
  readonly timers: CharacterTimers;
};

/** Everything persisted about a character's progress, as the pure rules see it. */
export type CharacterProgress = {
  readonly character: ProgressCharacter;
  readonly inventory: Inventory;
  readonly equipment: Equipment;
  readonly quests: QuestLog;
};

const QUEST_STATUSES: ReadonlySet<string> = new Set(Object.values(QuestStatus));
const isEquipSlot = (slot: string): slot is EquipSlot =>
  (EQUIP_SLOTS as readonly string[]).includes(slot);

/**
 * Builds the pure state from stored rows. The inventory has `size` slots, or more if rows sit
 * beyond it (after a size reduction): items are never dropped on load.
 */
export function toCharacterProgress(
  row: ProgressRow,
  size = INVENTORY_SIZE,
  now = Date.now(),
): CharacterProgress {
  const lastSlot = row.inventory.reduce((max, r) => Math.max(max, r.slot), -1);
  const slots: (ItemStack | null)[] = createInventory(Math.max(size, lastSlot + 1)).slots.slice();
  for (const r of row.inventory) slots[r.slot] = { itemId: r.itemId, qty: r.quantity };

  const equipment: Record<EquipSlot, string | null> = { ...createEquipment() };
  for (const r of row.equipment) {
    if (!isEquipSlot(r.slot)) throw new Error(`character ${row.id}: unknown equip slot ${r.slot}`);
    equipment[r.slot] = r.itemId;
  }

  const active: QuestProgress[] = row.quests.map((q) => {
    if (!QUEST_STATUSES.has(q.status)) {
      throw new Error(`character ${row.id}: quest ${q.questId} has unknown status ${q.status}`);
    }
    return { questId: q.questId, progress: q.progress, status: q.status as QuestStatus };
  });

  return {
    character: {
      id: row.id,
      accountId: row.accountId,
      name: row.name,
      race: row.race,
      job: row.job,
      level: row.level,
      xp: Number(row.xp),
      gold: Number(row.gold),
      hp: row.hp,
      mp: row.mp,
      zone: row.zone,
      x: row.x,
      y: row.y,
      version: row.version,
      timers: parseTimers(row.timers, now),
    },
    inventory: { slots },
    equipment,
    quests: { active, completed: row.completedQuests.map((c) => c.questId) },
  };
}
