import assert from "node:assert/strict";
import { createEquipment } from "../../src/game/items/equipment.ts";
import { toCharacterProgress } from "../../src/progression/character-progress.ts";
import {
  copyStoredRows,
  diffProgress,
  emptyRowChanges,
  storedRowsOf,
} from "../../src/progression/progress-diff.ts";
import type { ProgressRow } from "../../src/progression/progress.repository.ts";

const id = "00000000-0000-4000-8000-000000000001";
const at = new Date("2026-01-01T00:00:00Z");

const stored: ProgressRow = {
  id,
  accountId: "00000000-0000-4000-8000-000000000002",
  name: "Hero",
  race: "human",
  job: "warrior",
  level: 1,
  xp: 0n,
  gold: 0n,
  hp: 10,
  mp: 10,
  zone: "town",
  x: 0,
  y: 0,
  timers: {},
  version: 0,
  inventory: [
    { characterId: id, slot: 0, itemId: "rusty_sword", quantity: 1 },
    { characterId: id, slot: 3, itemId: "wolf_pelt", quantity: 5 },
  ],
  equipment: [{ characterId: id, slot: "head", itemId: "cloth_cap" }],
  quests: [
    { characterId: id, questId: "a", status: "active", progress: [1], position: 0, acceptedAt: at },
  ],
  completedQuests: [{ characterId: id, questId: "b", position: 0, completedAt: at }],
};

describe("diffProgress", () => {
  it("touches no row when the state is what is stored", () => {
    const changes = emptyRowChanges();
    diffProgress(stored, toCharacterProgress(stored), changes);
    assert.deepEqual(changes, emptyRowChanges());
  });

  it("deletes gone rows and upserts new and changed ones, returning the rows stored", () => {
    const p = toCharacterProgress(stored);
    const slots = p.inventory.slots.slice();
    slots[0] = null;
    slots[3] = { itemId: "wolf_pelt", qty: 6 };
    slots[4] = { itemId: "rusty_sword", qty: 1 };
    const changes = emptyRowChanges();
    const next = {
      ...p,
      inventory: { slots },
      equipment: { ...createEquipment(), weapon: "rusty_sword" },
      quests: {
        active: [
          { questId: "c", progress: [0, 0], status: "active" as const },
          { questId: "a", progress: [2], status: "ready" as const },
        ],
        completed: ["b"],
      },
    };
    const rows = diffProgress(stored, next, changes);
    assert.deepEqual(changes.inventory, {
      remove: [{ characterId: id, slot: 0 }],
      upsert: [
        { characterId: id, slot: 3, itemId: "wolf_pelt", quantity: 6 },
        { characterId: id, slot: 4, itemId: "rusty_sword", quantity: 1 },
      ],
    });
    assert.deepEqual(changes.equipment, {
      remove: [{ characterId: id, slot: "head" }],
      upsert: [{ characterId: id, slot: "weapon", itemId: "rusty_sword" }],
    });
    assert.deepEqual(changes.quests, {
      remove: [],
      upsert: [
        { characterId: id, questId: "c", status: "active", progress: [0, 0], position: 0 },
        { characterId: id, questId: "a", status: "ready", progress: [2], position: 1 },
      ],
    });
    assert.deepEqual(changes.completed, { remove: [], upsert: [] });
    assert.deepEqual(rows, storedRowsOf(next));
    const again = emptyRowChanges();
    diffProgress(rows, next, again);
    assert.deepEqual(again, emptyRowChanges(), "the returned rows are what a save leaves stored");
  });

  it("removes quests turned in and moves them to the completed list", () => {
    const p = toCharacterProgress(stored);
    const changes = emptyRowChanges();
    diffProgress(stored, { ...p, quests: { active: [], completed: ["a", "b"] } }, changes);
    assert.deepEqual(changes.quests, { remove: [{ characterId: id, questId: "a" }], upsert: [] });
    assert.deepEqual(changes.completed, {
      remove: [],
      upsert: [
        { characterId: id, questId: "a", position: 0 },
        { characterId: id, questId: "b", position: 1 },
      ],
    });
  });

  it("copies only the compared fields of stored rows, and no shared arrays", () => {
    const copy = copyStoredRows(stored);
    assert.deepEqual(copy, {
      id,
      inventory: [
        { slot: 0, itemId: "rusty_sword", quantity: 1 },
        { slot: 3, itemId: "wolf_pelt", quantity: 5 },
      ],
      equipment: [{ slot: "head", itemId: "cloth_cap" }],
      quests: [{ questId: "a", status: "active", progress: [1], position: 0 }],
      completedQuests: [{ questId: "b", position: 0 }],
    });
    assert.notEqual(copy.quests[0]!.progress, stored.quests[0]!.progress);
  });

  it("keeps rows stored beyond the inventory size on load", () => {
    const wide = {
      ...stored,
      inventory: [{ characterId: id, slot: 40, itemId: "x", quantity: 1 }],
    };
    const p = toCharacterProgress(wide);
    assert.equal(p.inventory.slots.length, 41);
    assert.deepEqual(p.inventory.slots[40], { itemId: "x", qty: 1 });
  });
});
