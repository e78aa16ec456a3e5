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

/** A character row with its progression rows, each list in its stored order. */
export type ProgressRow = CharacterFields & {
  inventory: Prisma.InventoryItemGetPayload<{ select: typeof inventorySelect }>[];
  equipment: Prisma.EquippedItemGetPayload<{ select: typeof equipmentSelect }>[];
  quests: Prisma.QuestProgressGetPayload<{ select: typeof questSelect }>[];
  completedQuests: Prisma.CompletedQuestGetPayload<{ select: typeof completedSelect }>[];
};

export type InventoryRow = { characterId: string; slot: number; itemId: string; quantity: number };
export type EquipmentRow = { characterId: string; slot: string; itemId: string };
export type QuestRow = {
  characterId: string;
  questId: string;
  status: string;
  progress: number[];
  position: number;
  acceptedAt?: Date;
};
export type CompletedRow = {
  characterId: string;
  questId: string;
  position: number;
  completedAt?: Date;
};

/** Rows to delete (by key) and to insert, per table. */
export type RowChanges = {
  inventory: { remove: { characterId: string; slot: number }[]; insert: InventoryRow[] };
  equipment: { remove: { characterId: string; slot: string }[]; insert: EquipmentRow[] };
  quests: { remove: { characterId: string; questId: string }[]; insert: QuestRow[] };
  completed: { remove: { characterId: string; questId: string }[]; insert: CompletedRow[] };
};

export type CharacterUpdate = {
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

export function createProgressRepository(db: Db) {
  /**
   * One query per table, one after the other: a transaction's connection runs one query at a
   * time (Prisma's nested selects would issue them concurrently).
   */
  async function withChildRows(characters: CharacterFields[]): Promise<ProgressRow[]> {
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
    const byCharacter = new Map<string, ProgressRow>(
      characters.map((c) => [
        c.id,
        { ...c, inventory: [], equipment: [], quests: [], completedQuests: [] },
      ]),
    );
    const at = (id: string) => byCharacter.get(id) as ProgressRow;
    for (const r of inventory) at(r.characterId).inventory.push(r);
    for (const r of equipment) at(r.characterId).equipment.push(r);
    for (const r of quests) at(r.characterId).quests.push(r);
    for (const r of completedQuests) at(r.characterId).completedQuests.push(r);
    return [...byCharacter.values()];
  }

  return {
    /**
     * Locks the characters' rows (FOR UPDATE, in id order so concurrent batches cannot deadlock)
     * and returns owner and version of those that exist.
     */
    async lockCharacters(
      ids: readonly string[],
    ): Promise<{ id: string; accountId: string; version: number }[]> {
      if (ids.length === 0) return [];
      const rows = await db.$queryRaw<{ id: string; account_id: string; version: number }[]>`
        SELECT id, account_id, version FROM characters
        WHERE id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
        ORDER BY id FOR UPDATE`;
      return rows.map((r) => ({ id: r.id, accountId: r.account_id, version: r.version }));
    },

    /** The character (when `accountId`, if given, owns it) with its progression rows. */
    async findProgress(where: { id: string; accountId?: string }): Promise<ProgressRow | null> {
      const character = await db.character.findFirst({ where, select: progressCharacterSelect });
      if (!character) return null;
      const [row] = await withChildRows([character]);
      return row ?? null;
    },

    /** Characters that exist among `ids`, with their progression rows. */
    async findProgressMany(ids: readonly string[]): Promise<ProgressRow[]> {
      const characters = await db.character.findMany({
        where: { id: { in: [...ids] } },
        select: progressCharacterSelect,
      });
      return withChildRows(characters);
    },

    /** Writes the character's saved fields and bumps its version; returns the new version. */
    async updateCharacter(id: string, data: CharacterUpdate): Promise<number> {
      const row = await db.character.update({
        where: { id },
        data: {
          ...data,
          xp: BigInt(data.xp),
          gold: BigInt(data.gold),
          timers: data.timers as unknown as Prisma.InputJsonValue,
          version: { increment: 1 },
        },
        select: { version: true },
      });
      return row.version;
    },

    /** Deletes every `remove` key, then inserts every `insert` row: two statements per table. */
    async applyRowChanges(changes: RowChanges): Promise<void> {
      const { inventory, equipment, quests, completed } = changes;
      if (inventory.remove.length > 0) {
        await db.inventoryItem.deleteMany({ where: { OR: inventory.remove } });
      }
      if (equipment.remove.length > 0) {
        await db.equippedItem.deleteMany({ where: { OR: equipment.remove } });
      }
      if (quests.remove.length > 0) {
        await db.questProgress.deleteMany({ where: { OR: quests.remove } });
      }
      if (completed.remove.length > 0) {
        await db.completedQuest.deleteMany({ where: { OR: completed.remove } });
      }
      if (inventory.insert.length > 0)
        await db.inventoryItem.createMany({ data: inventory.insert });
      if (equipment.insert.length > 0) await db.equippedItem.createMany({ data: equipment.insert });
      if (quests.insert.length > 0) await db.questProgress.createMany({ data: quests.insert });
      if (completed.insert.length > 0) {
        await db.completedQuest.createMany({ data: completed.insert });
      }
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
