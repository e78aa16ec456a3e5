import assert from "node:assert/strict";
import supertest from "supertest";
import { GUILD_CREATION_FEE_GOLD } from "../../src/game/social/guild-rules.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import { guildKit, guildName } from "./guild-kit.ts";
import { bearer, newCharacter, startSocialApp, type SocialTestApp } from "./social-app.ts";

for (const target of DATABASE_TARGETS) {
  describe(`guilds on ${target.name}`, function () {
    let t: SocialTestApp;
    const { post, create, goldOf, guildWith } = guildKit(() => t);

    before(async function () {
      await skipUnlessAvailable(this, target);
      t = await startSocialApp(target);
    });
    after(async () => t?.close());
    beforeEach(() => {
      t.guildChanges.length = 0;
    });

    describe("creation", () => {
      it("founds a guild, takes the fee and bumps the version, and notifies the founder", async () => {
        const founder = await newCharacter(t, 250);
        const before = await t.db.prisma.character.findUnique({ where: { id: founder.id } });
        const names = guildName();
        const res = await create(founder, names).expect(201);
        assert.equal(res.body.name, names.name);
        assert.equal(res.body.tag, names.tag);
        assert.equal(res.body.leaderId, founder.id);
        assert.deepEqual(
          res.body.members.map((m: { characterId: string; rank: string; online: boolean }) => [
            m.characterId,
            m.rank,
            m.online,
          ]),
          [[founder.id, "leader", false]],
        );
        assert.equal(await goldOf(founder), 250 - GUILD_CREATION_FEE_GOLD);
        const after = await t.db.prisma.character.findUnique({ where: { id: founder.id } });
        assert.equal(after!.version, before!.version + 1);
        assert.deepEqual(t.guildChanges, [
          {
            guildId: res.body.id,
            change: { kind: "created", by: founder.id },
            alsoNotify: [founder.id],
          },
        ]);
      });

      it("refuses with 409 NOT_ENOUGH_GOLD and creates nothing when gold is short", async () => {
        const poor = await newCharacter(t, GUILD_CREATION_FEE_GOLD - 1);
        const names = guildName();
        const res = await create(poor, names).expect(409);
        assert.equal(res.body.error.code, "NOT_ENOUGH_GOLD");
        assert.equal(await goldOf(poor), GUILD_CREATION_FEE_GOLD - 1);
        const search = await supertest(t.app)
          .get(`/v1/guilds?name=${encodeURIComponent(names.name)}`)
          .set(bearer(poor.token))
          .expect(200);
        assert.deepEqual(search.body.guilds, []);
        await supertest(t.app)
          .get(`/v1/characters/${poor.id}/guild`)
          .set(bearer(poor.token))
          .expect(404);
        assert.deepEqual(t.guildChanges, []);
      });

      it("refuses with 409 CHARACTER_ONLINE while the character is in a room", async () => {
        const founder = await newCharacter(t, 500);
        t.locked.add(founder.id);
        try {
          const res = await create(founder).expect(409);
          assert.equal(res.body.error.code, "CHARACTER_ONLINE");
          assert.equal(await goldOf(founder), 500);
        } finally {
          t.locked.delete(founder.id);
        }
      });

      it("refuses taken names and tags in any case, and a second guild (409)", async () => {
        const first = await newCharacter(t, 500);
        const second = await newCharacter(t, 500);
        const names = guildName();
        await create(first, names).expect(201);
        const sameName = await create(second, {
          name: `  ${names.name.toUpperCase()} `,
          tag: "Zz9",
        }).expect(409);
        assert.equal(sameName.body.error.code, "GUILD_NAME_TAKEN");
        const sameTag = await create(second, {
          name: guildName().name,
          tag: names.tag.toLowerCase(),
        }).expect(409);
        assert.equal(sameTag.body.error.code, "GUILD_TAG_TAKEN");
        const again = await create(first).expect(409);
        assert.equal(again.body.error.code, "ALREADY_IN_GUILD");
        assert.equal(await goldOf(first), 500 - GUILD_CREATION_FEE_GOLD);
        assert.equal(await goldOf(second), 500);
      });

      it("answers 400 naming the field, 401 without token, 404 for another's character", async () => {
        const me = await newCharacter(t, 500);
        const other = await newCharacter(t, 500);
        const cases: [object, string][] = [
          [{ characterId: me.id, name: "ab", tag: "AB" }, "name"],
          [{ characterId: me.id, name: "Bad_Name!", tag: "AB" }, "name"],
          [{ characterId: me.id, name: "Good Name", tag: "A" }, "tag"],
          [{ characterId: me.id, name: "Good Name", tag: "A-B" }, "tag"],
          [{ characterId: "nope", name: "Good Name", tag: "AB" }, "characterId"],
          [{ name: "Good Name", tag: "AB" }, "characterId"],
        ];
        for (const [body, field] of cases) {
          const res = await post("/v1/guilds", me, body).expect(400);
          assert.equal(res.body.error.details[0].path, field, JSON.stringify(body));
        }
        await supertest(t.app)
          .post("/v1/guilds")
          .send({ characterId: me.id, ...guildName() })
          .expect(401);
        const foreign = await post("/v1/guilds", other, {
          characterId: me.id,
          ...guildName(),
        }).expect(404);
        assert.equal(foreign.body.error.code, "CHARACTER_NOT_FOUND");
        assert.equal(await goldOf(me), 500);
      });
    });

    describe("reading", () => {
      it("shows the roster with ranks and online state, and finds guilds by name prefix", async () => {
        const leader = await newCharacter(t, 500);
        const member = await newCharacter(t);
        const id = await guildWith(leader, member);
        t.online.set(member.id, { zone: "forest" });
        const res = await supertest(t.app)
          .get(`/v1/guilds/${id}`)
          .set(bearer(member.token))
          .expect(200);
        assert.deepEqual(
          res.body.members.map((m: Record<string, unknown>) => [
            m.characterId,
            m.rank,
            m.online,
            m.zone,
          ]),
          [
            [leader.id, "leader", false, undefined],
            [member.id, "member", true, "forest"],
          ],
        );
        const prefix = res.body.name.slice(0, 8).toLowerCase();
        const found = await supertest(t.app)
          .get(`/v1/guilds?name=${encodeURIComponent(prefix)}`)
          .set(bearer(member.token))
          .expect(200);
        assert.ok(
          found.body.guilds.some(
            (g: { id: string; memberCount: number }) => g.id === id && g.memberCount === 2,
          ),
        );
        assert.ok(found.body.guilds.length <= 20);
        const mine = await supertest(t.app)
          .get(`/v1/characters/${member.id}/guild`)
          .set(bearer(member.token))
          .expect(200);
        assert.deepEqual(mine.body, {
          guildId: id,
          name: res.body.name,
          tag: res.body.tag,
          rank: "member",
        });
        assert.deepEqual(await t.social.guilds.membershipOf(member.id), mine.body);
        assert.deepEqual(
          (await t.social.guilds.memberIds(id)).sort(),
          [leader.id, member.id].sort(),
        );
      });

      it("answers 404 for unknown guilds, 401 without token, 400 for a bad search", async () => {
        const me = await newCharacter(t);
        const unknown = await supertest(t.app)
          .get("/v1/guilds/00000000-0000-4000-8000-000000000000")
          .set(bearer(me.token))
          .expect(404);
        assert.equal(unknown.body.error.code, "GUILD_NOT_FOUND");
        await supertest(t.app).get("/v1/guilds/not-a-uuid").set(bearer(me.token)).expect(404);
        await supertest(t.app).get("/v1/guilds?name=x").expect(401);
        const bad = await supertest(t.app)
          .get("/v1/guilds?name=%25")
          .set(bearer(me.token))
          .expect(400);
        assert.equal(bad.body.error.details[0].path, "name");
        await supertest(t.app)
          .get(`/v1/characters/${me.id}/guild`)
          .set(bearer(me.token))
          .expect(404);
        const other = await newCharacter(t);
        const foreign = await supertest(t.app)
          .get(`/v1/characters/${me.id}/guild`)
          .set(bearer(other.token))
          .expect(404);
        assert.equal(foreign.body.error.code, "CHARACTER_NOT_FOUND");
      });
    });

    describe("chat history", () => {
      it("keeps the newest 100 lines, oldest first, for members only", async () => {
        const leader = await newCharacter(t, 500);
        const member = await newCharacter(t);
        const outsider = await newCharacter(t);
        const id = await guildWith(leader, member);
        for (let i = 1; i <= 105; i += 1) {
          const from = i % 2 === 0 ? member : leader;
          const { at } = await t.social.guilds.appendChat(id, from.id, from.name, ` line ${i} `);
          assert.ok(Math.abs(at - Date.now()) < 60_000);
        }
        const res = await supertest(t.app)
          .get(`/v1/guilds/${id}/chat?characterId=${member.id}`)
          .set(bearer(member.token))
          .expect(200);
        assert.equal(res.body.messages.length, 100);
        assert.deepEqual(
          res.body.messages.map((m: { text: string }) => m.text),
          Array.from({ length: 100 }, (_, k) => `line ${k + 6}`),
        );
        assert.deepEqual(res.body.messages.at(-1).fromId, leader.id);
        assert.equal(await t.db.prisma.guildMessage.count({ where: { guildId: id } }), 100);
        const notMember = await supertest(t.app)
          .get(`/v1/guilds/${id}/chat?characterId=${outsider.id}`)
          .set(bearer(outsider.token))
          .expect(403);
        assert.equal(notMember.body.error.code, "NOT_IN_GUILD");
        const noActor = await supertest(t.app)
          .get(`/v1/guilds/${id}/chat`)
          .set(bearer(member.token))
          .expect(400);
        assert.equal(noActor.body.error.details[0].path, "characterId");
        await assert.rejects(t.social.guilds.appendChat(id, outsider.id, outsider.name, "hi"), {
          code: "NOT_IN_GUILD",
        });
        await assert.rejects(t.social.guilds.appendChat(id, leader.id, leader.name, "a\nb"), {
          code: "VALIDATION_FAILED",
        });
      });
    });
  });
}
