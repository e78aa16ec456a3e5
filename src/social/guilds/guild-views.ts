import type { GuildRank } from "../../game/social/guild-rules.ts";
import type { SocialCharacters } from "../characters-by-name.ts";
import type { OnlineLookup } from "../friends/friends.service.ts";
import type { GuildMemberRow, GuildRow } from "./guilds.repository.ts";

export type GuildMemberView = {
  characterId: string;
  name: string;
  level: number;
  rank: GuildRank;
  joinedAt: string;
  online: boolean;
  zone?: string;
};

export type GuildView = {
  id: string;
  name: string;
  tag: string;
  leaderId: string;
  createdAt: string;
  /** In join order. */
  members: GuildMemberView[];
};

export type GuildSummary = { id: string; name: string; tag: string; memberCount: number };

/** A character's guild as the realtime side and `GET /v1/characters/:id/guild` show it. */
export type GuildMembership = { guildId: string; name: string; tag: string; rank: GuildRank };

export type GuildInviteView = {
  guildId: string;
  guildName: string;
  guildTag: string;
  characterId: string;
  name: string;
  expiresAt: string;
};

export type GuildChatLine = {
  id: string;
  fromId: string | null;
  fromName: string;
  text: string;
  at: string;
};

/** The guild with its roster: names and levels of members, and whether each is online. */
export async function toGuildView(
  guild: GuildRow,
  members: readonly GuildMemberRow[],
  characters: SocialCharacters,
  online: OnlineLookup,
): Promise<GuildView> {
  const refs = new Map(
    (await characters.byIds(members.map((m) => m.characterId))).map((r) => [r.id, r]),
  );
  const roster = await Promise.all(
    members.map(async (m): Promise<GuildMemberView | undefined> => {
      const ref = refs.get(m.characterId);
      if (!ref) return undefined; // deleted meanwhile (the row cascades)
      const where = await online.get(m.characterId);
      return {
        characterId: m.characterId,
        name: ref.name,
        level: ref.level,
        rank: m.rank,
        joinedAt: m.joinedAt.toISOString(),
        online: where !== undefined,
        ...(where ? { zone: where.zone } : {}),
      };
    }),
  );
  return {
    id: guild.id,
    name: guild.name,
    tag: guild.tag,
    leaderId: guild.leaderId,
    createdAt: guild.createdAt.toISOString(),
    members: roster.filter((m) => m !== undefined),
  };
}
