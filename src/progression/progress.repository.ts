import type { PrismaClient } from "../db/database.ts";
import { Prisma } from "../db/generated/client.ts";
import type { CharacterTimers } from "./character-timers.ts";

/** The client or an interactive transaction: repositories run inside the service's transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

export const progressCharacterSelect = {
  id: true,
  accountId: true,
  name: true,
  race: true,
  job: true,
  level: true,
  xp: true,
  gold: true,
  hp: true,
  mp: true,
  zone: true,
  x: true,
  y: true,
  version: true,
  timers: true,
} as const satisfies Prisma.CharacterSelect;

const inventorySelect = { characterId: true, slot: true, itemId: true, quantity: true } as const;
const equipmentSelect = { characterId: true, slot: true, itemId: true } as const;
const questSelect = {
  characterId: true,
  questId: true,
  status: true,
  progress: true,
  position: true,
  acceptedAt: true,
} as const;
const completedSelect = {
  characterId: true,
  questId: true,
  position: true,
  completedAt: true,
} as const;

type CharacterFields = Prisma.CharacterGetPayload<{ select: typeof progressCharacterSelect }>;

type ChildRows = {
  inventory: Prisma.InventoryItemGetPayload<{ select: typeof inventorySelect }>[];
  equipment: Prisma.EquippedItemGetPayload<{ select: typeof equipmentSelect }>[];
  quests: Prisma.QuestProgressGetPayload<{ select: typeof questSelect }>[];
  completedQuests: Prisma.CompletedQuestGetPayload<{ select: typeof completedSelect }>[];
};

/** A character row with its progression rows, each list in its stored order. */
export type ProgressRow = CharacterFields & ChildRows;

/** What a save compares the new state with: the character's progression rows as stored. */
export type StoredRows = {
  id: string;
  inventory: readonly { slot: number; itemId: string; quantity: number }[];
  equipment: readonly { slot: string; itemId: string }[];
  quests: readonly {
    questId: string;
    status: string;
    progress: readonly number[];
    position: number;
  }[];
  completedQuests: readonly { questId: string; position: number }[];
};

export type InventoryRow = { characterId: string; slot: number; itemId: string; quantity: number };
export type EquipmentRow = { characterId: string; slot: string; itemId: string };
/** Written with its accepted time untouched (the database sets it when the row is new). */
export type QuestRow = {
  characterId: string;
  questId: string;
  status: string;
  progress: readonly number[];
  position: number;
};
/** Written with its completion time untouched (the database sets it when the row is new). */
export type CompletedRow = { characterId: string; questId: string; position: number };

/** Rows to delete (by key) and rows to insert or overwrite (by key), per table. */
export type RowChanges = {
  inventory: { remove: { characterId: string; slot: number }[]; upsert: InventoryRow[] };
  equipment: { remove: { characterId: string; slot: string }[]; upsert: EquipmentRow[] };
  quests: { remove: { characterId: string; questId: string }[]; upsert: QuestRow[] };
  completed: { remove: { characterId: string; questId: string }[]; upsert: CompletedRow[] };
};

/** The saved fields of one character (its version is bumped by the write). */
export type CharacterUpdate = {
  id: string;
  level: number;
  xp: number;
  gold: number;
  hp: number;
  mp: number;
  zone: string;
  x: number;
  y: number;
  timers: CharacterTimers;
};

/** Where a character is: what a position-only save writes. */
export type CharacterPlace = { id: string; zone: string; x: number; y: number };

/**
 * Rows travel as one JSON parameter expanded by jsonb_to_recordset, so a batch is one statement
 * per table however many characters or rows it holds (a statement's fixed cost, in Prisma and in
 * the embedded PGlite on the event loop, is what made saves slow; see bench/save-stall.ts).
 */
const asRecordset = (rows: readonly object[]) =>
  Prisma.sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`;

export function createProgressRepository(db: Db) {
  /**
   * One query per table, one after the other: a transaction's connection runs one query at a
   * time (Prisma's nested selects would issue them concurrently).
   */
  async function withChildRows<C extends { id: string }>(
    characters: C[],
  ): Promise<(C & ChildRows)[]> {
    if (characters.length === 0) return [];
    const where = { characterId: { in: characters.map((c) => c.id) } };
    const inventory = await db.inventoryItem.findMany({
      where,
      select: inventorySelect,
      orderBy: { slot: "asc" },
    });
    const equipment = await db.equippedItem.findMany({
      where,
      select: equipmentSelect,
      orderBy: { slot: "asc" },
    });
    const quests = await db.questProgress.findMany({
      where,
      select: questSelect,
      orderBy: [{ position: "asc" }, { questId: "asc" }],
    });
    const completedQuests = await db.completedQuest.findMany({
      where,
      select: completedSelect,
      orderBy: [{ position: "asc" }, { questId: "asc" }],
    });
    const byCharacter = new Map<string, C & ChildRows>(
      characters.map((c) => [
        c.id,
        { ...c, inventory: [], equipment: [], quests: [], completedQuests: [] },
      ]),
    );
    const at = (id: string) => byCharacter.get(id) as C & ChildRows;
    for (const r of inventory) at(r.characterId).inventory.push(r);
    for (const r of equipment) at(r.characterId).equipment.push(r);
    for (const r of quests) at(r.characterId).quests.push(r);
    for (const r of completedQuests) at(r.characterId).completedQuests.push(r);
    return [...byCharacter.values()];
  }

  return {
    /**
     * Locks the characters' rows (in id order so concurrent batches cannot deadlock). FOR NO KEY
     * UPDATE, not FOR UPDATE: writers still queue behind each other, but rows referencing a
     * locked character (a mail to it) can be inserted meanwhile; with FOR UPDATE, two mails
     * crossing between two characters deadlocked on those foreign-key checks. Returns owner and
     * version of those that exist.
     */
    async lockCharacters(
      ids: readonly string[],
    ): Promise<{ id: string; accountId: string; version: number }[]> {
      if (ids.length === 0) return [];
      const rows = await db.$queryRaw<{ id: string; account_id: string; version: number }[]>`
        SELECT id, account_id, version FROM characters
        WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
        ORDER BY id FOR NO KEY UPDATE`;
      return rows.map((r) => ({ id: r.id, accountId: r.account_id, version: r.version }));
    },

    /** The character (when `accountId`, if given, owns it) with its progression rows. */
    async findProgress(where: { id: string; accountId?: string }): Promise<ProgressRow | null> {
      const character = await db.character.findFirst({ where, select: progressCharacterSelect });
      if (!character) return null;
      const [row] = await withChildRows([character]);
      return row ?? null;
    },

    /** The progression rows of the characters `ids` (four queries, whatever their number). */
    findStoredRows(ids: readonly string[]): Promise<StoredRows[]> {
      return withChildRows(ids.map((id) => ({ id })));
    },

    /**
     * Writes the characters' saved fields and bumps their versions, in one statement; returns
     * the new version of each character updated (a missing one is simply absent).
     */
    async updateCharacters(
      rows: readonly CharacterUpdate[],
    ): Promise<{ id: string; version: number }[]> {
      if (rows.length === 0) return [];
      return db.$queryRaw<{ id: string; version: number }[]>`
        UPDATE characters AS c
        SET level = v.level, xp = v.xp, gold = v.gold, hp = v.hp, mp = v.mp, zone = v.zone,
            x = v.x, y = v.y, timers = v.timers, version = c.version + 1, updated_at = now()
        FROM ${asRecordset(rows)} AS v(
          id uuid, level int, xp bigint, gold bigint, hp int, mp int, zone text,
          x float8, y float8, timers jsonb)
        WHERE c.id = v.id
        RETURNING c.id, c.version`;
    },

    /**
     * Writes the characters' zones and positions and nothing else (the versions stay), in one
     * statement that locks the rows in id order first, like lockCharacters, so it cannot deadlock
     * with a transaction holding some of them. Returns the owners of the characters updated.
     */
    async updatePlaces(rows: readonly CharacterPlace[]): Promise<{ accountId: string }[]> {
      if (rows.length === 0) return [];
      const ids = JSON.stringify(rows.map((r) => r.id));
      const updated = await db.$queryRaw<{ account_id: string }[]>`
        UPDATE characters AS c
        SET zone = v.zone, x = v.x, y = v.y, updated_at = now()
        FROM ${asRecordset(rows)} AS v(id uuid, zone text, x float8, y float8),
          (SELECT id FROM characters
           WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(${ids}::jsonb))
           ORDER BY id FOR NO KEY UPDATE) AS locked
        WHERE c.id = v.id AND locked.id = v.id
        RETURNING c.account_id`;
      return updated.map((r) => ({ accountId: r.account_id }));
    },

    /**
     * Deletes every `remove` key, then inserts every `upsert` row or overwrites the row with its
     * key (quest times are kept): at most two statements per table, none for a table unchanged.
     */
    async applyRowChanges(changes: RowChanges): Promise<void> {
      const { inventory, equipment, quests, completed } = changes;
      if (inventory.remove.length > 0) {
        await db.$executeRaw`
          DELETE FROM inventory_items AS t USING ${asRecordset(inventory.remove)}
            AS r("characterId" uuid, slot int)
          WHERE t.character_id = r."characterId" AND t.slot = r.slot`;
      }
      if (equipment.remove.length > 0) {
        await db.$executeRaw`
          DELETE FROM equipped_items AS t USING ${asRecordset(equipment.remove)}
            AS r("characterId" uuid, slot text)
          WHERE t.character_id = r."characterId" AND t.slot = r.slot`;
      }
      if (quests.remove.length > 0) {
        await db.$executeRaw`
          DELETE FROM quest_progress AS t USING ${asRecordset(quests.remove)}
            AS r("characterId" uuid, "questId" text)
          WHERE t.character_id = r."characterId" AND t.quest_id = r."questId"`;
      }
      if (completed.remove.length > 0) {
        await db.$executeRaw`
          DELETE FROM completed_quests AS t USING ${asRecordset(completed.remove)}
            AS r("characterId" uuid, "questId" text)
          WHERE t.character_id = r."characterId" AND t.quest_id = r."questId"`;
      }
      if (inventory.upsert.length > 0) {
        await db.$executeRaw`
          INSERT INTO inventory_items (character_id, slot, item_id, quantity)
          SELECT "characterId", slot, "itemId", quantity FROM ${asRecordset(inventory.upsert)}
            AS r("characterId" uuid, slot int, "itemId" text, quantity int)
          ON CONFLICT (character_id, slot)
          DO UPDATE SET item_id = EXCLUDED.item_id, quantity = EXCLUDED.quantity`;
      }
      if (equipment.upsert.length > 0) {
        await db.$executeRaw`
          INSERT INTO equipped_items (character_id, slot, item_id)
          SELECT "characterId", slot, "itemId" FROM ${asRecordset(equipment.upsert)}
            AS r("characterId" uuid, slot text, "itemId" text)
          ON CONFLICT (character_id, slot) DO UPDATE SET item_id = EXCLUDED.item_id`;
      }
      if (quests.upsert.length > 0) {
        await db.$executeRaw`
          INSERT INTO quest_progress (character_id, quest_id, status, progress, position)
          SELECT "characterId", "questId", status, progress, position
          FROM ${asRecordset(quests.upsert)}
            AS r("characterId" uuid, "questId" text, status text, progress int[], position int)
          ON CONFLICT (character_id, quest_id) DO UPDATE
          SET status = EXCLUDED.status, progress = EXCLUDED.progress, position = EXCLUDED.position`;
      }
      if (completed.upsert.length > 0) {
        await db.$executeRaw`
          INSERT INTO completed_quests (character_id, quest_id, position)
          SELECT "characterId", "questId", position FROM ${asRecordset(completed.upsert)}
            AS r("characterId" uuid, "questId" text, position int)
          ON CONFLICT (character_id, quest_id) DO UPDATE SET position = EXCLUDED.position`;
      }
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
