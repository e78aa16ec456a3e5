import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import type { Database } from "../../src/db/database.ts";
import { GameError, type ErrorCode } from "../../src/errors.ts";
import { EQUIP_SLOTS } from "../../src/game/items/equipment.ts";
import type { CharacterProgress } from "../../src/progression/character-progress.ts";
import {
  createProgressionService,
  type ProgressionService,
} from "../../src/progression/progression.service.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";
import { insertCharacter } from "./fixtures.ts";

/** Total of each item across inventory and equipment: item moves must conserve it. */
function holdings(p: CharacterProgress): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of p.inventory.slots) if (s) out[s.itemId] = (out[s.itemId] ?? 0) + s.qty;
  for (const slot of EQUIP_SLOTS) {
    const id = p.equipment[slot];
    if (id) out[id] = (out[id] ?? 0) + 1;
  }
  return out;
}

const rejectsWith = (promise: Promise<unknown>, code: ErrorCode) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof GameError, String(error));
    assert.equal(error.code, code);
    return true;
  });

for (const target of DATABASE_TARGETS) {
  describe(`progression service on ${target.name}`, function () {
    let db: Database;
    let close: () => Promise<void>;
    let data: GameData;
    let service: ProgressionService;
    let online: Set<string>;
    let written: string[];
    let hero: { id: string; accountId: string };

    before(async function () {
      await skipUnlessAvailable(this, target);
      ({ db, close } = await openTestDatabase(target));
      data = await loadGameData();
    });
    after(async () => close?.());

    beforeEach(async () => {
      online = new Set();
      written = [];
      service = createProgressionService({
        prisma: db.prisma,
        gameData: data,
        isOnline: async (id) => online.has(id),
        onCharacterWritten: (accountId) => {
          written.push(accountId);
        },
      });
      hero = await insertCharacter(db.prisma);
    });

    const load = async (id = hero.id) => {
      const p = await service.load(id);
      assert.ok(p, "character exists");
      return p;
    };

    describe("load and save", () => {
      it("loads a new character with an empty 30-slot inventory, no gear, no quests", async () => {
        const p = await load();
        assert.equal(p.inventory.slots.length, 30);
        assert.ok(p.inventory.slots.every((s) => s === null));
        assert.ok(EQUIP_SLOTS.every((s) => p.equipment[s] === null));
        assert.deepEqual(p.quests, { active: [], completed: [] });
        assert.equal(p.character.version, 0);
        assert.deepEqual(p.character.timers, { skills: {}, items: {}, effects: [] });
        assert.equal(p.character.accountId, hero.accountId);
        assert.equal(await service.load(randomUUID()), null);
      });

      it("round-trips the character, inventory, equipment and quest log exactly", async () => {
        const before = await load();
        const slots = before.inventory.slots.slice();
        slots[0] = { itemId: "minor_healing_pill", qty: 7 };
        slots[4] = { itemId: "wolf_pelt", qty: 50 };
        slots[29] = { itemId: "cloth_cap", qty: 1 };
        const soon = Date.now() + 60_000;
        const timers = {
          skills: { heavy_slash: soon, whirlwind: soon + 1 },
          items: { pill: soon + 2 },
          effects: [{ id: "iron_body", sourceId: hero.id, expiresAt: soon + 3 }],
        };
        const next: CharacterProgress = {
          character: {
            ...before.character,
            ...{ level: 3, xp: 42, gold: 1234, hp: 300, mp: 90, timers },
          },
          inventory: { slots },
          equipment: { ...before.equipment, weapon: "rusty_sword", ring_2: "jade_ring" },
          quests: {
            active: [
              { questId: "wolves_in_the_hills", progress: [2, 0], status: "active" },
              { questId: "the_hermits_herbs", progress: [5, 0], status: "active" },
            ],
            completed: ["dew_on_the_meadow"],
          },
        };
        const moved = { ...next, character: { ...next.character, zone: "field", x: 5.5, y: 7.25 } };
        assert.equal(await service.save(moved), 1);
        assert.deepEqual(await load(), { ...moved, character: { ...moved.character, version: 1 } });
        assert.deepEqual(written, [hero.accountId]);

        const acceptedAt = async (questId: string) =>
          (
            await db.prisma.questProgress.findUniqueOrThrow({
              where: { characterId_questId: { characterId: hero.id, questId } },
              select: { acceptedAt: true },
            })
          ).acceptedAt.getTime();
        const herbAccepted = await acceptedAt("the_hermits_herbs");
        await new Promise((r) => setTimeout(r, 5));

        const s2 = moved.inventory.slots.slice();
        s2[4] = null;
        s2[0] = { itemId: "minor_healing_pill", qty: 6 };
        const again: CharacterProgress = {
          ...moved,
          character: { ...moved.character, version: 1 },
          inventory: { slots: s2 },
          equipment: { ...moved.equipment, ring_2: null, ring_1: "jade_ring" },
          quests: {
            active: [{ questId: "the_hermits_herbs", progress: [5, 3], status: "active" }],
            completed: ["dew_on_the_meadow", "wolves_in_the_hills"],
          },
        };
        assert.equal(await service.save(again), 2);
        assert.deepEqual(await load(), { ...again, character: { ...again.character, version: 2 } });
        assert.equal(await acceptedAt("the_hermits_herbs"), herbAccepted, "kept on progress");
      });

      it("refuses a save naming an old version, and writes nothing", async () => {
        const p = await load();
        await service.save({ ...p, character: { ...p.character, gold: 10 } });
        await rejectsWith(
          service.save({ ...p, character: { ...p.character, gold: 99 } }),
          "SAVE_CONFLICT",
        );
        assert.equal((await load()).character.gold, 10);
        assert.equal(
          await service.save({ ...p, character: { ...p.character, gold: 99 } }, { force: true }),
          2,
        );
        assert.equal((await load()).character.gold, 99);
      });

      it("changes nothing when the database refuses a row mid-save", async () => {
        const p = await load();
        const slots = p.inventory.slots.slice();
        slots[0] = { itemId: "rusty_sword", qty: 1 };
        await service.save({ ...p, inventory: { slots } });
        const before = await load();
        const bad = before.inventory.slots.slice();
        bad[0] = null;
        bad[1] = { itemId: "rusty_sword", qty: 1 };
        bad[2] = { itemId: "wolf_pelt", qty: 0 }; // violates inventory_items_quantity_check
        await assert.rejects(
          service.save({
            ...before,
            character: { ...before.character, level: 9, gold: 500 },
            inventory: { slots: bad },
            equipment: { ...before.equipment, head: "cloth_cap" },
          }),
          /quantity_check/,
        );
        assert.deepEqual(await load(), before);
      });

      it("saves a batch, skipping conflicting and deleted characters", async () => {
        const other = await insertCharacter(db.prisma);
        const stale = await insertCharacter(db.prisma);
        const [a, b, c] = [await load(), await load(other.id), await load(stale.id)];
        await service.save(c);
        const ghost = { ...a, character: { ...a.character, id: randomUUID() } };
        written = [];
        const result = await service.saveMany([
          { ...a, character: { ...a.character, gold: 1 } },
          { ...b, character: { ...b.character, gold: 2 } },
          c,
          ghost,
        ]);
        assert.deepEqual(result, {
          saved: [
            { characterId: hero.id, version: 1 },
            { characterId: other.id, version: 1 },
          ],
          conflicts: [stale.id],
          missing: [ghost.character.id],
          failed: [],
        });
        assert.equal((await load()).character.gold, 1);
        assert.equal((await load(other.id)).character.gold, 2);
        assert.deepEqual(written.sort(), [hero.accountId, other.accountId].sort());
      });

      it("saves the rest of a batch when one character's state is refused", async () => {
        const other = await insertCharacter(db.prisma);
        const [a, b] = [await load(), await load(other.id)];
        const bad = a.inventory.slots.slice();
        bad[0] = { itemId: "wolf_pelt", qty: -1 };
        const result = await service.saveMany([
          { ...a, inventory: { slots: bad } },
          { ...b, character: { ...b.character, gold: 7 } },
        ]);
        assert.deepEqual(result.saved, [{ characterId: other.id, version: 1 }]);
        assert.deepEqual(
          result.failed.map((f) => f.characterId),
          [hero.id],
        );
        assert.equal((await load()).character.version, 0);
        assert.equal((await load(other.id)).character.gold, 7);

        const fixed = a.inventory.slots.slice();
        fixed[0] = { itemId: "wolf_pelt", qty: 3 };
        const retried = await service.saveMany([{ ...a, inventory: { slots: fixed } }]);
        assert.deepEqual(retried.saved, [{ characterId: hero.id, version: 1 }]);
        assert.deepEqual((await load()).inventory.slots[0], { itemId: "wolf_pelt", qty: 3 });
      });
    });

    describe("batched writes", () => {
      /** A different state per character: items, gear, quests and fields all move. */
      const changed = (p: CharacterProgress, round: number, i: number): CharacterProgress => {
        const slots = p.inventory.slots.slice();
        slots[(round + i) % 30] = { itemId: "wolf_pelt", qty: 1 + ((round * 7 + i) % 50) };
        slots[(round + i + 5) % 30] = null;
        if (round % 2 === 1) slots[29] = { itemId: "cloth_cap", qty: 1 };
        const active =
          round === 0
            ? [
                { questId: "wolves_in_the_hills", progress: [i, 0], status: "active" as const },
                { questId: "the_hermits_herbs", progress: [0, 0], status: "active" as const },
              ]
            : [{ questId: "the_hermits_herbs", progress: [round, i], status: "ready" as const }];
        return {
          character: {
            ...p.character,
            ...{ level: 2 + round, xp: 100 * round + i, gold: 1000 + i, hp: 50 + i, x: i + 0.5 },
            timers: { skills: { heavy_slash: Date.now() + 60_000 + i }, items: {}, effects: [] },
          },
          inventory: { slots },
          equipment: { ...p.equipment, weapon: round % 2 === 0 ? "rusty_sword" : null },
          quests: {
            active,
            completed: round === 0 ? [] : ["wolves_in_the_hills", "dew_on_the_meadow"],
          },
        };
      };

      it("writes every character of a large batch exactly, round after round", async () => {
        const ids = [hero.id];
        for (let i = 1; i < 12; i++) ids.push((await insertCharacter(db.prisma)).id);
        let states = await Promise.all(ids.map((id) => load(id)));
        for (let round = 0; round < 3; round++) {
          const next = states.map((p, i) => changed(p, round, i));
          const result = await service.saveMany(next);
          assert.deepEqual(
            result.saved,
            ids.map((characterId) => ({ characterId, version: round + 1 })),
          );
          states = next.map((p) => ({ ...p, character: { ...p.character, version: round + 1 } }));
          const stored = await Promise.all(ids.map((id) => load(id)));
          assert.deepEqual(stored, states, `round ${round}`);
        }
      });

      it("compares with the database, not memory, when another process saved in between", async () => {
        const mine = await load();
        const elsewhere = createProgressionService({
          prisma: db.prisma,
          gameData: data,
          isOnline: async () => false,
        });
        const theirs = changed((await elsewhere.load(hero.id))!, 0, 3);
        await elsewhere.save(theirs);
        const next = changed(mine, 1, 8);
        await rejectsWith(service.save(next), "SAVE_CONFLICT");
        assert.equal(await service.save(next, { force: true }), 2);
        assert.deepEqual(await load(), { ...next, character: { ...next.character, version: 2 } });

        const offline = await elsewhere.giveItem(hero.id, "bone_dust", 4);
        const again = changed(offline, 2, 1);
        assert.equal(await service.save(again), 4);
        assert.deepEqual(await load(), { ...again, character: { ...again.character, version: 4 } });
      });

      it("keeps a quest's accepted time while its progress is saved again and again", async () => {
        const first = changed(await load(), 0, 0);
        await service.save(first);
        const acceptedAt = async () =>
          (
            await db.prisma.questProgress.findUniqueOrThrow({
              where: {
                characterId_questId: { characterId: hero.id, questId: "the_hermits_herbs" },
              },
              select: { acceptedAt: true },
            })
          ).acceptedAt.getTime();
        const accepted = await acceptedAt();
        await new Promise((r) => setTimeout(r, 5));
        let p = await load();
        for (let round = 1; round < 4; round++) {
          const next = changed(p, round, 0);
          await service.save(next);
          p = await load();
          assert.deepEqual(p.quests, next.quests);
        }
        assert.equal(await acceptedAt(), accepted);
      });
    });

    it("drops cooldowns and effects that ran out while offline, and malformed entries", async () => {
      const before = await load();
      const now = Date.now();
      await service.save({
        ...before,
        character: {
          ...before.character,
          timers: {
            skills: { heavy_slash: now - 1, whirlwind: now + 60_000 },
            items: { pill: now - 5000 },
            effects: [
              { id: "iron_body", sourceId: hero.id, expiresAt: now - 1 },
              { id: "iron_body", sourceId: "other", expiresAt: now + 60_000 },
            ],
          },
        },
      });
      await db.prisma.$executeRawUnsafe(
        `UPDATE characters SET timers = jsonb_set(timers, '{items,bad}', '"soon"') WHERE id = $1::uuid`,
        hero.id,
      );
      assert.deepEqual((await load()).character.timers, {
        skills: { whirlwind: now + 60_000 },
        items: {},
        effects: [{ id: "iron_body", sourceId: "other", expiresAt: now + 60_000 }],
      });
    });

    describe("offline item moves", () => {
      it("equips and unequips conserving every item", async () => {
        await service.giveItem(hero.id, "rusty_sword", 1);
        await service.giveItem(hero.id, "cloth_cap", 2);
        const start = holdings(await load());
        const sword = await service.equipOffline(hero.accountId, hero.id, 0);
        assert.equal(sword.equipment.weapon, "rusty_sword");
        assert.equal(sword.inventory.slots[0], null);
        assert.equal(sword.character.version, 3);
        const cap = await service.equipOffline(hero.accountId, hero.id, 1, "head");
        assert.equal(cap.equipment.head, "cloth_cap");
        assert.deepEqual(cap.inventory.slots[2], { itemId: "cloth_cap", qty: 1 }, "one per slot");
        const off = await service.unequipOffline(hero.accountId, hero.id, "weapon");
        assert.equal(off.equipment.weapon, null);
        const stored = await load();
        assert.deepEqual(stored, off);
        assert.deepEqual(holdings(stored), start);
      });

      it("swaps the worn item back into the slot it came from", async () => {
        await service.giveItem(hero.id, "rusty_sword", 1);
        await service.equipOffline(hero.accountId, hero.id, 0);
        await service.giveItem(hero.id, "iron_breastplate", 1);
        await service.giveItem(hero.id, "linen_robe", 1);
        await db.prisma.character.update({ where: { id: hero.id }, data: { level: 5 } });
        await service.equipOffline(hero.accountId, hero.id, 0, "chest");
        const p = await service.equipOffline(hero.accountId, hero.id, 1, "chest");
        assert.equal(p.equipment.chest, "linen_robe");
        assert.deepEqual(p.inventory.slots[1], { itemId: "iron_breastplate", qty: 1 });
        assert.deepEqual(holdings(p), { rusty_sword: 1, iron_breastplate: 1, linen_robe: 1 });
      });

      it("keeps items conserved when equips on one character race", async () => {
        await service.giveItem(hero.id, "cloth_cap", 1);
        await service.giveItem(hero.id, "leather_gloves", 1);
        await service.giveItem(hero.id, "cloth_trousers", 1);
        const start = holdings(await load());
        await Promise.all(
          [0, 1, 2].map((slot) => service.equipOffline(hero.accountId, hero.id, slot)),
        );
        const p = await load();
        assert.deepEqual(holdings(p), start);
        assert.equal(p.character.version, 6);
        assert.deepEqual(
          [p.equipment.head, p.equipment.hands, p.equipment.legs],
          ["cloth_cap", "leather_gloves", "cloth_trousers"],
        );
      });

      it("refuses with a code for each rule, changing nothing", async () => {
        for (const item of ["wolf_pelt", "azure_dragon_saber", "plain_staff", "cloth_cap"]) {
          await service.giveItem(hero.id, item, 1);
        }
        const before = await load();
        written = [];
        const equipAt = (slot: number, to?: "weapon") =>
          service.equipOffline(hero.accountId, hero.id, slot, to);
        await rejectsWith(equipAt(10), "ITEM_NOT_FOUND");
        await rejectsWith(equipAt(0), "ITEM_NOT_EQUIPPABLE");
        await rejectsWith(equipAt(1), "LEVEL_TOO_LOW");
        await rejectsWith(equipAt(2), "WRONG_JOB");
        await rejectsWith(equipAt(3, "weapon"), "WRONG_SLOT");
        await rejectsWith(equipAt(30), "VALIDATION_FAILED");
        await rejectsWith(
          service.unequipOffline(hero.accountId, hero.id, "head"),
          "ITEM_NOT_FOUND",
        );
        assert.deepEqual(await load(), before);
        assert.deepEqual(written, []);
      });

      it("refuses to unequip or give into a full inventory", async () => {
        await service.giveItem(hero.id, "cloth_cap", 1);
        await service.equipOffline(hero.accountId, hero.id, 0);
        await service.giveItem(hero.id, "wolf_pelt", 30 * 50);
        const full = await load();
        await rejectsWith(
          service.unequipOffline(hero.accountId, hero.id, "head"),
          "INVENTORY_FULL",
        );
        await rejectsWith(service.giveItem(hero.id, "bone_dust", 1), "INVENTORY_FULL");
        await rejectsWith(service.giveItem(hero.id, "no_such_item", 1), "VALIDATION_FAILED");
        assert.deepEqual(await load(), full);
      });

      it("answers CHARACTER_NOT_FOUND for another account's character", async () => {
        await service.giveItem(hero.id, "rusty_sword", 1);
        const stranger = randomUUID();
        await rejectsWith(service.equipOffline(stranger, hero.id, 0), "CHARACTER_NOT_FOUND");
        await rejectsWith(
          service.unequipOffline(stranger, hero.id, "weapon"),
          "CHARACTER_NOT_FOUND",
        );
        await rejectsWith(service.loadOwned(stranger, hero.id), "CHARACTER_NOT_FOUND");
        await rejectsWith(
          service.equipOffline(hero.accountId, randomUUID(), 0),
          "CHARACTER_NOT_FOUND",
        );
        online.add(hero.id);
        await rejectsWith(service.equipOffline(stranger, hero.id, 0), "CHARACTER_NOT_FOUND");
        assert.equal((await service.loadOwned(hero.accountId, hero.id)).character.id, hero.id);
      });

      it("refuses with CHARACTER_ONLINE while the character is in a room", async () => {
        await service.giveItem(hero.id, "rusty_sword", 1);
        const before = await load();
        written = [];
        online.add(hero.id);
        await rejectsWith(service.equipOffline(hero.accountId, hero.id, 0), "CHARACTER_ONLINE");
        await rejectsWith(
          service.unequipOffline(hero.accountId, hero.id, "weapon"),
          "CHARACTER_ONLINE",
        );
        await rejectsWith(service.giveItem(hero.id, "rusty_sword", 1), "CHARACTER_ONLINE");
        assert.deepEqual(await load(), before);
        assert.deepEqual(written, []);
      });

      it("tells the character list cache after each committed write", async () => {
        await service.giveItem(hero.id, "rusty_sword", 1);
        await service.equipOffline(hero.accountId, hero.id, 0);
        await service.unequipOffline(hero.accountId, hero.id, "weapon");
        assert.deepEqual(written, [hero.accountId, hero.accountId, hero.accountId]);
      });

      it("commits even when the cache callback fails", async () => {
        const failing = createProgressionService({
          prisma: db.prisma,
          gameData: data,
          isOnline: async () => false,
          onCharacterWritten: () => Promise.reject(new Error("cache down")),
        });
        const p = await failing.giveItem(hero.id, "rusty_sword", 1);
        assert.deepEqual(await load(), p);
      });
    });
  });
}
