import assert from "node:assert/strict";
import supertest from "supertest";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import { guildKit } from "./guild-kit.ts";
import { bearer, newCharacter, startSocialApp, type SocialTestApp } from "./social-app.ts";

for (const target of DATABASE_TARGETS) {
  describe(`guild membership on ${target.name}`, function () {
    let t: SocialTestApp;
    const { post, act, guildWith, rankOf } = guildKit(() => t);

    before(async function () {
      await skipUnlessAvailable(this, target);
      t = await startSocialApp(target);
    });
    after(async () => t?.close());
    beforeEach(() => {
      t.guildChanges.length = 0;
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
  });
}
