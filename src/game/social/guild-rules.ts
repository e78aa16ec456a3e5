/** Gold a guild's founder pays. */
export const GUILD_CREATION_FEE_GOLD = 100;
/** Most members a guild holds, leader included. */
export const GUILD_MAX_MEMBERS = 100;
/** How long a guild invitation stays open. */
export const GUILD_INVITE_TTL_MS = 24 * 60 * 60 * 1000;
/** Guild chat history kept per guild (older messages are pruned). */
export const GUILD_CHAT_HISTORY = 100;

/** Ranks, highest first. */
export const GuildRank = { LEADER: "leader", OFFICER: "officer", MEMBER: "member" } as const;
export type GuildRank = (typeof GuildRank)[keyof typeof GuildRank];
export const GUILD_RANKS: readonly GuildRank[] = Object.values(GuildRank);

/** Refusals; each is also an ErrorCode of src/errors.ts except CANNOT_TARGET_SELF (a 400). */
export const GuildRefusal = {
  NOT_IN_GUILD: "NOT_IN_GUILD",
  /** Inviting and kicking need officer rank or above. */
  NOT_GUILD_OFFICER: "NOT_GUILD_OFFICER",
  /** Promoting, demoting, transferring and disbanding are the leader's. */
  NOT_GUILD_LEADER: "NOT_GUILD_LEADER",
  /** An officer may not kick an officer or the leader. */
  GUILD_RANK_TOO_LOW: "GUILD_RANK_TOO_LOW",
  /** The target of a kick, promotion, demotion or transfer is not in the guild. */
  GUILD_MEMBER_NOT_FOUND: "GUILD_MEMBER_NOT_FOUND",
  /** Promoting an officer or demoting a member. */
  GUILD_RANK_UNCHANGED: "GUILD_RANK_UNCHANGED",
  /** The leader of a guild with other members must transfer leadership or disband first. */
  GUILD_LEADER_MUST_TRANSFER: "GUILD_LEADER_MUST_TRANSFER",
  CANNOT_TARGET_SELF: "CANNOT_TARGET_SELF",
} as const;
export type GuildRefusal = (typeof GuildRefusal)[keyof typeof GuildRefusal];

/** A character in the guild, with their rank. */
export type GuildActor = { readonly characterId: string; readonly rank: GuildRank };
/** A rank to store for a character once the action is allowed. */
export type GuildRankChange = { readonly characterId: string; readonly rank: GuildRank };

export type GuildCheck = { ok: true } | { ok: false; code: GuildRefusal };
export type GuildRankResult =
  { ok: true; changes: readonly GuildRankChange[] } | { ok: false; code: GuildRefusal };
/** `disbands`: the leaver was the last member, so the guild goes with them. */
export type GuildLeaveResult = { ok: true; disbands: boolean } | { ok: false; code: GuildRefusal };

const refuse = (code: GuildRefusal) => ({ ok: false, code }) as const;
const OK = { ok: true } as const;
const isOfficerOrAbove = (rank: GuildRank) => rank !== GuildRank.MEMBER;

/** Leader and officers invite. `actor`: null when not in this guild. */
export function checkGuildInvite(actor: GuildActor | null): GuildCheck {
  if (!actor) return refuse(GuildRefusal.NOT_IN_GUILD);
  return isOfficerOrAbove(actor.rank) ? OK : refuse(GuildRefusal.NOT_GUILD_OFFICER);
}

/** Leader and officers kick members; officers cannot kick officers or the leader. */
export function checkGuildKick(actor: GuildActor | null, target: GuildActor | null): GuildCheck {
  if (!actor) return refuse(GuildRefusal.NOT_IN_GUILD);
  if (!isOfficerOrAbove(actor.rank)) return refuse(GuildRefusal.NOT_GUILD_OFFICER);
  if (!target) return refuse(GuildRefusal.GUILD_MEMBER_NOT_FOUND);
  if (target.characterId === actor.characterId) return refuse(GuildRefusal.CANNOT_TARGET_SELF);
  if (actor.rank !== GuildRank.LEADER && target.rank !== GuildRank.MEMBER) {
    return refuse(GuildRefusal.GUILD_RANK_TOO_LOW);
  }
  return OK;
}

/** The leader makes a member an officer. */
export function promoteGuildMember(
  actor: GuildActor | null,
  target: GuildActor | null,
): GuildRankResult {
  const refusal = checkLeaderActsOnOther(actor, target);
  if (refusal) return refuse(refusal);
  if (target!.rank !== GuildRank.MEMBER) return refuse(GuildRefusal.GUILD_RANK_UNCHANGED);
  return { ok: true, changes: [{ characterId: target!.characterId, rank: GuildRank.OFFICER }] };
}

/** The leader makes an officer a member again. */
export function demoteGuildMember(
  actor: GuildActor | null,
  target: GuildActor | null,
): GuildRankResult {
  const refusal = checkLeaderActsOnOther(actor, target);
  if (refusal) return refuse(refusal);
  if (target!.rank !== GuildRank.OFFICER) return refuse(GuildRefusal.GUILD_RANK_UNCHANGED);
  return { ok: true, changes: [{ characterId: target!.characterId, rank: GuildRank.MEMBER }] };
}

/**
 * The leader hands leadership to any other member; the old leader becomes an officer. The
 * changes are in the order to store them (one leader at a time: the old one steps down first).
 */
export function transferGuildLeadership(
  actor: GuildActor | null,
  target: GuildActor | null,
): GuildRankResult {
  const refusal = checkLeaderActsOnOther(actor, target);
  if (refusal) return refuse(refusal);
  return {
    ok: true,
    changes: [
      { characterId: actor!.characterId, rank: GuildRank.OFFICER },
      { characterId: target!.characterId, rank: GuildRank.LEADER },
    ],
  };
}

/** Only the leader disbands. */
export function checkGuildDisband(actor: GuildActor | null): GuildCheck {
  if (!actor) return refuse(GuildRefusal.NOT_IN_GUILD);
  return actor.rank === GuildRank.LEADER ? OK : refuse(GuildRefusal.NOT_GUILD_LEADER);
}

/** Anyone leaves, except a leader with other members (transfer or disband first). */
export function checkGuildLeave(actor: GuildActor | null, memberCount: number): GuildLeaveResult {
  if (!actor) return refuse(GuildRefusal.NOT_IN_GUILD);
  if (actor.rank !== GuildRank.LEADER) return { ok: true, disbands: false };
  if (memberCount > 1) return refuse(GuildRefusal.GUILD_LEADER_MUST_TRANSFER);
  return { ok: true, disbands: true };
}

export type GuildNameResult = { ok: true; name: string; key: string } | { ok: false };

/**
 * A guild name: 3–24 characters of ASCII letters, digits and single spaces between words (runs
 * of spaces are collapsed, ends trimmed). `key` (lower case) is what must be unique.
 */
export function validateGuildName(raw: unknown): GuildNameResult {
  if (typeof raw !== "string" || raw.length > 100) return { ok: false };
  const name = raw.trim().replace(/ {2,}/g, " ");
  if (name.length < 3 || name.length > 24) return { ok: false };
  if (!/^[A-Za-z0-9]+( [A-Za-z0-9]+)*$/.test(name)) return { ok: false };
  return { ok: true, name, key: name.toLowerCase() };
}

/** A guild tag: 2–5 ASCII letters or digits, kept as written; `key` (lower case) is unique. */
export function validateGuildTag(raw: unknown): GuildNameResult {
  if (typeof raw !== "string") return { ok: false };
  const tag = raw.trim();
  if (!/^[A-Za-z0-9]{2,5}$/.test(tag)) return { ok: false };
  return { ok: true, name: tag, key: tag.toLowerCase() };
}

export function isGuildRank(value: unknown): value is GuildRank {
  return typeof value === "string" && (GUILD_RANKS as readonly string[]).includes(value);
}

function checkLeaderActsOnOther(
  actor: GuildActor | null,
  target: GuildActor | null,
): GuildRefusal | undefined {
  if (!actor) return GuildRefusal.NOT_IN_GUILD;
  if (actor.rank !== GuildRank.LEADER) return GuildRefusal.NOT_GUILD_LEADER;
  if (!target) return GuildRefusal.GUILD_MEMBER_NOT_FOUND;
  if (target.characterId === actor.characterId) return GuildRefusal.CANNOT_TARGET_SELF;
  return undefined;
}
