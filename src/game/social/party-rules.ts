/** Most members a party holds, leader included. */
export const PARTY_MAX_MEMBERS = 5;
/** How long an invitation stays open. */
export const PARTY_INVITE_TTL_MS = 60_000;
/**
 * How long a disconnected member keeps their place before the caller makes them leave: the
 * caller stores the disconnect time and calls `leaveParty` once `isPartyGraceOver` holds.
 */
export const PARTY_DISCONNECT_GRACE_MS = 60_000;

export type PartyMember = { readonly characterId: string; readonly name: string };
export type PartyInvite = { readonly characterId: string; readonly expiresAtMs: number };

/** A party: `members` in join order (the leader is one of them); open invitations. */
export type Party = {
  readonly id: string;
  readonly leader: string;
  readonly members: readonly PartyMember[];
  readonly invites: readonly PartyInvite[];
};

export const PartyRefusal = {
  /** The acting character is not a member of this party. */
  NOT_IN_PARTY: "NOT_IN_PARTY",
  /** Only the leader invites, kicks and promotes (as in most MMOs). */
  NOT_PARTY_LEADER: "NOT_PARTY_LEADER",
  PARTY_FULL: "PARTY_FULL",
  /** The target is already in a party (this one or another). */
  ALREADY_IN_PARTY: "ALREADY_IN_PARTY",
  ALREADY_INVITED: "ALREADY_INVITED",
  /** No open invitation for this character (never invited, declined or expired). */
  NO_PARTY_INVITE: "NO_PARTY_INVITE",
  /** The target of a kick or promotion is not a member. */
  NOT_A_MEMBER: "NOT_A_MEMBER",
  CANNOT_TARGET_SELF: "CANNOT_TARGET_SELF",
} as const;
export type PartyRefusal = (typeof PartyRefusal)[keyof typeof PartyRefusal];

export type PartyResult = { ok: true; party: Party } | { ok: false; code: PartyRefusal };
/** `party: null` when the party is gone (its last member left). */
export type PartyLeaveResult =
  { ok: true; party: Party | null } | { ok: false; code: PartyRefusal };

const refuse = (code: PartyRefusal) => ({ ok: false, code }) as const;

/** A new party led by `leader`, its only member. */
export function createParty(id: string, leader: PartyMember): Party {
  return { id, leader: leader.characterId, members: [leader], invites: [] };
}

export function isPartyMember(party: Party, characterId: string): boolean {
  return party.members.some((m) => m.characterId === characterId);
}

/** The invitation of `characterId` that is still open at `nowMs`, if any. */
export function openInviteOf(
  party: Party,
  characterId: string,
  nowMs: number,
): PartyInvite | undefined {
  return party.invites.find((i) => i.characterId === characterId && i.expiresAtMs > nowMs);
}

/** Drops invitations that expired at `nowMs`; the same value when none did. */
export function pruneExpiredInvites(party: Party, nowMs: number): Party {
  const invites = party.invites.filter((i) => i.expiresAtMs > nowMs);
  return invites.length === party.invites.length ? party : { ...party, invites };
}

/**
 * The leader invites `targetId` for `ttlMs`. `targetInAParty`: whether the target is in any
 * party now (the caller knows; parties are not one value).
 */
export function inviteToParty(
  party: Party,
  byId: string,
  targetId: string,
  targetInAParty: boolean,
  nowMs: number,
  ttlMs = PARTY_INVITE_TTL_MS,
): PartyResult {
  if (!isPartyMember(party, byId)) return refuse(PartyRefusal.NOT_IN_PARTY);
  if (party.leader !== byId) return refuse(PartyRefusal.NOT_PARTY_LEADER);
  if (targetId === byId) return refuse(PartyRefusal.CANNOT_TARGET_SELF);
  if (targetInAParty || isPartyMember(party, targetId)) {
    return refuse(PartyRefusal.ALREADY_IN_PARTY);
  }
  if (party.members.length >= PARTY_MAX_MEMBERS) return refuse(PartyRefusal.PARTY_FULL);
  const live = pruneExpiredInvites(party, nowMs);
  if (openInviteOf(live, targetId, nowMs)) return refuse(PartyRefusal.ALREADY_INVITED);
  const invite = { characterId: targetId, expiresAtMs: nowMs + ttlMs };
  return { ok: true, party: { ...live, invites: [...live.invites, invite] } };
}

/** An invited character joins, last in join order. `inAParty`: whether they are in one now. */
export function acceptPartyInvite(
  party: Party,
  member: PartyMember,
  inAParty: boolean,
  nowMs: number,
): PartyResult {
  if (!openInviteOf(party, member.characterId, nowMs)) return refuse(PartyRefusal.NO_PARTY_INVITE);
  if (inAParty || isPartyMember(party, member.characterId)) {
    return refuse(PartyRefusal.ALREADY_IN_PARTY);
  }
  if (party.members.length >= PARTY_MAX_MEMBERS) return refuse(PartyRefusal.PARTY_FULL);
  const invites = party.invites.filter(
    (i) => i.characterId !== member.characterId && i.expiresAtMs > nowMs,
  );
  return { ok: true, party: { ...party, members: [...party.members, member], invites } };
}

/** The invited character says no: their invitation goes. */
export function declinePartyInvite(party: Party, characterId: string, nowMs: number): PartyResult {
  if (!openInviteOf(party, characterId, nowMs)) return refuse(PartyRefusal.NO_PARTY_INVITE);
  return {
    ok: true,
    party: { ...party, invites: party.invites.filter((i) => i.characterId !== characterId) },
  };
}

/**
 * A member leaves (or is dropped after the disconnect grace). A leaving leader hands over to the
 * next member in join order; when the last member leaves the party is gone (`party: null`).
 */
export function leaveParty(party: Party, characterId: string): PartyLeaveResult {
  if (!isPartyMember(party, characterId)) return refuse(PartyRefusal.NOT_IN_PARTY);
  const members = party.members.filter((m) => m.characterId !== characterId);
  const next = members[0];
  if (!next) return { ok: true, party: null };
  const leader = party.leader === characterId ? next.characterId : party.leader;
  return { ok: true, party: { ...party, leader, members } };
}

/** The leader removes another member. */
export function kickFromParty(party: Party, byId: string, targetId: string): PartyResult {
  const refusal = checkLeaderActsOnOther(party, byId, targetId);
  if (refusal) return refuse(refusal);
  const members = party.members.filter((m) => m.characterId !== targetId);
  return { ok: true, party: { ...party, members } };
}

/** The leader makes another member leader; join order is unchanged. */
export function promotePartyLeader(party: Party, byId: string, targetId: string): PartyResult {
  const refusal = checkLeaderActsOnOther(party, byId, targetId);
  if (refusal) return refuse(refusal);
  return { ok: true, party: { ...party, leader: targetId } };
}

/** Whether a member who disconnected at `disconnectedAtMs` has lost their place at `nowMs`. */
export function isPartyGraceOver(
  disconnectedAtMs: number,
  nowMs: number,
  graceMs = PARTY_DISCONNECT_GRACE_MS,
): boolean {
  return nowMs - disconnectedAtMs >= graceMs;
}

function checkLeaderActsOnOther(
  party: Party,
  byId: string,
  targetId: string,
): PartyRefusal | undefined {
  if (!isPartyMember(party, byId)) return PartyRefusal.NOT_IN_PARTY;
  if (party.leader !== byId) return PartyRefusal.NOT_PARTY_LEADER;
  if (targetId === byId) return PartyRefusal.CANNOT_TARGET_SELF;
  if (!isPartyMember(party, targetId)) return PartyRefusal.NOT_A_MEMBER;
  return undefined;
}
