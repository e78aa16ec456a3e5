import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import type { Database } from "../../src/db/database.ts";
import { addItem } from "../../src/game/items/inventory.ts";
import { createLogger } from "../../src/logger.ts";
import { createProgressionService } from "../../src/progression/progression.service.ts";
import type { PlayerRecord } from "../../src/session/player-record.ts";
import { createProgressStore } from "../../src/session/progress-store.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";
import { insertCharacter } from "../progression/fixtures.ts";

/**
 * ProgressStore.commitWith: an economy commit made from a room's copy is never undone by a copy
 * the write-behind took before the room applied it.
 */
for (const target of DATABASE_TARGETS) {
  describe(`progress store commits on ${target.name}`, function () {
    let db: Database;
    let close: () => Promise<void>;
    let data: GameData;

    before(async function () {
      await skipUnlessAvailable(this, target);
      ({ db, close } = await openTestDatabase(target));
      data = await loadGameData();
    });
    after(async () => close?.());

    const setup = async () => {
      const service = createProgressionService({
        prisma: db.prisma,
        gameData: data,
        isOnline: async () => true,
      });
      const store = createProgressStore(service, createLogger("silent"));
      const { id } = await insertCharacter(db.prisma);
      const loaded = (await store.load(id))!;
      const given = addItem(loaded.inventory, "spirit_stone", 5, data.content.items);
      assert.ok(given.ok);
      const room: PlayerRecord = {
        ...loaded,
        character: { ...loaded.character, gold: 100 },
        inventory: given.inventory,
      };
      await store.saveMany([room]);
      return { service, store, room };
    };

    /** Commits "take the 5 stones and 30 gold" from the room's copy. */
    const commitTake = (store: Awaited<ReturnType<typeof setup>>["store"], room: PlayerRecord) =>
      store.commitWith([room], [], async (_tx, records) => {
        const r = records.get(room.character.id)!;
        return {
          save: [
            {
              ...r,
              character: { ...r.character, gold: r.character.gold - 30 },
              inventory: { slots: r.inventory.slots.map(() => null) },
            },
          ],
          result: null,
        };
      });

    it("carries the commit over a copy taken before it was applied", async () => {
      const { service, store, room } = await setup();
      const { versions } = await commitTake(store, room);
      // The write-behind saves an older copy that also earned 7 gold from a kill.
      const stale = { ...room, character: { ...room.character, gold: 107, xp: 40 } };
      await store.saveMany([stale]);
      const stored = (await service.load(room.character.id))!;
      assert.equal(stored.character.gold, 77);
      assert.equal(stored.character.xp, 40);
      assert.equal(stored.inventory.slots.filter((s) => s !== null).length, 0);
      assert.ok(stored.character.version > versions.get(room.character.id)!);
    });

    it("waits for a commit in flight before saving an older copy", async () => {
      const { service, store, room } = await setup();
      const commit = commitTake(store, room);
      const save = store.saveMany([{ ...room, character: { ...room.character, xp: 9 } }]);
      await Promise.all([commit, save]);
      const stored = (await service.load(room.character.id))!;
      assert.equal(stored.character.gold, 70);
      assert.equal(stored.character.xp, 9);
      assert.equal(stored.inventory.slots.filter((s) => s !== null).length, 0);
    });

    // Issue 14: a position-only save writes the position alone, and only when nothing else moved.
    it("saves whole, carrying the commit, a position-only copy taken before it was applied", async () => {
      const { service, store, room } = await setup();
      const { versions } = await commitTake(store, room);
      const stale = { ...room, character: { ...room.character, x: 321, y: 432 } };
      await store.saveMany([stale], new Set([stale]));
      const stored = (await service.load(room.character.id))!;
      assert.equal(stored.character.gold, 70);
      assert.equal(stored.inventory.slots.filter((s) => s !== null).length, 0);
      assert.deepEqual([stored.character.x, stored.character.y], [321, 432]);
      assert.ok(stored.character.version > versions.get(room.character.id)!);
    });

    it("keeps the commit's version through position-only saves of the applied copy", async () => {
      const { service, store, room } = await setup();
      const { versions } = await commitTake(store, room);
      const version = versions.get(room.character.id)!;
      const applied: PlayerRecord = {
        ...room,
        character: { ...room.character, gold: 70, version },
        inventory: { slots: room.inventory.slots.map(() => null) },
      };
      const moved = { ...applied, character: { ...applied.character, x: 55, y: 66 } };
      await store.saveMany([moved], new Set([moved]));
      assert.equal((await service.load(room.character.id))!.character.version, version);
      // A second commit from the moved copy names the version it holds: no conflict to retry.
      await commitTake(store, moved);
      const stored = (await service.load(room.character.id))!;
      assert.equal(stored.character.gold, 40);
      assert.deepEqual([stored.character.x, stored.character.y], [55, 66]);
    });

    it("saves copies taken after the room applied the commit as they are", async () => {
      const { service, store, room } = await setup();
      const { versions } = await commitTake(store, room);
      const applied: PlayerRecord = {
        ...room,
        character: { ...room.character, gold: 70, version: versions.get(room.character.id)! },
        inventory: { slots: room.inventory.slots.map(() => null) },
      };
      await store.saveMany([{ ...applied, character: { ...applied.character, gold: 71 } }]);
      assert.equal((await service.load(room.character.id))!.character.gold, 71);
    });
  });
}
