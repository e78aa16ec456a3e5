import { strict as assert } from "node:assert";
import {
  checkGuildDisband,
  checkGuildInvite,
  checkGuildKick,
  checkGuildLeave,
  demoteGuildMember,
  GuildRefusal,
  promoteGuildMember,
  transferGuildLeadership,
  validateGuildName,
  validateGuildTag,
  type GuildActor,
} from "./guild-rules.ts";

const leader: GuildActor = { characterId: "L", rank: "leader" };
const officer: GuildActor = { characterId: "O", rank: "officer" };
const officer2: GuildActor = { characterId: "O2", rank: "officer" };
const member: GuildActor = { characterId: "M", rank: "member" };
const member2: GuildActor = { characterId: "M2", rank: "member" };
const code = (r: { ok: boolean; code?: string }) => (r.ok ? "ok" : r.code);

describe("guild permissions", () => {
  it("lets the leader and officers invite, not members or outsiders", () => {
    assert.equal(code(checkGuildInvite(leader)), "ok");
    assert.equal(code(checkGuildInvite(officer)), "ok");
    assert.equal(code(checkGuildInvite(member)), GuildRefusal.NOT_GUILD_OFFICER);
    assert.equal(code(checkGuildInvite(null)), GuildRefusal.NOT_IN_GUILD);
  });

  it("lets officers kick members only, and the leader kick anyone else", () => {
    assert.equal(code(checkGuildKick(officer, member)), "ok");
    assert.equal(code(checkGuildKick(officer, officer2)), GuildRefusal.GUILD_RANK_TOO_LOW);
    assert.equal(code(checkGuildKick(officer, leader)), GuildRefusal.GUILD_RANK_TOO_LOW);
    assert.equal(code(checkGuildKick(leader, officer)), "ok");
    assert.equal(code(checkGuildKick(leader, member)), "ok");
    assert.equal(code(checkGuildKick(member, member2)), GuildRefusal.NOT_GUILD_OFFICER);
    assert.equal(code(checkGuildKick(leader, leader)), GuildRefusal.CANNOT_TARGET_SELF);
    assert.equal(code(checkGuildKick(leader, null)), GuildRefusal.GUILD_MEMBER_NOT_FOUND);
    assert.equal(code(checkGuildKick(null, member)), GuildRefusal.NOT_IN_GUILD);
  });

  it("lets only the leader promote members and demote officers", () => {
    assert.deepEqual(promoteGuildMember(leader, member), {
      ok: true,
      changes: [{ characterId: "M", rank: "officer" }],
    });
    assert.deepEqual(demoteGuildMember(leader, officer), {
      ok: true,
      changes: [{ characterId: "O", rank: "member" }],
    });
    assert.equal(code(promoteGuildMember(leader, officer)), GuildRefusal.GUILD_RANK_UNCHANGED);
    assert.equal(code(demoteGuildMember(leader, member)), GuildRefusal.GUILD_RANK_UNCHANGED);
    assert.equal(code(promoteGuildMember(officer, member)), GuildRefusal.NOT_GUILD_LEADER);
    assert.equal(code(demoteGuildMember(officer, officer2)), GuildRefusal.NOT_GUILD_LEADER);
    assert.equal(code(promoteGuildMember(leader, leader)), GuildRefusal.CANNOT_TARGET_SELF);
    assert.equal(code(promoteGuildMember(leader, null)), GuildRefusal.GUILD_MEMBER_NOT_FOUND);
  });

  it("transfers leadership to any member and makes the old leader an officer", () => {
    assert.deepEqual(transferGuildLeadership(leader, member), {
      ok: true,
      changes: [
        { characterId: "L", rank: "officer" },
        { characterId: "M", rank: "leader" },
      ],
    });
    assert.equal(code(transferGuildLeadership(officer, member)), GuildRefusal.NOT_GUILD_LEADER);
    assert.equal(code(transferGuildLeadership(leader, leader)), GuildRefusal.CANNOT_TARGET_SELF);
  });

  it("lets only the leader disband", () => {
    assert.equal(code(checkGuildDisband(leader)), "ok");
    assert.equal(code(checkGuildDisband(officer)), GuildRefusal.NOT_GUILD_LEADER);
    assert.equal(code(checkGuildDisband(null)), GuildRefusal.NOT_IN_GUILD);
  });

  it("makes a leader with members transfer first; a last leader's leaving disbands", () => {
    assert.deepEqual(checkGuildLeave(member, 5), { ok: true, disbands: false });
    assert.deepEqual(checkGuildLeave(officer, 2), { ok: true, disbands: false });
    assert.equal(code(checkGuildLeave(leader, 2)), GuildRefusal.GUILD_LEADER_MUST_TRANSFER);
    assert.deepEqual(checkGuildLeave(leader, 1), { ok: true, disbands: true });
    assert.equal(code(checkGuildLeave(null, 3)), GuildRefusal.NOT_IN_GUILD);
  });
});

describe("guild names and tags", () => {
  it("accepts 3-24 letters, digits and single spaces, keyed case-insensitively", () => {
    assert.deepEqual(validateGuildName("  Knights  of   Ni "), {
      ok: true,
      name: "Knights of Ni",
      key: "knights of ni",
    });
    assert.equal(validateGuildName("abc").ok, true);
    assert.equal(validateGuildName("x".repeat(24)).ok, true);
  });

  it("refuses short, long, punctuated, non-ASCII and non-string names", () => {
    for (const bad of ["ab", "x".repeat(25), "Knights!", "Émile", "a_b_c", "tab\there", 7, null]) {
      assert.equal(validateGuildName(bad).ok, false, String(bad));
    }
  });

  it("accepts 2-5 letters or digits as a tag", () => {
    assert.deepEqual(validateGuildTag("KoN"), { ok: true, name: "KoN", key: "kon" });
    assert.equal(validateGuildTag("ab").ok, true);
    assert.equal(validateGuildTag("ABCDE").ok, true);
    for (const bad of ["a", "ABCDEF", "a b", "a-b", "", 3]) {
      assert.equal(validateGuildTag(bad).ok, false, String(bad));
    }
  });
});
