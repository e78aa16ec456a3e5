import assert from "node:assert/strict";
import supertest from "supertest";
import { GUILD_CREATION_FEE_GOLD } from "../../src/game/social/guild-rules.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import {
  bearer,
  newCharacter,
  startSocialApp,
  type SocialTestApp,
  type TestCharacter,
} from "./social-app.ts";

let guildSeq = 0;
/** A unique guild name and tag (letters and digits). */
function guildName() {
  guildSeq += 1;
  const n = `${process.pid % 1000}x${guildSeq}`;
  return { name: `Order ${n}`, tag: `G${guildSeq}`.slice(0, 5) };
}

for (const target of DATABASE_TARGETS) {
  describe(`guilds on ${target.name}`, function () {
    let t: SocialTestApp;

    before(async function () {
      await skipUnlessAvailable(this, target);
      t = await startSocialApp(target);
    });
    after(async () => t?.close());
    beforeEach(() => {
      t.guildChanges.length = 0;
    });

    const post = (path: string, who: TestCharacter, body: object) =>
      supertest(t.app).post(path).set(bearer(who.token)).send(body);
    const create = (who: TestCharacter, name = guildName()) =>
      post("/v1/guilds", who, { characterId: who.id, ...name });
    const act = (guildId: string, action: string, who: TestCharacter, name?: string) =>
      post(`/v1/guilds/${guildId}/${action}`, who, {
        characterId: who.id,
        ...(name === undefined ? {} : { name }),
      });
    const goldOf = async (c: TestCharacter) =>
      (await supertest(t.app).get(`/v1/characters/${c.id}`).set(bearer(c.token)).expect(200)).body
        .gold as number;

    /** A guild led by `leader` with `members` joined (invited by the leader), in order. */
    async function guildWith(leader: TestCharacter, ...members: TestCharacter[]) {
      const guild = (await create(leader).expect(201)).body;
      for (const m of members) {
        await act(guild.id, "invites", leader, m.name).expect(201);
        await act(guild.id, "accept", m).expect(200);
      }
      t.guildChanges.length = 0;
      return guild.id as string;
    }

    const rankOf = async (guildId: string, c: TestCharacter) => {
      const res = await supertest(t.app).get(`/v1/guilds/${guildId}`).set(bearer(c.token));
      return res.body.members.find((m: { characterId: string }) => m.characterId === c.id)?.rank;
    };

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

    describe("invitations", () => {
      it("lets an officer invite; the invitee sees it, accepts, and both are notified", async () => {
        const leader = await newCharacter(t, 500);
        const officer = await newCharacter(t);
        const invitee = await newCharacter(t);
        const id = await guildWith(leader, officer);
        await act(id, "promote", leader, officer.name).expect(200);
        t.guildChanges.length = 0;
        const invite = await act(id, "invites", officer, invitee.name.toLowerCase()).expect(201);
        assert.equal(invite.body.characterId, invitee.id);
        assert.equal(invite.body.guildId, id);
        assert.ok(Date.parse(invite.body.expiresAt) > Date.now());
        const listed = await supertest(t.app)
          .get(`/v1/characters/${invitee.id}/guild-invites`)
          .set(bearer(invitee.token))
          .expect(200);
        assert.deepEqual(listed.body.invites, [invite.body]);
        const joined = await act(id, "accept", invitee).expect(200);
        assert.ok(
          joined.body.members.some((m: { characterId: string }) => m.characterId === invitee.id),
        );
        assert.deepEqual(t.guildChanges, [
          {
            guildId: id,
            change: {
              kind: "invited",
              characterId: invitee.id,
              name: invitee.name,
              by: officer.id,
            },
            alsoNotify: [invitee.id],
          },
          {
            guildId: id,
            change: { kind: "joined", characterId: invitee.id, name: invitee.name },
            alsoNotify: [invitee.id],
          },
        ]);
      });

      it("refuses members inviting, blocked inviters, guild members, and invitations twice", async () => {
        const leader = await newCharacter(t, 500);
        const member = await newCharacter(t);
        const other = await newCharacter(t, 500);
        const blocker = await newCharacter(t);
        const id = await guildWith(leader, member);
        const fresh = await newCharacter(t);
        const byMember = await act(id, "invites", member, fresh.name).expect(403);
        assert.equal(byMember.body.error.code, "NOT_GUILD_OFFICER");
        await post(`/v1/characters/${blocker.id}/blocks`, blocker, { name: leader.name }).expect(
          201,
        );
        const blocked = await act(id, "invites", leader, blocker.name).expect(403);
        assert.equal(blocked.body.error.code, "BLOCKED");
        await guildWith(other);
        const inGuild = await act(id, "invites", leader, other.name).expect(409);
        assert.equal(inGuild.body.error.code, "ALREADY_IN_GUILD");
        await act(id, "invites", leader, fresh.name).expect(201);
        const twice = await act(id, "invites", leader, fresh.name).expect(409);
        assert.equal(twice.body.error.code, "GUILD_ALREADY_INVITED");
        const unknown = await act(id, "invites", leader, "Nobody_here").expect(404);
        assert.equal(unknown.body.error.code, "CHARACTER_NOT_FOUND");
        const self = await act(id, "invites", leader, leader.name).expect(400);
        assert.equal(self.body.error.details[0].path, "name");
        const outsider = await act(id, "invites", fresh, blocker.name).expect(403);
        assert.equal(outsider.body.error.code, "NOT_IN_GUILD");
        const foreign = await post(`/v1/guilds/${id}/invites`, member, {
          characterId: leader.id,
          name: fresh.name,
        }).expect(404);
        assert.equal(foreign.body.error.code, "CHARACTER_NOT_FOUND");
        const noName = await post(`/v1/guilds/${id}/invites`, leader, {
          characterId: leader.id,
        }).expect(400);
        assert.equal(noName.body.error.details[0].path, "name");
      });

      it("accepts only with an open invitation; declining removes it", async () => {
        const leader = await newCharacter(t, 500);
        const invitee = await newCharacter(t);
        const id = await guildWith(leader);
        const none = await act(id, "accept", invitee).expect(404);
        assert.equal(none.body.error.code, "GUILD_INVITE_NOT_FOUND");
        await act(id, "invites", leader, invitee.name).expect(201);
        t.guildChanges.length = 0;
        await act(id, "decline", invitee).expect(204);
        assert.deepEqual(t.guildChanges, [
          {
            guildId: id,
            change: { kind: "declined", characterId: invitee.id, name: invitee.name },
            alsoNotify: [invitee.id],
          },
        ]);
        assert.equal(
          (await act(id, "decline", invitee).expect(404)).body.error.code,
          "GUILD_INVITE_NOT_FOUND",
        );
        assert.equal(
          (await act(id, "accept", invitee).expect(404)).body.error.code,
          "GUILD_INVITE_NOT_FOUND",
        );
        // An expired invitation is no invitation.
        await act(id, "invites", leader, invitee.name).expect(201);
        await t.db.prisma.guildInvite.updateMany({
          where: { guildId: id, characterId: invitee.id },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        await act(id, "accept", invitee).expect(404);
        await act(id, "invites", leader, invitee.name).expect(201); // replaces the expired one
      });

      it("refuses accepting while already in a guild", async () => {
        const a = await newCharacter(t, 500);
        const b = await newCharacter(t, 500);
        const idA = await guildWith(a);
        await guildWith(b);
        await act(idA, "invites", a, b.name).expect(409);
        const joiner = await newCharacter(t, 500);
        await act(idA, "invites", a, joiner.name).expect(201);
        await guildWith(joiner); // founding a guild clears the character's invitations
        assert.equal(
          (await act(idA, "accept", joiner).expect(404)).body.error.code,
          "GUILD_INVITE_NOT_FOUND",
        );
      });
    });

    describe("ranks and kicks", () => {
      it("lets the leader promote, demote and transfer; others are refused", async () => {
        const leader = await newCharacter(t, 500);
        const officer = await newCharacter(t);
        const member = await newCharacter(t);
        const id = await guildWith(leader, officer, member);
        const promoted = await act(id, "promote", leader, officer.name).expect(200);
        assert.equal(
          promoted.body.members.find((m: { characterId: string }) => m.characterId === officer.id)
            .rank,
          "officer",
        );
        assert.deepEqual(t.guildChanges.at(-1), {
          guildId: id,
          change: {
            kind: "rankChanged",
            characterId: officer.id,
            name: officer.name,
            rank: "officer",
            by: leader.id,
          },
          alsoNotify: [],
        });
        assert.equal(
          (await act(id, "promote", leader, officer.name).expect(409)).body.error.code,
          "GUILD_RANK_UNCHANGED",
        );
        assert.equal(
          (await act(id, "promote", officer, member.name).expect(403)).body.error.code,
          "NOT_GUILD_LEADER",
        );
        assert.equal(
          (await act(id, "demote", leader, member.name).expect(409)).body.error.code,
          "GUILD_RANK_UNCHANGED",
        );
        await act(id, "promote", leader, member.name).expect(200);
        await act(id, "demote", leader, member.name).expect(200);
        assert.equal(await rankOf(id, member), "member");
        t.guildChanges.length = 0;
        const transferred = await act(id, "transfer", leader, member.name).expect(200);
        assert.equal(transferred.body.leaderId, member.id);
        assert.equal(await rankOf(id, member), "leader");
        assert.equal(await rankOf(id, leader), "officer");
        assert.deepEqual(t.guildChanges, [
          {
            guildId: id,
            change: { kind: "leaderChanged", from: leader.id, to: member.id, toName: member.name },
            alsoNotify: [],
          },
        ]);
        assert.equal(
          (await act(id, "transfer", leader, officer.name).expect(403)).body.error.code,
          "NOT_GUILD_LEADER",
        );
        const missing = await act(id, "promote", member, "Nobody_here").expect(404);
        assert.equal(missing.body.error.code, "GUILD_MEMBER_NOT_FOUND");
      });

      it("lets officers kick members but not officers or the leader; members kick no one", async () => {
        const leader = await newCharacter(t, 500);
        const officer = await newCharacter(t);
        const officer2 = await newCharacter(t);
        const member = await newCharacter(t);
        const member2 = await newCharacter(t);
        const id = await guildWith(leader, officer, officer2, member, member2);
        await act(id, "promote", leader, officer.name).expect(200);
        await act(id, "promote", leader, officer2.name).expect(200);
        t.guildChanges.length = 0;
        assert.equal(
          (await act(id, "kick", member, member2.name).expect(403)).body.error.code,
          "NOT_GUILD_OFFICER",
        );
        assert.equal(
          (await act(id, "kick", officer, officer2.name).expect(403)).body.error.code,
          "GUILD_RANK_TOO_LOW",
        );
        assert.equal(
          (await act(id, "kick", officer, leader.name).expect(403)).body.error.code,
          "GUILD_RANK_TOO_LOW",
        );
        assert.deepEqual(t.guildChanges, []);
        const kicked = await act(id, "kick", officer, member.name).expect(200);
        assert.ok(
          !kicked.body.members.some((m: { characterId: string }) => m.characterId === member.id),
        );
        assert.deepEqual(t.guildChanges, [
          {
            guildId: id,
            change: { kind: "kicked", characterId: member.id, name: member.name, by: officer.id },
            alsoNotify: [member.id],
          },
        ]);
        await act(id, "kick", leader, officer2.name).expect(200);
        assert.equal(
          (await act(id, "kick", officer, member.name).expect(404)).body.error.code,
          "GUILD_MEMBER_NOT_FOUND",
        );
        await supertest(t.app)
          .get(`/v1/characters/${member.id}/guild`)
          .set(bearer(member.token))
          .expect(404);
      });
    });

    describe("leaving and disbanding", () => {
      it("makes a leader with members transfer first; members leave; the last one disbands", async () => {
        const leader = await newCharacter(t, 500);
        const member = await newCharacter(t);
        const id = await guildWith(leader, member);
        const stuck = await act(id, "leave", leader).expect(409);
        assert.equal(stuck.body.error.code, "GUILD_LEADER_MUST_TRANSFER");
        await act(id, "leave", member).expect(204);
        assert.deepEqual(t.guildChanges, [
          {
            guildId: id,
            change: { kind: "left", characterId: member.id, name: member.name },
            alsoNotify: [member.id],
          },
        ]);
        assert.equal((await act(id, "leave", member).expect(403)).body.error.code, "NOT_IN_GUILD");
        await act(id, "leave", leader).expect(204);
        assert.deepEqual(t.guildChanges.at(-1), {
          guildId: id,
          change: { kind: "disbanded", by: leader.id },
          alsoNotify: [leader.id],
        });
        await supertest(t.app).get(`/v1/guilds/${id}`).set(bearer(leader.token)).expect(404);
      });

      it("lets only the leader disband, by body or query, and tells every former member", async () => {
        const leader = await newCharacter(t, 500);
        const officer = await newCharacter(t);
        const member = await newCharacter(t);
        const id = await guildWith(leader, officer, member);
        await act(id, "promote", leader, officer.name).expect(200);
        t.guildChanges.length = 0;
        const byOfficer = await supertest(t.app)
          .delete(`/v1/guilds/${id}?characterId=${officer.id}`)
          .set(bearer(officer.token))
          .expect(403);
        assert.equal(byOfficer.body.error.code, "NOT_GUILD_LEADER");
        const noActor = await supertest(t.app)
          .delete(`/v1/guilds/${id}`)
          .set(bearer(leader.token))
          .expect(400);
        assert.equal(noActor.body.error.details[0].path, "characterId");
        await supertest(t.app)
          .delete(`/v1/guilds/${id}`)
          .send({ characterId: leader.id })
          .expect(401);
        await supertest(t.app)
          .delete(`/v1/guilds/${id}`)
          .set(bearer(leader.token))
          .send({ characterId: leader.id })
          .expect(204);
        assert.equal(t.guildChanges.length, 1);
        assert.deepEqual(t.guildChanges[0]!.change, { kind: "disbanded", by: leader.id });
        assert.deepEqual(
          [...t.guildChanges[0]!.alsoNotify].sort(),
          [leader.id, officer.id, member.id].sort(),
        );
        await supertest(t.app).get(`/v1/guilds/${id}`).set(bearer(leader.token)).expect(404);
        // The name is free again.
        const second = await guildWith(leader);
        await supertest(t.app)
          .delete(`/v1/guilds/${second}?characterId=${leader.id}`)
          .set(bearer(leader.token))
          .expect(204);
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
