import assert from "node:assert/strict";
import { createEquipment } from "../../src/game/items/equipment.ts";
import { toCharacterProgress } from "../../src/progression/character-progress.ts";
import { diffProgress, emptyRowChanges } from "../../src/progression/progress-diff.ts";
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

  it("deletes gone and changed rows and inserts new and changed ones, keeping quest times", () => {
    const p = toCharacterProgress(stored);
    const slots = p.inventory.slots.slice();
    slots[0] = null;
    slots[3] = { itemId: "wolf_pelt", qty: 6 };
    slots[4] = { itemId: "rusty_sword", qty: 1 };
    const changes = emptyRowChanges();
    diffProgress(
      stored,
      {
        ...p,
        inventory: { slots },
        equipment: { ...createEquipment(), weapon: "rusty_sword" },
        quests: { active: [{ questId: "a", progress: [2], status: "ready" }], completed: ["b"] },
      },
      changes,
    );
    assert.deepEqual(changes.inventory, {
      remove: [
        { characterId: id, slot: 0 },
        { characterId: id, slot: 3 },
      ],
      insert: [
        { characterId: id, slot: 3, itemId: "wolf_pelt", quantity: 6 },
        { characterId: id, slot: 4, itemId: "rusty_sword", quantity: 1 },
      ],
    });
    assert.deepEqual(changes.equipment, {
      remove: [{ characterId: id, slot: "head" }],
      insert: [{ characterId: id, slot: "weapon", itemId: "rusty_sword" }],
    });
    assert.deepEqual(changes.quests.insert, [
      {
        characterId: id,
        questId: "a",
        status: "ready",
        progress: [2],
        position: 0,
        acceptedAt: at,
      },
    ]);
    assert.deepEqual(changes.completed, { remove: [], insert: [] });
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
