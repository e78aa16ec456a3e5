import type { Content } from "../content/content.ts";
import type { Objective, Quest } from "../content/quests.ts";
import { countItem, type Inventory } from "../items/inventory.ts";

export const QuestStatus = { ACTIVE: "active", READY: "ready" } as const;
export type QuestStatus = (typeof QuestStatus)[keyof typeof QuestStatus];

/** An accepted quest: progress per objective, in the quest's objective order. */
export type QuestProgress = {
  readonly questId: string;
  readonly progress: readonly number[];
  /** READY when every objective is met: it can be turned in. */
  readonly status: QuestStatus;
};

/** A character's quests: active ones in acceptance order, and ids turned in. */
export type QuestLog = {
  readonly active: readonly QuestProgress[];
  readonly completed: readonly string[];
};

export const QuestRefusal = {
  UNKNOWN_QUEST: "UNKNOWN_QUEST",
  ALREADY_ACTIVE: "ALREADY_ACTIVE",
  ALREADY_COMPLETED: "ALREADY_COMPLETED",
  LEVEL_TOO_LOW: "LEVEL_TOO_LOW",
  PREREQUISITES_NOT_MET: "PREREQUISITES_NOT_MET",
  QUEST_LOG_FULL: "QUEST_LOG_FULL",
  NOT_ACTIVE: "NOT_ACTIVE",
  NOT_READY: "NOT_READY",
  MISSING_ITEMS: "MISSING_ITEMS",
  INVENTORY_FULL: "INVENTORY_FULL",
} as const;
export type QuestRefusal = (typeof QuestRefusal)[keyof typeof QuestRefusal];

/** Active quests a character may hold at once. */
export const MAX_ACTIVE_QUESTS = 20;

export type QuestContent = Pick<Content, "quests" | "items">;

/** An empty log. */
export function createQuestLog(): QuestLog {
  return { active: [], completed: [] };
}

/** Objective's required amount (1 for visits). */
export function requiredFor(objective: Objective): number {
  return objective.type === "visit" ? 1 : objective.count;
}

/** Why `questId` cannot be accepted now, or null when it can. */
export function checkAccept(
  log: QuestLog,
  questId: string,
  level: number,
  content: QuestContent,
): QuestRefusal | null {
  const quest = content.quests.get(questId);
  if (quest === undefined) return QuestRefusal.UNKNOWN_QUEST;
  if (log.active.some((q) => q.questId === questId)) return QuestRefusal.ALREADY_ACTIVE;
  if (log.completed.includes(questId)) return QuestRefusal.ALREADY_COMPLETED;
  if (level < quest.minLevel) return QuestRefusal.LEVEL_TOO_LOW;
  if (!quest.prerequisites.every((p) => log.completed.includes(p))) {
    return QuestRefusal.PREREQUISITES_NOT_MET;
  }
  if (log.active.length >= MAX_ACTIVE_QUESTS) return QuestRefusal.QUEST_LOG_FULL;
  return null;
}

/** Quest ids a character could accept now, in content order (for quest-giver menus). */
export function availableQuests(log: QuestLog, level: number, content: QuestContent): string[] {
  return [...content.quests.keys()].filter((id) => checkAccept(log, id, level, content) === null);
}

/**
 * Accept a quest. Collect objectives start from what the inventory already holds, so a quest
 * for items you carry can be ready at once.
 */
export function acceptQuest(
  log: QuestLog,
  questId: string,
  character: { level: number; inventory: Inventory },
  content: QuestContent,
): { ok: true; log: QuestLog; quest: QuestProgress } | { ok: false; code: QuestRefusal } {
  const refusal = checkAccept(log, questId, character.level, content);
  if (refusal !== null) return { ok: false, code: refusal };
  const quest = content.quests.get(questId) as Quest;
  const progress = quest.objectives.map((o) =>
    o.type === "collect" ? Math.min(o.count, countItem(character.inventory, o.item)) : 0,
  );
  const entry: QuestProgress = { questId, progress, status: statusOf(quest, progress) };
  return { ok: true, log: { ...log, active: [...log.active, entry] }, quest: entry };
}

/** Drop an active quest and its progress. */
export function abandonQuest(
  log: QuestLog,
  questId: string,
): { ok: true; log: QuestLog } | { ok: false; code: QuestRefusal } {
  if (!log.active.some((q) => q.questId === questId))
    return { ok: false, code: QuestRefusal.NOT_ACTIVE };
  return { ok: true, log: { ...log, active: log.active.filter((q) => q.questId !== questId) } };
}

/** READY when every objective's progress reaches its requirement. */
export function statusOf(quest: Quest, progress: readonly number[]): QuestStatus {
  const done = quest.objectives.every((o, i) => (progress[i] ?? 0) >= requiredFor(o));
  return done ? QuestStatus.READY : QuestStatus.ACTIVE;
}
