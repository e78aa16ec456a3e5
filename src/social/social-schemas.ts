import { z } from "zod";
import { CHARACTER_NAME_PATTERN } from "../game/social/chat-rules.ts";

/** Request and response shapes of the social REST API (validation and the OpenAPI document). */

const CharacterName = z
  .string()
  .regex(CHARACTER_NAME_PATTERN, "must be a character name (3-16 of A-Z, a-z, 0-9, _)");

export const NameBody = z.strictObject({ name: CharacterName });
export const ActorBody = z.strictObject({ characterId: z.uuid() });
export const ActorAndNameBody = z.strictObject({ characterId: z.uuid(), name: CharacterName });
/** Name and tag rules are checked by the service (src/game/social/guild-rules.ts). */
export const CreateGuildBody = z.strictObject({
  characterId: z.uuid(),
  name: z.string().max(100),
  tag: z.string().max(20),
});
/** `?characterId=` of DELETE /v1/guilds/:id and GET /v1/guilds/:id/chat. */
export const ActorQuery = z.object({ characterId: z.uuid() });
export const GuildSearchQuery = z.object({
  name: z
    .string()
    .max(24)
    .regex(/^[A-Za-z0-9 ]*$/, "must be letters, digits or spaces")
    .optional(),
});

const Friend = z.object({
  characterId: z.uuid(),
  name: z.string(),
  level: z.number().int(),
  online: z.boolean(),
  zone: z.string().optional(),
});
export const FriendResponse = Friend;
export const FriendList = z.object({ friends: z.array(Friend) });

const Blocked = z.object({ characterId: z.uuid(), name: z.string() });
export const BlockResponse = Blocked;
export const BlockList = z.object({ blocks: z.array(Blocked) });

const Rank = z.enum(["leader", "officer", "member"]);
export const GuildResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  tag: z.string(),
  leaderId: z.uuid(),
  createdAt: z.iso.datetime(),
  members: z.array(
    z.object({
      characterId: z.uuid(),
      name: z.string(),
      level: z.number().int(),
      rank: Rank,
      joinedAt: z.iso.datetime(),
      online: z.boolean(),
      zone: z.string().optional(),
    }),
  ),
});
export const GuildSearchResponse = z.object({
  guilds: z.array(
    z.object({ id: z.uuid(), name: z.string(), tag: z.string(), memberCount: z.number().int() }),
  ),
});
export const GuildMembershipResponse = z.object({
  guildId: z.uuid(),
  name: z.string(),
  tag: z.string(),
  rank: Rank,
});
export const GuildInviteResponse = z.object({
  guildId: z.uuid(),
  guildName: z.string(),
  guildTag: z.string(),
  characterId: z.uuid(),
  name: z.string(),
  expiresAt: z.iso.datetime(),
});
export const GuildInviteList = z.object({ invites: z.array(GuildInviteResponse) });
export const GuildChatResponse = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      fromId: z.uuid().nullable(),
      fromName: z.string(),
      text: z.string(),
      at: z.iso.datetime(),
    }),
  ),
});
