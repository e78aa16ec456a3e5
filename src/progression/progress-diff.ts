import { EQUIP_SLOTS } from "../game/items/equipment.ts";
import type { CharacterProgress } from "./character-progress.ts";
import type { ProgressRow, RowChanges } from "./progress.repository.ts";

/** No changes yet; diffProgress appends to it. */
export function emptyRowChanges(): RowChanges {
  return {
    inventory: { remove: [], insert: [] },
    equipment: { remove: [], insert: [] },
    quests: { remove: [], insert: [] },
    completed: { remove: [], insert: [] },
  };
}

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Appends to `out` what turns the stored rows `current` into exactly `next`: rows that are gone or
 * changed are deleted, rows that are new or changed are inserted (changed quest rows keep their
 * accepted/completed time). Unchanged rows are not touched.
 */
export function diffProgress(current: ProgressRow, next: CharacterProgress, out: RowChanges): void {
  const characterId = current.id;

  const storedSlots = new Map(current.inventory.map((r) => [r.slot, r]));
  next.inventory.slots.forEach((stack, slot) => {
    const stored = storedSlots.get(slot);
    storedSlots.delete(slot);
    if (stack !== null && stored?.itemId === stack.itemId && stored.quantity === stack.qty) return;
    if (stored !== undefined) out.inventory.remove.push({ characterId, slot });
    if (stack !== null) {
      out.inventory.insert.push({ characterId, slot, itemId: stack.itemId, quantity: stack.qty });
    }
  });
  for (const slot of storedSlots.keys()) out.inventory.remove.push({ characterId, slot });

  const storedWorn = new Map(current.equipment.map((r) => [r.slot, r.itemId]));
  for (const slot of EQUIP_SLOTS) {
    const itemId = next.equipment[slot];
    const stored = storedWorn.get(slot);
    storedWorn.delete(slot);
    if (stored === (itemId ?? undefined)) continue;
    if (stored !== undefined) out.equipment.remove.push({ characterId, slot });
    if (itemId !== null) out.equipment.insert.push({ characterId, slot, itemId });
  }
  for (const slot of storedWorn.keys()) out.equipment.remove.push({ characterId, slot });

  const storedQuests = new Map(current.quests.map((r) => [r.questId, r]));
  next.quests.active.forEach((quest, position) => {
    const stored = storedQuests.get(quest.questId);
    storedQuests.delete(quest.questId);
    if (
      stored?.status === quest.status &&
      stored.position === position &&
      sameNumbers(stored.progress, quest.progress)
    ) {
      return;
    }
    if (stored !== undefined) out.quests.remove.push({ characterId, questId: quest.questId });
    out.quests.insert.push({
      characterId,
      questId: quest.questId,
      status: quest.status,
      progress: [...quest.progress],
      position,
      ...(stored ? { acceptedAt: stored.acceptedAt } : {}),
    });
  });
  for (const questId of storedQuests.keys()) out.quests.remove.push({ characterId, questId });

  const storedDone = new Map(current.completedQuests.map((r) => [r.questId, r]));
  next.quests.completed.forEach((questId, position) => {
    const stored = storedDone.get(questId);
    storedDone.delete(questId);
    if (stored?.position === position) return;
    if (stored !== undefined) out.completed.remove.push({ characterId, questId });
    out.completed.insert.push({
      characterId,
      questId,
      position,
      ...(stored ? { completedAt: stored.completedAt } : {}),
    });
  });
  for (const questId of storedDone.keys()) out.completed.remove.push({ characterId, questId });
}
