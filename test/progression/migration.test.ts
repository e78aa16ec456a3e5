import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Database } from "../../src/db/database.ts";
import { EQUIP_SLOTS } from "../../src/game/items/equipment.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";
import { insertCharacter } from "./fixtures.ts";

/** Migration 20261121150000_progression, proven through the Prisma client on each adapter. */
for (const target of DATABASE_TARGETS) {
  describe(`progression models on ${target.name}`, function () {
    let db: Database;
    let close: () => Promise<void>;
    let characterId: string;

    before(async function () {
      await skipUnlessAvailable(this, target);
      ({ db, close } = await openTestDatabase(target));
    });
    after(async () => close?.());
    beforeEach(async () => {
      characterId = (await insertCharacter(db.prisma)).id;
    });

    it("starts characters at version 0 and increments it", async () => {
      const row = await db.prisma.character.findUniqueOrThrow({
        where: { id: characterId },
        select: { version: true },
      });
      assert.equal(row.version, 0);
      const bumped = await db.prisma.character.update({
        where: { id: characterId },
        data: { version: { increment: 1 } },
        select: { version: true },
      });
      assert.equal(bumped.version, 1);
    });

    it("stores inventory stacks, one per slot, with a positive quantity", async () => {
      await db.prisma.inventoryItem.createMany({
        data: [
          { characterId, slot: 0, itemId: "rusty_sword", quantity: 1 },
          { characterId, slot: 29, itemId: "minor_healing_pill", quantity: 20 },
        ],
      });
      const rows = await db.prisma.inventoryItem.findMany({
        where: { characterId },
        select: { slot: true, itemId: true, quantity: true },
        orderBy: { slot: "asc" },
      });
      assert.deepEqual(rows, [
        { slot: 0, itemId: "rusty_sword", quantity: 1 },
        { slot: 29, itemId: "minor_healing_pill", quantity: 20 },
      ]);
      await assert.rejects(
        db.prisma.inventoryItem.create({
          data: { characterId, slot: 0, itemId: "cloth_cap", quantity: 1 },
        }),
        /Unique constraint/,
      );
      await assert.rejects(
        db.prisma.inventoryItem.create({
          data: { characterId, slot: 1, itemId: "x", quantity: 0 },
        }),
        /quantity_check/,
      );
      await assert.rejects(
        db.prisma.inventoryItem.create({
          data: { characterId, slot: -1, itemId: "x", quantity: 1 },
        }),
        /slot_check/,
      );
    });

    it("stores equipment in every EquipSlot and refuses other slot names", async () => {
      await db.prisma.equippedItem.createMany({
        data: EQUIP_SLOTS.map((slot) => ({ characterId, slot, itemId: `item_${slot}` })),
      });
      const rows = await db.prisma.equippedItem.findMany({
        where: { characterId },
        select: { slot: true, itemId: true },
      });
      assert.equal(rows.length, EQUIP_SLOTS.length);
      await assert.rejects(
        db.prisma.equippedItem.create({ data: { characterId, slot: "tail", itemId: "x" } }),
        /slot_check/,
      );
      await assert.rejects(
        db.prisma.equippedItem.create({ data: { characterId, slot: "weapon", itemId: "x" } }),
        /Unique constraint/,
      );
    });

    it("stores quest progress as an int array with a status, and completed quests", async () => {
      await db.prisma.questProgress.create({
        data: {
          characterId,
          questId: "wolf_cull",
          status: "active",
          progress: [3, 0],
          position: 0,
        },
      });
      const row = await db.prisma.questProgress.findUniqueOrThrow({
        where: { characterId_questId: { characterId, questId: "wolf_cull" } },
        select: { status: true, progress: true, position: true, acceptedAt: true },
      });
      assert.deepEqual(row.progress, [3, 0]);
      assert.equal(row.status, "active");
      assert.ok(row.acceptedAt instanceof Date);
      await assert.rejects(
        db.prisma.questProgress.create({
          data: { characterId, questId: "other", status: "done", progress: [], position: 1 },
        }),
        /status_check/,
      );
      await db.prisma.completedQuest.create({
        data: { characterId, questId: "first_steps", position: 0 },
      });
      await assert.rejects(
        db.prisma.completedQuest.create({
          data: { characterId, questId: "first_steps", position: 1 },
        }),
        /Unique constraint/,
      );
      const done = await db.prisma.completedQuest.findMany({
        where: { characterId },
        select: { questId: true, completedAt: true },
      });
      assert.equal(done[0]?.questId, "first_steps");
      assert.ok(done[0]?.completedAt instanceof Date);
    });

    it("deletes a character's progression rows with the character", async () => {
      await db.prisma.inventoryItem.create({
        data: { characterId, slot: 0, itemId: "rusty_sword", quantity: 1 },
      });
      await db.prisma.equippedItem.create({
        data: { characterId, slot: "head", itemId: "cloth_cap" },
      });
      await db.prisma.questProgress.create({
        data: { characterId, questId: "q", status: "ready", progress: [1], position: 0 },
      });
      await db.prisma.completedQuest.create({ data: { characterId, questId: "p", position: 0 } });
      await db.prisma.character.delete({ where: { id: characterId } });
      const where = { characterId };
      assert.equal(await db.prisma.inventoryItem.count({ where }), 0);
      assert.equal(await db.prisma.equippedItem.count({ where }), 0);
      assert.equal(await db.prisma.questProgress.count({ where }), 0);
      assert.equal(await db.prisma.completedQuest.count({ where }), 0);
    });

    it("refuses rows for a character that does not exist", async () => {
      await assert.rejects(
        db.prisma.inventoryItem.create({
          data: { characterId: randomUUID(), slot: 0, itemId: "x", quantity: 1 },
        }),
        /Foreign key constraint/,
      );
    });
  });
}
