/** Shapes shared by the zone simulation and its helpers (casting, quest givers). */
import type { EquipSlot, Equipment } from "../game/items/equipment.ts";
import type { ActiveCast } from "../game/combat/casting.ts";
import type { CombatStats } from "../game/combat/combat-stats.ts";
import type { Cooldowns } from "../game/combat/cooldowns.ts";
import type { ActiveEffects } from "../game/combat/effects.ts";
import type { CharacterStatsCache } from "../game/character/character-stats.ts";
import type { ItemStack } from "../game/items/inventory.ts";
import type { PlayerInput } from "../game/world/zone-step.ts";
import type { PlayerEntity } from "../game/world/world-types.ts";
import type { PlayerRecord } from "../session/player-record.ts";

/** A quest as a quest giver's menu shows it. */
export type NpcQuest = { id: string; name: string; status: "available" | "active" | "ready" };

/** Things the room tells clients or other services about, beyond the replicated state. */
export type SimNotice =
  | {
      type: "damaged";
      targetId: string;
      sourceId: string;
      amount: number;
      crit: boolean;
      x: number;
      y: number;
    }
  | { type: "missed"; targetId: string; sourceId: string; x: number; y: number }
  | { type: "died"; id: string; killerId: string | null; x: number; y: number }
  | { type: "leveledUp"; characterId: string; level: number; previousLevel: number }
  | { type: "looted"; characterId: string; itemId: string; quantity: number }
  | { type: "goldGained"; characterId: string; amount: number }
  | { type: "xpGained"; characterId: string; amount: number }
  | { type: "questUpdated"; characterId: string; questId: string; status: string }
  | {
      type: "refused";
      characterId: string;
      action: string;
      reason: string;
      /** Cooldown left, for ON_COOLDOWN / ALREADY_CASTING refusals. */
      remainingMs?: number;
    }
  | { type: "portalEntered"; characterId: string; targetZone: string; x: number; y: number }
  /** A skill with a cast time began; it goes off after castTimeMs unless cancelled. */
  | {
      type: "castStarted";
      casterId: string;
      skillId: string;
      targetId: string | null;
      x: number;
      y: number;
      castTimeMs: number;
    }
  /** A skill went off at (x, y) (the target or area centre); its effects follow. */
  | {
      type: "casted";
      casterId: string;
      skillId: string;
      targetId: string | null;
      x: number;
      y: number;
    }
  | {
      type: "castCancelled";
      casterId: string;
      skillId: string;
      /** MOVED, DEAD or NO_TARGET (the target died or left before the cast finished). */
      reason: string;
      x: number;
      y: number;
    }
  | {
      type: "healed";
      targetId: string;
      sourceId: string;
      /** Hit points actually restored (clamped to hp max). */
      amount: number;
      crit: boolean;
      x: number;
      y: number;
    }
  | {
      type: "effectApplied";
      targetId: string;
      sourceId: string;
      effectId: string;
      kind: "buff" | "debuff";
      durationMs: number;
      x: number;
      y: number;
    }
  | { type: "effectExpired"; targetId: string; effectId: string; x: number; y: number }
  | { type: "npc"; characterId: string; npcId: string; name: string; quests: NpcQuest[] }
  | { type: "questAccepted"; characterId: string; questId: string; status: string }
  | {
      type: "questTurnedIn";
      characterId: string;
      questId: string;
      xp: number;
      gold: number;
      items: ItemStack[];
    }
  | { type: "itemUsed"; characterId: string; slot: number; itemId: string; hp: number; mp: number }
  | { type: "equipmentChanged"; characterId: string; equipment: Equipment };

/** A client intent the simulation applies on its next step. */
export type SimAction =
  | PlayerInput
  | { type: "pickup"; playerId: string; dropId: string }
  | { type: "cast"; playerId: string; skillId: string; targetId?: string; x?: number; y?: number }
  | { type: "interact"; playerId: string; npcId: string }
  | { type: "acceptQuest"; playerId: string; questId: string }
  | { type: "turnInQuest"; playerId: string; questId: string }
  | { type: "useItem"; playerId: string; slot: number }
  | { type: "equip"; playerId: string; fromSlot: number; toSlot?: EquipSlot }
  | { type: "unequip"; playerId: string; slot: EquipSlot };

export type CastAction = Extract<SimAction, { type: "cast" }>;

/** A character in the simulation: its record, world entity and live combat state. */
export type SimPlayer = {
  record: PlayerRecord;
  entity: PlayerEntity;
  /** Current combat stats (buffs included), from statsCache. */
  stats: CombatStats;
  statsCache: CharacterStatsCache;
  effects: ActiveEffects;
  /** Game time (world.timeMs) each skill is ready again. */
  skillCooldowns: Cooldowns;
  /** Game time each consumable cooldown group is ready again. */
  itemCooldowns: Cooldowns;
  /** The skill being cast (cast-time skills only). */
  cast: ActiveCast | null;
  respawnInMs: number;
  /** Progress (xp, items, quests) changed since the last save. */
  dirty: boolean;
  transferring: boolean;
};
