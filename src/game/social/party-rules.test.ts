import { strict as assert } from "node:assert";
import {
  acceptPartyInvite,
  createParty,
  declinePartyInvite,
  inviteToParty,
  isPartyGraceOver,
  kickFromParty,
  leaveParty,
  PARTY_INVITE_TTL_MS,
  PARTY_MAX_MEMBERS,
  PartyRefusal,
  promotePartyLeader,
  pruneExpiredInvites,
  type Party,
  type PartyResult,
} from "./party-rules.ts";

const member = (id: string) => ({ characterId: id, name: `N${id}` });

function must(r: PartyResult): Party {
  assert.ok(r.ok, r.ok ? "" : r.code);
  return r.party;
}

/** A party led by "a" with members a, then each of `others` in order. */
function partyOf(...others: string[]): Party {
  let party = createParty("p1", member("a"));
  for (const id of others) {
    party = must(inviteToParty(party, "a", id, false, 0));
    party = must(acceptPartyInvite(party, member(id), false, 0));
  }
  return party;
}

describe("party rules", () => {
  it("lets the leader invite and the invited character join last", () => {
    let party = createParty("p1", member("a"));
    party = must(inviteToParty(party, "a", "b", false, 1000));
    assert.deepEqual(party.invites, [
      { characterId: "b", expiresAtMs: 1000 + PARTY_INVITE_TTL_MS },
    ]);
    party = must(acceptPartyInvite(party, member("b"), false, 2000));
    assert.deepEqual(
      party.members.map((m) => m.characterId),
      ["a", "b"],
    );
    assert.deepEqual(party.invites, []);
    assert.equal(party.leader, "a");
  });

  it("refuses invitations from members who do not lead, and from outsiders", () => {
    const party = partyOf("b");
    assert.deepEqual(inviteToParty(party, "b", "c", false, 0), {
      ok: false,
      code: PartyRefusal.NOT_PARTY_LEADER,
    });
    assert.deepEqual(inviteToParty(party, "z", "c", false, 0), {
      ok: false,
      code: PartyRefusal.NOT_IN_PARTY,
    });
  });

  it("refuses inviting oneself, a member, someone in a party, or twice while open", () => {
    let party = partyOf("b");
    const code = (r: PartyResult) => (r.ok ? "ok" : r.code);
    assert.equal(code(inviteToParty(party, "a", "a", false, 0)), PartyRefusal.CANNOT_TARGET_SELF);
    assert.equal(code(inviteToParty(party, "a", "b", false, 0)), PartyRefusal.ALREADY_IN_PARTY);
    assert.equal(code(inviteToParty(party, "a", "c", true, 0)), PartyRefusal.ALREADY_IN_PARTY);
    party = must(inviteToParty(party, "a", "c", false, 0));
    assert.equal(code(inviteToParty(party, "a", "c", false, 10)), PartyRefusal.ALREADY_INVITED);
    // Once expired, a fresh invitation replaces the old one.
    party = must(inviteToParty(party, "a", "c", false, PARTY_INVITE_TTL_MS));
    assert.equal(party.invites.length, 1);
  });

  it("holds at most five members", () => {
    const full = partyOf("b", "c", "d", "e");
    assert.equal(full.members.length, PARTY_MAX_MEMBERS);
    assert.deepEqual(inviteToParty(full, "a", "f", false, 0), {
      ok: false,
      code: PartyRefusal.PARTY_FULL,
    });
    // Invited while there was room; the party filled up before the answer.
    let party = partyOf("b", "c", "d");
    party = must(inviteToParty(party, "a", "e", false, 0));
    party = must(inviteToParty(party, "a", "f", false, 0));
    party = must(acceptPartyInvite(party, member("e"), false, 0));
    assert.deepEqual(acceptPartyInvite(party, member("f"), false, 0), {
      ok: false,
      code: PartyRefusal.PARTY_FULL,
    });
  });

  it("accepts only a live invitation of someone not in a party", () => {
    let party = must(inviteToParty(createParty("p1", member("a")), "a", "b", false, 0));
    assert.deepEqual(acceptPartyInvite(party, member("c"), false, 0), {
      ok: false,
      code: PartyRefusal.NO_PARTY_INVITE,
    });
    assert.deepEqual(acceptPartyInvite(party, member("b"), false, PARTY_INVITE_TTL_MS), {
      ok: false,
      code: PartyRefusal.NO_PARTY_INVITE,
    });
    assert.deepEqual(acceptPartyInvite(party, member("b"), true, 0), {
      ok: false,
      code: PartyRefusal.ALREADY_IN_PARTY,
    });
    party = must(declinePartyInvite(party, "b", 0));
    assert.deepEqual(party.invites, []);
    assert.equal(declinePartyInvite(party, "b", 0).ok, false);
  });

  it("hands the lead to the next member by join order when the leader leaves", () => {
    const party = partyOf("b", "c");
    const r = leaveParty(party, "a");
    assert.ok(r.ok && r.party);
    assert.equal(r.party.leader, "b");
    assert.deepEqual(
      r.party.members.map((m) => m.characterId),
      ["b", "c"],
    );
    const notLeader = leaveParty(party, "b");
    assert.ok(notLeader.ok && notLeader.party?.leader === "a");
  });

  it("is gone when its last member leaves", () => {
    assert.deepEqual(leaveParty(createParty("p1", member("a")), "a"), { ok: true, party: null });
    assert.deepEqual(leaveParty(createParty("p1", member("a")), "b"), {
      ok: false,
      code: PartyRefusal.NOT_IN_PARTY,
    });
  });

  it("lets only the leader kick and promote another member", () => {
    const party = partyOf("b", "c");
    const kicked = must(kickFromParty(party, "a", "c"));
    assert.deepEqual(
      kicked.members.map((m) => m.characterId),
      ["a", "b"],
    );
    const code = (r: PartyResult) => (r.ok ? "ok" : r.code);
    assert.equal(code(kickFromParty(party, "b", "c")), PartyRefusal.NOT_PARTY_LEADER);
    assert.equal(code(kickFromParty(party, "a", "a")), PartyRefusal.CANNOT_TARGET_SELF);
    assert.equal(code(kickFromParty(party, "a", "z")), PartyRefusal.NOT_A_MEMBER);
    const promoted = must(promotePartyLeader(party, "a", "c"));
    assert.equal(promoted.leader, "c");
    assert.deepEqual(promoted.members, party.members);
    assert.equal(code(promotePartyLeader(promoted, "a", "b")), PartyRefusal.NOT_PARTY_LEADER);
  });

  it("prunes expired invitations and times the disconnect grace", () => {
    let party = must(inviteToParty(createParty("p1", member("a")), "a", "b", false, 0));
    assert.equal(pruneExpiredInvites(party, 10), party);
    party = pruneExpiredInvites(party, PARTY_INVITE_TTL_MS);
    assert.deepEqual(party.invites, []);
    assert.equal(isPartyGraceOver(1000, 60_999), false);
    assert.equal(isPartyGraceOver(1000, 61_000), true);
  });
});
