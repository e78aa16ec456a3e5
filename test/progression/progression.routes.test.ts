import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Express } from "express";
import supertest from "supertest";
import type { Cache } from "../../src/cache/cache.ts";
import { characterListKey } from "../../src/characters/characters.service.ts";
import type { Database } from "../../src/db/database.ts";
import type { ProgressionService } from "../../src/progression/progression.service.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";
import { registerAccount } from "../helpers/http-app.ts";
import { createProgressionTestApp } from "./app.ts";

let names = 0;

for (const target of DATABASE_TARGETS) {
  describe(`progression routes on ${target.name}`, function () {
    let db: Database;
    let close: () => Promise<void>;
    let app: Express;
    let progression: ProgressionService;
    let cache: Cache;
    let online: Set<string>;
    let owner: { accountId: string; auth: { Authorization: string } };
    let stranger: { Authorization: string };
    let id: string;

    before(async function () {
      await skipUnlessAvailable(this, target);
      ({ db, close } = await openTestDatabase(target));
      online = new Set();
      ({ app, progression, cache } = await createProgressionTestApp(db, { online }));
    });
    after(async () => close?.());

    beforeEach(async () => {
      online.clear();
      const account = await registerAccount(app);
      owner = {
        accountId: account.accountId,
        auth: { Authorization: `Bearer ${account.accessToken}` },
      };
      stranger = { Authorization: `Bearer ${(await registerAccount(app)).accessToken}` };
      names += 1;
      const created = await supertest(app)
        .post("/v1/characters")
        .set(owner.auth)
        .send({ name: `Route${names}_${process.pid % 1000}`, race: "human", job: "warrior" })
        .expect(201);
      id = created.body.id;
    });

    const get = (path: string, auth = owner.auth) =>
      supertest(app).get(`/v1/characters/${id}/${path}`).set(auth);
    const post = (path: string, body: object, auth = owner.auth) =>
      supertest(app).post(`/v1/characters/${id}/${path}`).set(auth).send(body);

    it("shows a new level-1 human warrior's stats, contributions and caps", async () => {
      const res = await get("stats").expect(200);
      assert.equal(res.body.characterId, id);
      assert.equal(res.body.realm, "mortal");
      assert.equal(res.body.snapshot.Derived.hp_max, 271);
      assert.equal(res.body.snapshot.Derived.attack_power, 49);
      assert.equal(res.body.snapshot.Primary.strength, 18);
      const systems = new Set(res.body.contributions.map((c: { system: string }) => c.system));
      assert.deepEqual([...systems].sort(), ["base", "job", "race"]);
      assert.ok(res.body.caps.some((c: { dimension: string }) => c.dimension === "strength"));
    });

    it("equips an item from the inventory and the stats show it", async () => {
      await progression.giveItem(id, "rusty_sword", 1);
      const inv = await get("inventory").expect(200);
      assert.deepEqual(inv.body.items, [{ slot: 0, itemId: "rusty_sword", quantity: 1 }]);
      assert.equal(inv.body.size, 30);
      assert.equal(inv.body.equipment.weapon, null);

      const equipped = await post("equip", { fromSlot: 0 }).expect(200);
      assert.deepEqual(equipped.body.items, []);
      assert.equal(equipped.body.equipment.weapon, "rusty_sword");
      assert.deepEqual((await get("inventory").expect(200)).body, equipped.body);
      const stats = await get("stats").expect(200);
      assert.equal(stats.body.snapshot.Derived.attack_power, 57);

      const off = await post("unequip", { slot: "weapon" }).expect(200);
      assert.deepEqual(off.body.items, [{ slot: 0, itemId: "rusty_sword", quantity: 1 }]);
      assert.equal((await get("stats").expect(200)).body.snapshot.Derived.attack_power, 49);
    });

    it("shows the quest log with each objective's requirement", async () => {
      assert.deepEqual((await get("quests").expect(200)).body, {
        characterId: id,
        active: [],
        completed: [],
      });
      const p = await progression.load(id);
      assert.ok(p);
      await progression.save({
        ...p,
        quests: {
          active: [{ questId: "wolves_in_the_hills", progress: [1, 0], status: "active" }],
          completed: ["dew_on_the_meadow"],
        },
      });
      const res = await get("quests").expect(200);
      assert.equal(res.body.active[0].questId, "wolves_in_the_hills");
      assert.deepEqual(res.body.active[0].progress, [1, 0]);
      assert.equal(res.body.active[0].required.length, 2);
      assert.deepEqual(res.body.completed, ["dew_on_the_meadow"]);
    });

    it("answers refusals with their codes", async () => {
      await progression.giveItem(id, "plain_staff", 1);
      await progression.giveItem(id, "cloth_cap", 1);
      const wrongJob = await post("equip", { fromSlot: 0 }).expect(409);
      assert.equal(wrongJob.body.error.code, "WRONG_JOB");
      const wrongSlot = await post("equip", { fromSlot: 1, toSlot: "weapon" }).expect(409);
      assert.equal(wrongSlot.body.error.code, "WRONG_SLOT");
      const empty = await post("equip", { fromSlot: 7 }).expect(404);
      assert.equal(empty.body.error.code, "ITEM_NOT_FOUND");
      const bare = await post("unequip", { slot: "amulet" }).expect(404);
      assert.equal(bare.body.error.code, "ITEM_NOT_FOUND");
      online.add(id);
      const inRoom = await post("equip", { fromSlot: 1 }).expect(409);
      assert.equal(inRoom.body.error.code, "CHARACTER_ONLINE");
      const items = (await get("inventory").expect(200)).body.items;
      assert.equal(items.length, 2, "nothing moved");
    });

    it("validates bodies strictly", async () => {
      for (const body of [
        {},
        { fromSlot: -1 },
        { fromSlot: 1.5 },
        { fromSlot: "0" },
        { fromSlot: 0, toSlot: "tail" },
        { fromSlot: 0, extra: true },
      ]) {
        const res = await post("equip", body).expect(400);
        assert.equal(res.body.error.code, "VALIDATION_FAILED", JSON.stringify(body));
      }
      await post("unequip", { slot: "weapon", more: 1 }).expect(400);
      await post("unequip", {}).expect(400);
    });

    it("answers 404 CHARACTER_NOT_FOUND for another account's character, without its data", async () => {
      await progression.giveItem(id, "rusty_sword", 1);
      const before = await progression.load(id);
      for (const res of [
        await get("stats", stranger),
        await get("inventory", stranger),
        await get("quests", stranger),
        await post("equip", { fromSlot: 0 }, stranger),
        await post("unequip", { slot: "weapon" }, stranger),
      ]) {
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, {
          error: { code: "CHARACTER_NOT_FOUND", message: "Character not found." },
        });
      }
      online.add(id);
      const res = await post("equip", { fromSlot: 0 }, stranger).expect(404);
      assert.equal(res.body.error.code, "CHARACTER_NOT_FOUND", "online status is not leaked");
      assert.deepEqual(await progression.load(id), before);
      await supertest(app).get(`/v1/characters/${randomUUID()}/stats`).set(owner.auth).expect(404);
      await supertest(app).get(`/v1/characters/not-a-uuid/inventory`).set(owner.auth).expect(404);
    });

    it("requires a token", async () => {
      await supertest(app).get(`/v1/characters/${id}/stats`).expect(401);
      await supertest(app).post(`/v1/characters/${id}/equip`).send({ fromSlot: 0 }).expect(401);
    });

    it("drops the account's cached character list after an equip", async () => {
      await progression.giveItem(id, "rusty_sword", 1);
      await supertest(app).get("/v1/characters").set(owner.auth).expect(200);
      assert.ok(await cache.get(characterListKey(owner.accountId)), "list is cached");
      await post("equip", { fromSlot: 0 }).expect(200);
      assert.equal(await cache.get(characterListKey(owner.accountId)), undefined);
    });
  });
}
