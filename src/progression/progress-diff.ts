import { EQUIP_SLOTS } from "../game/items/equipment.ts";
import type { CharacterProgress } from "./character-progress.ts";
import type { RowChanges, StoredRows } from "./progress.repository.ts";

/** No changes yet; diffProgress appends to it. */
export function emptyRowChanges(): RowChanges {
  return {
    inventory: { remove: [], upsert: [] },
    equipment: { remove: [], upsert: [] },
    quests: { remove: [], upsert: [] },
    completed: { remove: [], upsert: [] },
  };
}

/** The rows `p` is stored as once a save of it commits. */
export function storedRowsOf(p: CharacterProgress): StoredRows {
  const inventory: { slot: number; itemId: string; quantity: number }[] = [];
  p.inventory.slots.forEach((stack, slot) => {
    if (stack !== null) inventory.push({ slot, itemId: stack.itemId, quantity: stack.qty });
  });
  const equipment: { slot: string; itemId: string }[] = [];
  for (const slot of EQUIP_SLOTS) {
    const itemId = p.equipment[slot];
    if (itemId !== null) equipment.push({ slot, itemId });
  }
  return {
    id: p.character.id,
    inventory,
    equipment,
    quests: p.quests.active.map((q, position) => ({
      questId: q.questId,
      status: q.status,
      progress: [...q.progress],
      position,
    })),
    completedQuests: p.quests.completed.map((questId, position) => ({ questId, position })),
  };
}

/** A copy of `rows` with only the fields a save compares (rows read from the database carry more). */
export function copyStoredRows(rows: StoredRows): StoredRows {
  return {
    id: rows.id,
    inventory: rows.inventory.map(({ slot, itemId, quantity }) => ({ slot, itemId, quantity })),
    equipment: rows.equipment.map(({ slot, itemId }) => ({ slot, itemId })),
    quests: rows.quests.map(({ questId, status, progress, position }) => ({
      questId,
      status,
      progress: [...progress],
      position,
    })),
    completedQuests: rows.completedQuests.map(({ questId, position }) => ({ questId, position })),
  };
}

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Appends to `out` what turns the stored rows `current` into the rows `next` is stored as, and
 * returns those rows (taken once, so what is written and what is returned cannot differ): rows
 * that are gone are deleted, rows that are new or changed are upserted by key (so a changed quest
 * row keeps its accepted or completed time). Unchanged rows are not touched.
 */
export function diffProgress(
  current: StoredRows,
  next: CharacterProgress,
  out: RowChanges,
): StoredRows {
  const rows = storedRowsOf(next);
  const characterId = current.id;
  diffTable(
    current.inventory,
    rows.inventory,
    (r) => r.slot,
    (a, b) => a.itemId === b.itemId && a.quantity === b.quantity,
    ({ slot }) => out.inventory.remove.push({ characterId, slot }),
    (r) => out.inventory.upsert.push({ characterId, ...r }),
  );
  diffTable(
    current.equipment,
    rows.equipment,
    (r) => r.slot,
    (a, b) => a.itemId === b.itemId,
    ({ slot }) => out.equipment.remove.push({ characterId, slot }),
    (r) => out.equipment.upsert.push({ characterId, ...r }),
  );
  diffTable(
    current.quests,
    rows.quests,
    (r) => r.questId,
    (a, b) =>
      a.status === b.status && a.position === b.position && sameNumbers(a.progress, b.progress),
    ({ questId }) => out.quests.remove.push({ characterId, questId }),
    (r) => out.quests.upsert.push({ characterId, ...r }),
  );
  diffTable(
    current.completedQuests,
    rows.completedQuests,
    (r) => r.questId,
    (a, b) => a.position === b.position,
    ({ questId }) => out.completed.remove.push({ characterId, questId }),
    (r) => out.completed.upsert.push({ characterId, ...r }),
  );
  return rows;
}

/** Upserts the rows of `next` that are new or differ from `stored`, then removes the rest. */
function diffTable<R, K>(
  stored: readonly R[],
  next: readonly R[],
  keyOf: (row: R) => K,
  same: (a: R, b: R) => boolean,
  remove: (row: R) => void,
  upsert: (row: R) => void,
): void {
  const left = new Map(stored.map((r) => [keyOf(r), r]));
  for (const row of next) {
    const key = keyOf(row);
    const before = left.get(key);
    left.delete(key);
    if (before === undefined || !same(before, row)) upsert(row);
  }
  for (const row of left.values()) remove(row);
}
