import type { z } from "zod";
import type { CharacterStats as ComputedStats } from "../game/character/character-stats.ts";
import type { Content } from "../game/content/content.ts";
import { requiredFor } from "../game/quests/quest-log.ts";
import type { CharacterInventory, CharacterQuests, CharacterStats } from "../http/api-schemas.ts";
import type { CharacterProgress } from "./character-progress.ts";

/** Inventory and equipment as the API shows them. */
export function toInventoryView(p: CharacterProgress): z.output<typeof CharacterInventory> {
  const items: { slot: number; itemId: string; quantity: number }[] = [];
  p.inventory.slots.forEach((s, slot) => {
    if (s !== null) items.push({ slot, itemId: s.itemId, quantity: s.qty });
  });
  return {
    characterId: p.character.id,
    size: p.inventory.slots.length,
    gold: p.character.gold,
    items,
    equipment: { ...p.equipment },
  };
}

/** The quest log with each objective's requirement from content. */
export function toQuestsView(
  p: CharacterProgress,
  content: Pick<Content, "quests">,
): z.output<typeof CharacterQuests> {
  return {
    characterId: p.character.id,
    active: p.quests.active.map((q) => ({
      questId: q.questId,
      status: q.status,
      progress: [...q.progress],
      required: content.quests.get(q.questId)?.objectives.map(requiredFor) ?? [],
    })),
    completed: [...p.quests.completed],
  };
}

/** The final snapshot and every contribution behind it. */
export function toStatsView(
  p: CharacterProgress,
  stats: ComputedStats,
): z.output<typeof CharacterStats> {
  return {
    characterId: p.character.id,
    level: p.character.level,
    realm: stats.realm,
    snapshot: stats.snapshot,
    contributions: [...stats.contributions],
    caps: [...stats.caps],
  };
}
