import type { Quest } from "../content/quests.ts";
import { countItem, type Inventory } from "../items/inventory.ts";
import {
  QuestStatus,
  requiredFor,
  statusOf,
  type QuestContent,
  type QuestLog,
  type QuestProgress,
} from "./quest-log.ts";

/** Something that happened to the character that quests may count. */
export type QuestEvent =
  | { type: "kill"; mobId: string }
  /** After any inventory change (loot, trade, drop): collect objectives recount. */
  | { type: "inventoryChanged"; inventory: Inventory }
  /** The character's position (world units) in a zone. */
  | { type: "visit"; zone: string; x: number; y: number };

export type QuestUpdate =
  | {
      type: "questProgressed";
      questId: string;
      objective: number;
      progress: number;
      required: number;
    }
  | { type: "questReady"; questId: string }
  | { type: "questNotReady"; questId: string };

/**
 * Count an event toward every active quest: kills add one (capped), collect objectives track
 * the inventory count (they can go down), visits complete once inside the radius and stay done.
 * Returns the same log object when nothing changed.
 */
export function progressQuests(
  log: QuestLog,
  event: QuestEvent,
  content: QuestContent,
): { log: QuestLog; updates: QuestUpdate[] } {
  const updates: QuestUpdate[] = [];
  let changed = false;
  const active = log.active.map((entry) => {
    const quest = content.quests.get(entry.questId);
    if (quest === undefined) return entry;
    const next = advance(quest, entry, event, updates);
    if (next !== entry) changed = true;
    return next;
  });
  return { log: changed ? { ...log, active } : log, updates };
}

function advance(
  quest: Quest,
  entry: QuestProgress,
  event: QuestEvent,
  updates: QuestUpdate[],
): QuestProgress {
  let progress: number[] | null = null;
  quest.objectives.forEach((o, i) => {
    const current = entry.progress[i] ?? 0;
    const required = requiredFor(o);
    let value = current;
    if (o.type === "kill" && event.type === "kill" && event.mobId === o.mob) {
      value = Math.min(required, current + 1);
    } else if (o.type === "collect" && event.type === "inventoryChanged") {
      value = Math.min(required, countItem(event.inventory, o.item));
    } else if (o.type === "visit" && event.type === "visit" && event.zone === o.zone) {
      const inside = (event.x - o.x) ** 2 + (event.y - o.y) ** 2 <= o.radius ** 2;
      if (inside) value = 1;
    }
    if (value === current) return;
    progress ??= entry.progress.slice();
    progress[i] = value;
    updates.push({
      type: "questProgressed",
      questId: quest.id,
      objective: i,
      progress: value,
      required,
    });
  });
  if (progress === null) return entry;
  const status = statusOf(quest, progress);
  if (status !== entry.status) {
    updates.push({
      type: status === QuestStatus.READY ? "questReady" : "questNotReady",
      questId: quest.id,
    });
  }
  return { questId: entry.questId, progress, status };
}
