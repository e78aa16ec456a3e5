import type { Prisma } from "../../db/generated/client.ts";
import { GUILD_CHAT_HISTORY, isGuildRank, type GuildActor } from "../../game/social/guild-rules.ts";

type Db = Prisma.TransactionClient;

export const guildSelect = {
  id: true,
  name: true,
  tag: true,
  leaderId: true,
  createdAt: true,
} as const;
export type GuildRow = { id: string; name: string; tag: string; leaderId: string; createdAt: Date };

const memberSelect = { characterId: true, guildId: true, rank: true, joinedAt: true } as const;
export type GuildMemberRow = {
  characterId: string;
  guildId: string;
  rank: GuildActor["rank"];
  joinedAt: Date;
};

function toMember(row: { characterId: string; guildId: string; rank: string; joinedAt: Date }) {
  if (!isGuildRank(row.rank)) throw new Error(`guild member ${row.characterId}: rank ${row.rank}`);
  return { ...row, rank: row.rank };
}

/** Guild rows; every query takes the client or transaction to run on. */
export const guildsRepo = {
  find: (db: Db, id: string): Promise<GuildRow | null> =>
    db.guild.findUnique({ where: { id }, select: guildSelect }),

  /** Locks the guild row until the transaction ends; false when there is no such guild. */
  lock: async (db: Db, id: string): Promise<boolean> =>
    (await db.$queryRaw<{ id: string }[]>`SELECT id FROM guilds WHERE id = ${id}::uuid FOR UPDATE`)
      .length > 0,

  nameOrTagTaken: async (db: Db, nameKey: string, tagKey: string) => {
    const rows = await db.guild.findMany({
      where: { OR: [{ nameKey }, { tagKey }] },
      select: { nameKey: true, tagKey: true },
    });
    return {
      name: rows.some((r) => r.nameKey === nameKey),
      tag: rows.some((r) => r.tagKey === tagKey),
    };
  },

  /** Guilds whose name starts with `prefixKey` (lower case), by name, with member counts. */
  searchByName: async (db: Db, prefixKey: string, limit: number) => {
    const rows = await db.guild.findMany({
      where: { nameKey: { startsWith: prefixKey } },
      select: { ...guildSelect, _count: { select: { members: true } } },
      orderBy: { nameKey: "asc" },
      take: limit,
    });
    return rows.map(({ _count, ...g }) => ({ ...g, memberCount: _count.members }));
  },

  create: (
    db: Db,
    row: {
      id: string;
      name: string;
      nameKey: string;
      tag: string;
      tagKey: string;
      leaderId: string;
    },
  ) => db.guild.create({ data: row, select: guildSelect }),

  setLeader: (db: Db, id: string, leaderId: string) =>
    db.guild.update({ where: { id }, data: { leaderId }, select: { id: true } }),

  delete: (db: Db, id: string) => db.guild.deleteMany({ where: { id } }),

  memberOf: async (db: Db, characterId: string): Promise<GuildMemberRow | null> => {
    const row = await db.guildMember.findUnique({ where: { characterId }, select: memberSelect });
    return row ? toMember(row) : null;
  },

  /** Members in join order. */
  members: async (db: Db, guildId: string): Promise<GuildMemberRow[]> =>
    (
      await db.guildMember.findMany({
        where: { guildId },
        select: memberSelect,
        orderBy: [{ joinedAt: "asc" }, { characterId: "asc" }],
      })
    ).map(toMember),

  countMembers: (db: Db, guildId: string) => db.guildMember.count({ where: { guildId } }),

  addMember: (db: Db, guildId: string, characterId: string, rank: GuildActor["rank"]) =>
    db.guildMember.create({ data: { guildId, characterId, rank }, select: { characterId: true } }),

  setRank: (db: Db, characterId: string, rank: GuildActor["rank"]) =>
    db.guildMember.update({
      where: { characterId },
      data: { rank },
      select: { characterId: true },
    }),

  removeMember: (db: Db, guildId: string, characterId: string) =>
    db.guildMember.deleteMany({ where: { guildId, characterId } }),

  invite: (db: Db, guildId: string, characterId: string) =>
    db.guildInvite.findUnique({
      where: { guildId_characterId: { guildId, characterId } },
      select: { expiresAt: true, invitedBy: true },
    }),

  /** Open invitations of a character, newest first, with their guild. */
  invitesOf: (db: Db, characterId: string, now: Date) =>
    db.guildInvite.findMany({
      where: { characterId, expiresAt: { gt: now } },
      select: { guildId: true, invitedBy: true, expiresAt: true, guild: { select: guildSelect } },
      orderBy: { createdAt: "desc" },
    }),

  putInvite: (db: Db, guildId: string, characterId: string, invitedBy: string, expiresAt: Date) =>
    db.guildInvite.upsert({
      where: { guildId_characterId: { guildId, characterId } },
      create: { guildId, characterId, invitedBy, expiresAt },
      update: { invitedBy, expiresAt, createdAt: new Date() },
      select: { expiresAt: true },
    }),

  deleteInvite: async (db: Db, guildId: string, characterId: string): Promise<number> =>
    (await db.guildInvite.deleteMany({ where: { guildId, characterId } })).count,

  /** A character who joins a guild has no use for other invitations. */
  deleteInvitesOf: (db: Db, characterId: string) =>
    db.guildInvite.deleteMany({ where: { characterId } }),

  /** Appends a chat line and keeps only the newest GUILD_CHAT_HISTORY of the guild. */
  appendMessage: async (
    db: Db,
    row: { guildId: string; fromId: string; fromName: string; text: string },
  ) => {
    const created = await db.guildMessage.create({ data: row, select: { createdAt: true } });
    await db.$executeRaw`
      DELETE FROM guild_messages
      WHERE guild_id = ${row.guildId}::uuid
        AND id <= (SELECT id FROM guild_messages WHERE guild_id = ${row.guildId}::uuid
                   ORDER BY id DESC OFFSET ${GUILD_CHAT_HISTORY} LIMIT 1)`;
    return created;
  },

  /** The newest `limit` chat lines, oldest first. */
  recentMessages: async (db: Db, guildId: string, limit: number) =>
    (
      await db.guildMessage.findMany({
        where: { guildId },
        select: { id: true, fromId: true, fromName: true, text: true, createdAt: true },
        orderBy: { id: "desc" },
        take: limit,
      })
    ).reverse(),
};
