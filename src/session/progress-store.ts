import type { Logger } from "../logger.ts";
import type { CharacterPlace } from "../progression/progress.repository.ts";
import type { ProgressionService } from "../progression/progression.service.ts";
import type { PlayerRecord, ProgressStore } from "./player-record.ts";

/** How often a commit is retried when a save of the same character committed just before it. */
const COMMIT_ATTEMPTS = 4;

/** The latest economy commit of a character through this store (see rebase). */
type Commit = {
  /** Version the room's copies carried before this commit was applied to them. */
  after: number;
  /** Version the commit wrote; the room's copy carries it once the commit is applied. */
  to: number;
  record: PlayerRecord;
  /** Gold the commit added (negative: took). */
  goldDelta: number;
};

const placeOf = ({ character: c }: PlayerRecord): CharacterPlace => ({
  id: c.id,
  zone: c.zone,
  x: c.x,
  y: c.y,
});

/**
 * The rooms' view of the progression service. A character's room is its only writer while the
 * character is online (the presence lock guarantees it), so the store tracks the version of each
 * character's last save and names it in the next one. A conflict means someone wrote behind the
 * lock's back: the room's state wins, after a warning. A failed save throws, so the write-behind
 * queue keeps the record and retries it.
 *
 * Economy commits (commitWith) are the room's own writes too, made while its copy is frozen. A
 * copy of the record taken before the room applied a commit must not undo it: a save of such a
 * copy waits for a commit in flight, then carries the committed inventory, equipment and gold
 * delta over it (it is one commit behind), or is dropped (older; the room saves a newer one).
 *
 * A position-only save writes the zone and position alone and keeps the version: the room is the
 * only writer of a position, and commits and saves in flight keep naming the versions they hold.
 */
export function createProgressStore(service: ProgressionService, logger: Logger): ProgressStore {
  const versions = new Map<string, number>();
  const commits = new Map<string, Commit>();
  const inFlight = new Map<string, Promise<unknown>>();
  const withKnownVersion = (r: PlayerRecord): PlayerRecord => ({
    ...r,
    character: { ...r.character, version: versions.get(r.character.id) ?? r.character.version },
  });

  async function settled(ids: Iterable<string>): Promise<void> {
    for (const id of ids) await inFlight.get(id)?.catch(() => undefined);
  }

  /** The record to save in place of `r`, or null when a newer commit makes it obsolete. */
  function rebase(r: PlayerRecord): PlayerRecord | null {
    const commit = commits.get(r.character.id);
    if (!commit || r.character.version >= commit.to) return r;
    if (r.character.version < commit.after) return null;
    return {
      ...r,
      character: {
        ...r.character,
        gold: r.character.gold + commit.goldDelta,
        version: commit.to,
      },
      inventory: commit.record.inventory,
      equipment: commit.record.equipment,
    };
  }

  async function saveOne(record: PlayerRecord): Promise<boolean> {
    const retry = await service.saveMany([withKnownVersion(record)]);
    for (const saved of retry.saved) versions.set(saved.characterId, saved.version);
    return retry.saved.length > 0;
  }

  return {
    async load(characterId) {
      const progress = await service.load(characterId);
      if (!progress) return null;
      versions.set(characterId, progress.character.version);
      // A fresh copy carries every commit so far: nothing older can be saved for it any more.
      commits.delete(characterId);
      return progress as PlayerRecord;
    },

    async saveMany(given, positionOnly) {
      await settled(given.map((r) => r.character.id));
      const records: PlayerRecord[] = [];
      const places: CharacterPlace[] = [];
      for (const record of given) {
        const rebased = rebase(record);
        if (rebased === null) continue;
        // A commit since the copy was taken changed more than the position: save it whole.
        if (rebased === record && positionOnly?.has(record)) places.push(placeOf(record));
        else records.push(rebased);
      }
      if (places.length > 0) await service.savePlaces(places);
      if (records.length === 0) return;
      const result = await service.saveMany(records.map(withKnownVersion));
      for (const saved of result.saved) versions.set(saved.characterId, saved.version);
      for (const characterId of result.conflicts) {
        await settled([characterId]);
        const found = records.find((r) => r.character.id === characterId);
        const record = found && rebase(found);
        if (!record) continue;
        if (commits.has(characterId) && record !== found) {
          // Our own economy commit landed between this copy and its save: not someone else.
          if (await saveOne(record)) continue;
        }
        logger.warn({ characterId }, "character changed behind its room's lock; room state wins");
        const stored = await service.load(characterId);
        if (!stored) continue;
        versions.set(characterId, stored.character.version);
        if (!(await saveOne(record))) throw new Error(`could not save character ${characterId}`);
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

    /**
     * Commits in one transaction; the in-memory `records` are named at the versions this store
     * tracks. A conflict with a save of the same character that committed first is retried (the
     * caller's `work` runs again on the same records). On success this store tracks the new
     * versions and the caller must apply the commit to its copies, setting their version to
     * `versions.get(id)`, before it takes another copy.
     */
    async commitWith(records, alsoIds, work) {
      const ids = [...records.map((r) => r.character.id), ...alsoIds];
      // In flight from now (before any await): a save that starts meanwhile waits for it.
      const earlier = ids.flatMap((id) => inFlight.get(id) ?? []);
      const run = (async () => {
        for (const other of earlier) await other.catch(() => undefined);
        for (let attempt = 1; ; attempt++) {
          try {
            const saves: PlayerRecord[] = [];
            const goldBefore = new Map<string, number>();
            const out = await service.transact(ids, records.map(withKnownVersion), (tx, loaded) => {
              for (const [id, r] of loaded) goldBefore.set(id, r.character.gold);
              return work(tx, loaded as ReadonlyMap<string, PlayerRecord>).then((done) => {
                saves.splice(0, saves.length, ...done.save);
                return done;
              });
            });
            for (const saved of saves) {
              const id = saved.character.id;
              const to = out.versions.get(id);
              if (to === undefined) continue;
              const held = records.find((r) => r.character.id === id);
              versions.set(id, to);
              // Characters loaded in the transaction (offline) have no copy here to protect.
              if (!held) continue;
              commits.set(id, {
                after: held.character.version,
                to,
                record: saved,
                goldDelta: saved.character.gold - (goldBefore.get(id) ?? saved.character.gold),
              });
            }
            return out;
          } catch (error) {
            // SAVE_CONFLICT: a save of ours committed first. P2034: the database aborted the
            // transaction (deadlock, write conflict); it left nothing behind.
            const code = (error as { code?: string }).code;
            const conflict = code === "SAVE_CONFLICT" || code === "P2034";
            if (!conflict || attempt >= COMMIT_ATTEMPTS) throw error;
            await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
          }
        }
      })();
      for (const id of ids) inFlight.set(id, run);
      try {
        return await run;
      } finally {
        for (const id of ids) if (inFlight.get(id) === run) inFlight.delete(id);
      }
    },
  };
}
