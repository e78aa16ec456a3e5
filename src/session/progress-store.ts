import type { Logger } from "../logger.ts";
import type { ProgressionService } from "../progression/progression.service.ts";
import type { PlayerRecord, ProgressStore } from "./player-record.ts";

/**
 * The rooms' view of the progression service. A character's room is its only writer while the
 * character is online (the presence lock guarantees it), so the store tracks the version of each
 * character's last save and names it in the next one. A conflict means someone wrote behind the
 * lock's back: the room's state wins, after a warning. A failed save throws, so the write-behind
 * queue keeps the record and retries it.
 */
export function createProgressStore(service: ProgressionService, logger: Logger): ProgressStore {
  const versions = new Map<string, number>();
  const withKnownVersion = (r: PlayerRecord): PlayerRecord => ({
    ...r,
    character: { ...r.character, version: versions.get(r.character.id) ?? r.character.version },
  });

  return {
    async load(characterId) {
      const progress = await service.load(characterId);
      if (!progress) return null;
      versions.set(characterId, progress.character.version);
      return progress as PlayerRecord;
    },

    async saveMany(records) {
      const result = await service.saveMany(records.map(withKnownVersion));
      for (const saved of result.saved) versions.set(saved.characterId, saved.version);
      for (const characterId of result.conflicts) {
        logger.warn({ characterId }, "character changed behind its room's lock; room state wins");
        const stored = await service.load(characterId);
        const record = records.find((r) => r.character.id === characterId);
        if (!stored || !record) continue;
        versions.set(characterId, stored.character.version);
        const retry = await service.saveMany([withKnownVersion(record)]);
        for (const saved of retry.saved) versions.set(saved.characterId, saved.version);
        if (retry.saved.length === 0) throw new Error(`could not save character ${characterId}`);
      }
      for (const characterId of result.missing) {
        logger.warn({ characterId }, "character was deleted while online; progress discarded");
      }
      if (result.failed.length > 0) {
        const first = result.failed[0]!;
        throw new Error(
          `saving ${result.failed.length} character(s) failed, first ${first.characterId}: ${String(first.error)}`,
          { cause: first.error },
        );
      }
    },
  };
}
