import assert from "node:assert/strict";
import supertest from "supertest";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import {
  bearer,
  newCharacter,
  startSocialApp,
  type SocialTestApp,
  type TestCharacter,
} from "./social-app.ts";

for (const target of DATABASE_TARGETS) {
  describe(`friends and blocks on ${target.name}`, function () {
    let t: SocialTestApp;
    let me: TestCharacter;
    let bob: TestCharacter;
    let eve: TestCharacter;

    before(async function () {
      await skipUnlessAvailable(this, target);
      t = await startSocialApp(target);
    });
    after(async () => t?.close());
    beforeEach(async () => {
      [me, bob, eve] = await Promise.all([newCharacter(t), newCharacter(t), newCharacter(t)]);
      t.blocksChanged.length = 0;
    });

    const friendsOf = (c: TestCharacter) => `/v1/characters/${c.id}/friends`;
    const blocksOf = (c: TestCharacter) => `/v1/characters/${c.id}/blocks`;
    const addFriend = (c: TestCharacter, name: string) =>
      supertest(t.app).post(friendsOf(c)).set(bearer(c.token)).send({ name });
    const block = (c: TestCharacter, name: string) =>
      supertest(t.app).post(blocksOf(c)).set(bearer(c.token)).send({ name });

    it("answers 401 on every route when no token is sent", async () => {
      await supertest(t.app).get(friendsOf(me)).expect(401);
      await supertest(t.app).post(friendsOf(me)).send({ name: bob.name }).expect(401);
      await supertest(t.app)
        .delete(`${friendsOf(me)}/${bob.name}`)
        .expect(401);
      await supertest(t.app).get(blocksOf(me)).expect(401);
      await supertest(t.app).post(blocksOf(me)).send({ name: bob.name }).expect(401);
      await supertest(t.app)
        .delete(`${blocksOf(me)}/${bob.name}`)
        .expect(401);
    });

    it("answers 404 CHARACTER_NOT_FOUND for another account's character", async () => {
      const asEve = bearer(eve.token);
      for (const res of [
        await supertest(t.app).get(friendsOf(me)).set(asEve),
        await supertest(t.app).post(friendsOf(me)).set(asEve).send({ name: bob.name }),
        await supertest(t.app)
          .delete(`${friendsOf(me)}/${bob.name}`)
          .set(asEve),
        await supertest(t.app).get(blocksOf(me)).set(asEve),
        await supertest(t.app).post(blocksOf(me)).set(asEve).send({ name: bob.name }),
        await supertest(t.app)
          .delete(`${blocksOf(me)}/${bob.name}`)
          .set(asEve),
        await supertest(t.app).get("/v1/characters/not-a-uuid/friends").set(asEve),
      ]) {
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, "CHARACTER_NOT_FOUND");
      }
      const list = await supertest(t.app).get(friendsOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(list.body, { friends: [] });
    });

    it("adds a friend by name in any case and lists level and online state", async () => {
      const added = await addFriend(me, bob.name.toLowerCase()).expect(201);
      assert.deepEqual(added.body, {
        characterId: bob.id,
        name: bob.name,
        level: 1,
        online: false,
      });
      await addFriend(me, eve.name).expect(201);
      t.online.set(bob.id, { zone: "meadow" });
      const res = await supertest(t.app).get(friendsOf(me)).set(bearer(me.token)).expect(200);
      const byName = [
        { characterId: bob.id, name: bob.name, level: 1, online: true, zone: "meadow" },
        { characterId: eve.id, name: eve.name, level: 1, online: false },
      ].sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(res.body.friends, byName);
      // One-directional: Bob's list does not gain Me.
      const bobs = await supertest(t.app).get(friendsOf(bob)).set(bearer(bob.token)).expect(200);
      assert.deepEqual(bobs.body.friends, []);
    });

    it("refuses adding oneself (400), an unknown name (404) and a friend twice (409)", async () => {
      const self = await addFriend(me, me.name).expect(400);
      assert.equal(self.body.error.details[0].path, "name");
      const unknown = await addFriend(me, "Nobody_here").expect(404);
      assert.equal(unknown.body.error.code, "CHARACTER_NOT_FOUND");
      await addFriend(me, bob.name).expect(201);
      const twice = await addFriend(me, bob.name.toUpperCase()).expect(409);
      assert.equal(twice.body.error.code, "ALREADY_FRIENDS");
    });

    it("names the field when the body is invalid", async () => {
      for (const body of [{}, { name: "a b" }, { name: "ab" }, { name: 42 }]) {
        const res = await supertest(t.app)
          .post(friendsOf(me))
          .set(bearer(me.token))
          .send(body)
          .expect(400);
        assert.equal(res.body.error.details[0].path, "name", JSON.stringify(body));
      }
      const extra = await supertest(t.app)
        .post(blocksOf(me))
        .set(bearer(me.token))
        .send({ name: bob.name, note: "x" })
        .expect(400);
      assert.equal(extra.body.error.code, "VALIDATION_FAILED");
    });

    it("removes a friend, then answers 404 FRIEND_NOT_FOUND", async () => {
      await addFriend(me, bob.name).expect(201);
      await supertest(t.app)
        .delete(`${friendsOf(me)}/${bob.name}`)
        .set(bearer(me.token))
        .expect(204);
      const again = await supertest(t.app)
        .delete(`${friendsOf(me)}/${bob.name}`)
        .set(bearer(me.token))
        .expect(404);
      assert.equal(again.body.error.code, "FRIEND_NOT_FOUND");
      const list = await supertest(t.app).get(friendsOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(list.body.friends, []);
    });

    it("blocks a character, removing them from the friend list, and notifies", async () => {
      await addFriend(me, bob.name).expect(201);
      const res = await block(me, bob.name).expect(201);
      assert.deepEqual(res.body, { characterId: bob.id, name: bob.name });
      assert.deepEqual(t.blocksChanged, [me.id]);
      const friends = await supertest(t.app).get(friendsOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(friends.body.friends, []);
      const blocks = await supertest(t.app).get(blocksOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(blocks.body, { blocks: [{ characterId: bob.id, name: bob.name }] });
      assert.equal((await block(me, bob.name).expect(409)).body.error.code, "ALREADY_BLOCKED");
      assert.equal((await block(me, me.name).expect(400)).body.error.details[0].path, "name");
      assert.equal(
        (await block(me, "Nobody_here").expect(404)).body.error.code,
        "CHARACTER_NOT_FOUND",
      );
    });

    it("unblocks, then answers 404 BLOCK_NOT_FOUND", async () => {
      await block(me, bob.name).expect(201);
      await supertest(t.app)
        .delete(`${blocksOf(me)}/${bob.name}`)
        .set(bearer(me.token))
        .expect(204);
      assert.deepEqual(t.blocksChanged, [me.id, me.id]);
      const again = await supertest(t.app)
        .delete(`${blocksOf(me)}/${bob.name}`)
        .set(bearer(me.token))
        .expect(404);
      assert.equal(again.body.error.code, "BLOCK_NOT_FOUND");
    });

    it("unblocks a character who is added as a friend", async () => {
      await block(me, bob.name).expect(201);
      await addFriend(me, bob.name).expect(201);
      assert.deepEqual(t.blocksChanged, [me.id, me.id]);
      const blocks = await supertest(t.app).get(blocksOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(blocks.body.blocks, []);
    });

    it("answers block checks for rooms, one-directional, fresh after every change here", async () => {
      const { blocks } = t.social;
      assert.equal(await blocks.isBlocked(me.id, bob.id), false);
      assert.deepEqual([...(await blocks.blockedIdsOf(me.id))], []);
      await block(me, bob.name).expect(201);
      assert.equal(await blocks.isBlocked(me.id, bob.id), true);
      assert.equal(await blocks.isBlocked(bob.id, me.id), false);
      await block(me, eve.name).expect(201);
      assert.deepEqual([...(await blocks.blockedIdsOf(me.id))].sort(), [bob.id, eve.id].sort());
      await supertest(t.app)
        .delete(`${blocksOf(me)}/${bob.name}`)
        .set(bearer(me.token))
        .expect(204);
      assert.equal(await blocks.isBlocked(me.id, bob.id), false);
    });

    it("serves block lists from memory until forgotten (a change on another process)", async () => {
      const { blocks } = t.social;
      assert.equal(await blocks.isBlocked(me.id, bob.id), false);
      // Written behind the service's back, as another process would.
      await t.db.prisma.block.create({ data: { ownerId: me.id, blockedId: bob.id } });
      assert.equal(await blocks.isBlocked(me.id, bob.id), false);
      blocks.forget(me.id);
      assert.equal(await blocks.isBlocked(me.id, bob.id), true);
    });

    it("finds characters by name in any case for the realtime side", async () => {
      assert.deepEqual(await t.social.characters.byName(bob.name.toUpperCase()), {
        id: bob.id,
        name: bob.name,
        accountId: bob.accountId,
        level: 1,
      });
      assert.equal(await t.social.characters.byName("Nobody_here"), null);
    });

    it("drops list entries when a character is deleted", async () => {
      await addFriend(me, bob.name).expect(201);
      await block(me, eve.name).expect(201);
      await supertest(t.app).delete(`/v1/characters/${bob.id}`).set(bearer(bob.token)).expect(204);
      await supertest(t.app).delete(`/v1/characters/${eve.id}`).set(bearer(eve.token)).expect(204);
      const friends = await supertest(t.app).get(friendsOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(friends.body.friends, []);
      const blocks = await supertest(t.app).get(blocksOf(me)).set(bearer(me.token)).expect(200);
      assert.deepEqual(blocks.body.blocks, []);
    });
  });
}
