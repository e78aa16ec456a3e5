import type { Equipment } from "../game/items/equipment.ts";
import type { Inventory } from "../game/items/inventory.ts";
import type { QuestLog } from "../game/quests/quest-log.ts";
import type { Prisma } from "../db/generated/client.ts";
import type { CharacterTimers } from "../progression/character-timers.ts";

/** Everything about a character a zone holds while it is online, and writes back. */
export type PlayerRecord = {
  character: {
    id: string;
    accountId: string;
    name: string;
    race: string;
    job: string;
    level: number;
    xp: number;
    gold: number;
    hp: number;
    mp: number;
    zone: string;
    x: number;
    y: number;
    version: number;
    /** Running cooldowns and effects as wall-clock expiries (kept across rooms and logins). */
    timers: CharacterTimers;
  };
  inventory: Inventory;
  equipment: Equipment;
  quests: QuestLog;
};

/** Loads and saves player records (implemented by the progression service). */
export type ProgressStore = {
  load(characterId: string): Promise<PlayerRecord | null>;
  /**
   * Saves each record in full, atomically per character; of a record in `positionOnly` (nothing
   * but its zone and position changed since its character's last full save) only the zone and
   * position are written, without a new version.
   */
  saveMany(records: PlayerRecord[], positionOnly?: ReadonlySet<PlayerRecord>): Promise<void>;
  /**
   * Commits the caller's in-memory `records` (a room's, at the versions this store tracks) and the
   * characters `alsoIds` (loaded from the database, FOR UPDATE) in one transaction with `work`,
   * which returns the states to write in full. See src/session/progress-store.ts.
   */
  commitWith<T>(
    records: readonly PlayerRecord[],
    alsoIds: readonly string[],
    work: CommitWork<T>,
  ): Promise<{ result: T; versions: Map<string, number> }>;
};

/** Runs inside a commit's transaction. */
export type CommitWork<T> = (
  tx: Prisma.TransactionClient,
  records: ReadonlyMap<string, PlayerRecord>,
) => Promise<{ save: PlayerRecord[]; result: T }>;
