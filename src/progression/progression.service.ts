import type { PrismaClient } from "../db/database.ts";
import { Prisma } from "../db/generated/client.ts";
import { GameError } from "../errors.ts";
import type { Content } from "../game/content/content.ts";
import { equip, EquipRefusal, unequip, type EquipSlot } from "../game/items/equipment.ts";
import { addItem, InventoryRefusal } from "../game/items/inventory.ts";
import {
  INVENTORY_SIZE,
  toCharacterProgress,
  type CharacterProgress,
} from "./character-progress.ts";
import { diffProgress, emptyRowChanges } from "./progress-diff.ts";
import { createProgressRepository, type ProgressRepository } from "./progress.repository.ts";

export type ProgressionDeps = {
  prisma: PrismaClient;
  /** Item templates and jobs for the equip rules (GameData satisfies it). */
  gameData: { readonly content: Pick<Content, "items" | "jobs"> };
  /** True while the character is in a room: offline changes are refused then. */
  isOnline(characterId: string): Promise<boolean>;
  /** Called after every committed write to a character (drop the account's cached list). */
  onCharacterWritten?(accountId: string): Promise<void> | void;
  inventorySize?: number;
};

/** What saveMany did with each character of the batch. */
export type SaveManyResult = {
  /** Committed, with the version the caller must name in its next save. */
  saved: { characterId: string; version: number }[];
  /** Stored version differs from the one named: nothing written for them (see save). */
  conflicts: string[];
  /** Deleted characters: nothing written. */
  missing: string[];
  /** Refused by the database (e.g. a check constraint) when saved alone: nothing written. */
  failed: { characterId: string; error: unknown }[];
};

const EQUIP_ERRORS: Record<EquipRefusal, () => GameError> = {
  [EquipRefusal.NOT_FOUND]: () => new GameError("ITEM_NOT_FOUND"),
  [EquipRefusal.UNKNOWN_ITEM]: () =>
    new GameError("ITEM_NOT_EQUIPPABLE", "This item no longer exists."),
  [EquipRefusal.BAD_SLOT]: () =>
    new GameError("VALIDATION_FAILED", "slot: no such slot", {
      details: [{ path: "slot", message: "no such slot" }],
    }),
  [EquipRefusal.NOT_EQUIPPABLE]: () => new GameError("ITEM_NOT_EQUIPPABLE"),
  [EquipRefusal.WRONG_SLOT]: () => new GameError("WRONG_SLOT"),
  [EquipRefusal.LEVEL_TOO_LOW]: () => new GameError("LEVEL_TOO_LOW"),
  [EquipRefusal.WRONG_JOB]: () => new GameError("WRONG_JOB"),
  [EquipRefusal.INVENTORY_FULL]: () => new GameError("INVENTORY_FULL"),
};

export type SaveOptions = {
  /**
   * Skip the version check (last writer wins; the version is still bumped). For a writer that
   * holds the character's presence lock and so is its only writer: a zone room.
   */
  force?: boolean;
};

const TX_OPTIONS = { maxWait: 5_000, timeout: 15_000 } as const;

export type ProgressionService = ReturnType<typeof createProgressionService>;

/**
 * Loads and saves characters' progress (inventory, equipment, quests, level, position) and
 * applies offline item moves. Every write is one transaction that locks the character rows, so
 * an item is never in two places and never vanishes.
 *
 * Optimistic concurrency: each save names the version it was loaded at and returns the new one,
 * which the caller names in its next save. When the stored version differs (someone else saved
 * since), nothing is written: save throws SAVE_CONFLICT and saveMany lists the character under
 * `conflicts`; the caller must reload before writing again, or pass `force` if it is the
 * character's only writer (the room holding its presence lock).
 */
export function createProgressionService(deps: ProgressionDeps) {
  const { prisma, gameData, isOnline } = deps;
  const size = deps.inventorySize ?? INVENTORY_SIZE;

  async function written(accountIds: Iterable<string>): Promise<void> {
    for (const accountId of new Set(accountIds)) {
      try {
        await deps.onCharacterWritten?.(accountId);
      } catch {
        // A stale cache expires on its own; the write itself is committed.
      }
    }
  }

  /** Locks, checks versions, writes the rest; one transaction for the whole batch. */
  async function saveBatch(list: readonly CharacterProgress[], options: SaveOptions) {
    return prisma.$transaction(async (tx) => {
      const repo = createProgressRepository(tx);
      const locked = new Map(
        (await repo.lockCharacters(list.map((p) => p.character.id))).map((r) => [r.id, r]),
      );
      const missing: string[] = [];
      const conflicts: string[] = [];
      const writable: CharacterProgress[] = [];
      for (const p of list) {
        const row = locked.get(p.character.id);
        if (row === undefined) missing.push(p.character.id);
        else if (!options.force && row.version !== p.character.version) {
          conflicts.push(p.character.id);
        } else writable.push(p);
      }
      const saved = await writeProgress(repo, writable);
      const accountIds = saved.flatMap((s) => locked.get(s.characterId)?.accountId ?? []);
      return { saved, conflicts, missing, accountIds };
    }, TX_OPTIONS);
  }

  /** Character rows first, then every table's deletes and inserts. Rows must be locked. */
  async function writeProgress(repo: ProgressRepository, list: readonly CharacterProgress[]) {
    if (list.length === 0) return [];
    const stored = new Map(
      (await repo.findProgressMany(list.map((p) => p.character.id))).map((r) => [r.id, r]),
    );
    const saved: { characterId: string; version: number }[] = [];
    const changes = emptyRowChanges();
    for (const p of list) {
      const c = p.character;
      const current = stored.get(c.id);
      if (current === undefined) throw new Error(`character ${c.id} vanished under its lock`);
      const { level, xp, gold, hp, mp, zone, x, y, timers } = c;
      const version = await repo.updateCharacter(c.id, {
        level,
        ...{ xp, gold, hp, mp, zone, x, y, timers },
      });
      saved.push({ characterId: c.id, version });
      diffProgress(current, p, changes);
    }
    await repo.applyRowChanges(changes);
    return saved;
  }

  /**
   * Applies `change` to a character that is not in a room, in one transaction: lock, load,
   * change, save. `accountId` null skips the ownership check (admin tools).
   */
  async function changeOffline(
    accountId: string | null,
    characterId: string,
    change: (progress: CharacterProgress) => CharacterProgress,
  ): Promise<CharacterProgress> {
    const result = await prisma.$transaction(async (tx) => {
      const repo = createProgressRepository(tx);
      const [locked] = await repo.lockCharacters([characterId]);
      if (!locked || (accountId !== null && locked.accountId !== accountId)) {
        throw new GameError("CHARACTER_NOT_FOUND");
      }
      // Checked under the lock and after ownership, so others learn nothing about the character.
      if (await isOnline(characterId)) throw new GameError("CHARACTER_ONLINE");
      const row = await repo.findProgress({ id: characterId });
      if (!row) throw new GameError("CHARACTER_NOT_FOUND");
      const next = change(toCharacterProgress(row, size));
      const [saved] = await writeProgress(repo, [next]);
      return { ...next, character: { ...next.character, version: saved?.version ?? 0 } };
    }, TX_OPTIONS);
    await written([result.character.accountId]);
    return result;
  }

  async function save(progress: CharacterProgress, options: SaveOptions = {}): Promise<number> {
    const result = await saveBatch([progress], options);
    if (result.missing.length > 0) throw new GameError("CHARACTER_NOT_FOUND");
    if (result.conflicts.length > 0) throw new GameError("SAVE_CONFLICT");
    await written(result.accountIds);
    return result.saved[0]?.version ?? progress.character.version;
  }

  return {
    /** The character's progress as one consistent snapshot, or null when it does not exist. */
    async load(characterId: string): Promise<CharacterProgress | null> {
      const row = await prisma.$transaction(
        (tx) => createProgressRepository(tx).findProgress({ id: characterId }),
        { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
      );
      return row ? toCharacterProgress(row, size) : null;
    },

    /** Like load, for the owner only: CHARACTER_NOT_FOUND for anyone else. */
    async loadOwned(accountId: string, characterId: string): Promise<CharacterProgress> {
      const row = await prisma.$transaction(
        (tx) => createProgressRepository(tx).findProgress({ id: characterId, accountId }),
        { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
      );
      if (!row) throw new GameError("CHARACTER_NOT_FOUND");
      return toCharacterProgress(row, size);
    },

    /**
     * Writes level, xp, gold, hp, mp, zone, x, y and makes the inventory, equipment and quest rows
     * match exactly, in one transaction. Returns the new version (name it in the next save).
     * Throws SAVE_CONFLICT when the stored version is not `progress.character.version`.
     */
    save,

    /**
     * Saves several characters in one transaction (the rooms' write-behind). Conflicting and
     * deleted characters are skipped and reported. If the batch fails as a whole (a row the
     * database refuses), each character is retried alone so one bad state cannot block the rest.
     */
    async saveMany(
      list: readonly CharacterProgress[],
      options: SaveOptions = {},
    ): Promise<SaveManyResult> {
      const ids = list.map((p) => p.character.id);
      if (new Set(ids).size !== ids.length) throw new Error("saveMany: a character appears twice");
      if (list.length === 0) return { saved: [], conflicts: [], missing: [], failed: [] };
      try {
        const { accountIds, ...result } = await saveBatch(list, options);
        await written(accountIds);
        return { ...result, failed: [] };
      } catch (error) {
        if (list.length === 1) {
          return {
            saved: [],
            conflicts: [],
            missing: [],
            failed: [{ characterId: ids[0]!, error }],
          };
        }
      }
      const result: SaveManyResult = { saved: [], conflicts: [], missing: [], failed: [] };
      for (const progress of list) {
        const characterId = progress.character.id;
        try {
          result.saved.push({ characterId, version: await save(progress, options) });
        } catch (error) {
          if (error instanceof GameError && error.code === "SAVE_CONFLICT") {
            result.conflicts.push(characterId);
          } else if (error instanceof GameError && error.code === "CHARACTER_NOT_FOUND") {
            result.missing.push(characterId);
          } else {
            result.failed.push({ characterId, error });
          }
        }
      }
      return result;
    },

    /** Equips the item in inventory slot `fromSlot` (into `toSlot`, or its first free fitting slot). */
    equipOffline(accountId: string, characterId: string, fromSlot: number, toSlot?: EquipSlot) {
      return changeOffline(accountId, characterId, (p) => {
        const gear = { inventory: p.inventory, equipment: p.equipment };
        const wearer = { level: p.character.level, jobId: p.character.job };
        const result = equip(gear, fromSlot, wearer, gameData.content, toSlot);
        if (!result.ok) throw EQUIP_ERRORS[result.code]();
        return { ...p, inventory: result.inventory, equipment: result.equipment };
      });
    },

    /** Moves what is worn in `slot` into the inventory. */
    unequipOffline(accountId: string, characterId: string, slot: EquipSlot) {
      return changeOffline(accountId, characterId, (p) => {
        const gear = { inventory: p.inventory, equipment: p.equipment };
        const result = unequip(gear, slot, gameData.content.items);
        if (!result.ok) throw EQUIP_ERRORS[result.code]();
        return { ...p, inventory: result.inventory, equipment: result.equipment };
      });
    },

    /** Adds `qty` of an item to an offline character (admin tools); INVENTORY_FULL changes nothing. */
    giveItem(characterId: string, itemId: string, qty: number) {
      return changeOffline(null, characterId, (p) => {
        const result = addItem(p.inventory, itemId, qty, gameData.content.items);
        if (result.ok) return { ...p, inventory: result.inventory };
        if (result.code === InventoryRefusal.INVENTORY_FULL) throw new GameError("INVENTORY_FULL");
        const message =
          result.code === InventoryRefusal.UNKNOWN_ITEM ? `unknown item ${itemId}` : "bad quantity";
        throw new GameError("VALIDATION_FAILED", message);
      });
    },
  };
}
