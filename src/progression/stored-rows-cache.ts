import type { StoredRows } from "./progress.repository.ts";

/** Enough for every character online on one process, each a few kB. */
export const STORED_ROWS_CACHE_SIZE = 2_000;

/**
 * The progression rows this process last read or committed for each character, with the version
 * they were stored at, so a save can compare against them instead of reading them back. Sound
 * because every write of a character's progression rows goes through the progression service
 * and bumps its version in the same transaction: when the locked row still has the version
 * cached here, nobody (no other process either) has written its rows since. (A database that
 * loses commits, such as a failover to a lagging replica, can reuse a version: restart the
 * servers after one.) Entries are set only after a commit, dropped when a save fails, and the
 * least recently used go first.
 */
export class StoredRowsCache {
  private readonly entries = new Map<string, { version: number; rows: StoredRows }>();
  private readonly maxEntries: number;

  constructor(maxEntries = STORED_ROWS_CACHE_SIZE) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The rows stored at `version`, or undefined when unknown or stored at another version. */
  get(characterId: string, version: number): StoredRows | undefined {
    const entry = this.entries.get(characterId);
    if (entry?.version !== version) return undefined;
    this.entries.delete(characterId);
    this.entries.set(characterId, entry);
    return entry.rows;
  }

  /** Records that the character's rows are `rows` at `version`; the caller gives up `rows`. */
  set(characterId: string, version: number, rows: StoredRows): void {
    this.entries.delete(characterId);
    this.entries.set(characterId, { version, rows });
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  drop(characterId: string): void {
    this.entries.delete(characterId);
  }
}
