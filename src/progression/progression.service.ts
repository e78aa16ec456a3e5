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
import { copyStoredRows, diffProgress, emptyRowChanges } from "./progress-diff.ts";
import {
  createProgressRepository,
  type CharacterPlace,
  type ProgressRepository,
  type ProgressRow,
  type StoredRows,
} from "./progress.repository.ts";
import { StoredRowsCache } from "./stored-rows-cache.ts";

export type ProgressionDeps = {
  prisma: PrismaClient;
  /** Item templates and jobs for the equip rules (GameData satisfies it). */
  gameData: { readonly content: Pick<Content, "items" | "jobs"> };
  /** True while the character is in a room: offline changes are refused then. */
  isOnline(characterId: string): Promise<boolean>;
  /** Called after every committed write to a character (drop the account's cached list). */
  onCharacterWritten?(accountId: string): Promise<void> | void;
  inventorySize?: number;
  /** How many characters' stored rows to remember between saves (see StoredRowsCache). */
  storedRowsCacheSize?: number;
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
 *
 * Cost: a batch is a handful of statements whatever its size (see writeProgress), and it compares
 * the new state with the rows this service last loaded or saved for each character at the locked
 * version (StoredRowsCache), reading rows back only for characters someone else wrote since.
 */
export function createProgressionService(deps: ProgressionDeps) {
  const { prisma, gameData, isOnline } = deps;
  const size = deps.inventorySize ?? INVENTORY_SIZE;
  const storedRows = new StoredRowsCache(deps.storedRowsCacheSize);

  async function written(accountIds: Iterable<string>): Promise<void> {
    for (const accountId of new Set(accountIds)) {
      try {
        await deps.onCharacterWritten?.(accountId);
      } catch {
        // A stale cache expires on its own; the write itself is committed.
      }
    }
  }

  /**
   * Locks, checks versions, writes the rest; one transaction for the whole batch. Once it commits
   * the written rows are remembered; if it fails, the batch's characters are forgotten.
   */
  async function saveBatch(list: readonly CharacterProgress[], options: SaveOptions) {
    try {
      const { stored, ...result } = await prisma.$transaction(async (tx) => {
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
        const versions = new Map([...locked].map(([id, row]) => [id, row.version]));
        const { saved, stored } = await writeProgress(repo, writable, versions);
        const accountIds = saved.flatMap((s) => locked.get(s.characterId)?.accountId ?? []);
        return { saved, conflicts, missing, accountIds, stored };
      }, TX_OPTIONS);
      remember(stored);
      return result;
    } catch (error) {
      for (const p of list) storedRows.drop(p.character.id);
      throw error;
    }
  }

  /** Once committed: what writeProgress wrote is what is stored at the new versions. */
  function remember(stored: readonly { version: number; rows: StoredRows }[]): void {
    for (const { version, rows } of stored) storedRows.set(rows.id, version, rows);
  }

  /**
   * Writes the characters' fields and makes their progression rows match, comparing with the rows
   * stored at `versions` (their locked versions): remembered ones, else read in one go. A handful
   * of statements per batch, however many characters: one UPDATE, then per table at most one
   * DELETE and one upsert. Rows must be locked.
   */
  async function writeProgress(
    repo: ProgressRepository,
    list: readonly CharacterProgress[],
    versions: ReadonlyMap<string, number>,
    known?: StoredRows,
  ) {
    const saved: { characterId: string; version: number }[] = [];
    const stored: { version: number; rows: StoredRows }[] = [];
    if (list.length === 0) return { saved, stored };
    const current = new Map<string, StoredRows>();
    const unknown: string[] = [];
    for (const p of list) {
      const id = p.character.id;
      const rows = known?.id === id ? known : storedRows.get(id, versions.get(id) ?? Number.NaN);
      if (rows) current.set(id, rows);
      else unknown.push(id);
    }
    for (const rows of await repo.findStoredRows(unknown)) current.set(rows.id, rows);
    const updated = await repo.updateCharacters(
      list.map(({ character: c }) => ({
        ...{ id: c.id, level: c.level, xp: c.xp, gold: c.gold, hp: c.hp, mp: c.mp },
        ...{ zone: c.zone, x: c.x, y: c.y, timers: c.timers },
      })),
    );
    const newVersions = new Map(updated.map((r) => [r.id, r.version]));
    const changes = emptyRowChanges();
    for (const p of list) {
      const id = p.character.id;
      const before = current.get(id);
      const version = newVersions.get(id);
      if (before === undefined || version === undefined) {
        throw new Error(`character ${id} vanished under its lock`);
      }
      saved.push({ characterId: id, version });
      stored.push({ version, rows: diffProgress(before, p, changes) });
    }
    await repo.applyRowChanges(changes);
    return { saved, stored };
  }

  /** A read consistent snapshot is what is stored at its version: remember it for the next save. */
  function loaded(row: ProgressRow): CharacterProgress {
    storedRows.set(row.id, row.version, copyStoredRows(row));
    return toCharacterProgress(row, size);
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
    const result = await prisma
      .$transaction(async (tx) => {
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
        const versions = new Map([[characterId, row.version]]);
        const { saved, stored } = await writeProgress(repo, [next], versions, row);
        const version = saved[0]?.version ?? 0;
        return { progress: { ...next, character: { ...next.character, version } }, stored };
      }, TX_OPTIONS)
      .catch((error: unknown) => {
        storedRows.drop(characterId);
        throw error;
      });
    remember(result.stored);
    await written([result.progress.character.accountId]);
    return result.progress;
  }

  /**
   * Runs `fn` in one transaction holding the rows of `ids` (FOR UPDATE, in id order). A character
   * in `known` is taken as given (a room's in-memory state) and its stored version must be the one
   * it names, else SAVE_CONFLICT and nothing is written; the others are loaded from their rows.
   * `fn` may run more statements on `tx` (ledger, mail) and returns the states to write in full
   * (versions bumped) with a result. Used by the economy (src/economy/mutation-commit.ts).
   */
  async function transact<T>(
    ids: readonly string[],
    known: readonly CharacterProgress[],
    fn: (
      tx: Prisma.TransactionClient,
      progress: ReadonlyMap<string, CharacterProgress>,
    ) => Promise<{ save: CharacterProgress[]; result: T }>,
  ): Promise<{ result: T; versions: Map<string, number> }> {
    const touched = [...new Set([...ids, ...known.map((p) => p.character.id)])];
    try {
      const out = await prisma.$transaction(async (tx) => {
        const repo = createProgressRepository(tx);
        const locked = new Map((await repo.lockCharacters(touched)).map((r) => [r.id, r]));
        const progress = new Map<string, CharacterProgress>();
        for (const p of known) {
          const row = locked.get(p.character.id);
          if (!row) throw new GameError("CHARACTER_NOT_FOUND");
          if (row.version !== p.character.version) throw new GameError("SAVE_CONFLICT");
          progress.set(p.character.id, p);
        }
        for (const id of touched) {
          if (progress.has(id)) continue;
          const row = locked.has(id) ? await repo.findProgress({ id }) : null;
          if (!row) throw new GameError("CHARACTER_NOT_FOUND");
          progress.set(id, loaded(row));
        }
        const { save: list, result } = await fn(tx, progress);
        const versions = new Map([...locked].map(([id, row]) => [id, row.version]));
        const { saved, stored } = await writeProgress(repo, list, versions);
        const accountIds = saved.flatMap((s) => locked.get(s.characterId)?.accountId ?? []);
        return { result, saved, stored, accountIds };
      }, TX_OPTIONS);
      remember(out.stored);
      await written(out.accountIds);
      return {
        result: out.result,
        versions: new Map(out.saved.map((s) => [s.characterId, s.version])),
      };
    } catch (error) {
      for (const id of touched) storedRows.drop(id);
      throw error;
    }
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
        // The writes' wait: with Prisma's 2 s default, a burst of joins failed the loads first.
        { ...TX_OPTIONS, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
      );
      return row ? loaded(row) : null;
    },

    /** Like load, for the owner only: CHARACTER_NOT_FOUND for anyone else. */
    async loadOwned(accountId: string, characterId: string): Promise<CharacterProgress> {
      const row = await prisma.$transaction(
        (tx) => createProgressRepository(tx).findProgress({ id: characterId, accountId }),
        { ...TX_OPTIONS, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
      );
      if (!row) throw new GameError("CHARACTER_NOT_FOUND");
      return loaded(row);
    },

    transact,

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

    /**
     * Writes the characters' zones and positions alone, in one statement, keeping their versions
     * (the rooms' write-behind, for characters that only moved: see src/session/progress-store.ts).
     * A deleted character is skipped.
     */
    async savePlaces(places: readonly CharacterPlace[]): Promise<void> {
      const updated = await createProgressRepository(prisma).updatePlaces(places);
      await written(updated.map((r) => r.accountId));
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
