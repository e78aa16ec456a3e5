import { z } from "zod";
import {
  ActorAndNameBody,
  ActorBody,
  BlockList,
  BlockResponse,
  CreateGuildBody,
  FriendList,
  FriendResponse,
  GuildChatResponse,
  GuildInviteList,
  GuildInviteResponse,
  GuildMembershipResponse,
  GuildResponse,
  GuildSearchResponse,
  NameBody,
} from "./social-schemas.ts";
import {
  bearer,
  errorResponse,
  jsonBody,
  jsonResponse,
  notOwnedResponse,
  schemaOf,
  type Json,
  unauthorizedResponse,
} from "../http/openapi-parts.ts";

const body = jsonBody;
const ok = jsonResponse;
const error = errorResponse;
const noContent = (description: string) => ({ description });

const uuidPath = (name: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
});
const namePath = { name: "name", in: "path", required: true, schema: { type: "string" } };
const actorQuery = (required: boolean) => ({
  name: "characterId",
  in: "query",
  required,
  description: "The acting character (one of the caller's)",
  schema: { type: "string", format: "uuid" },
});

const unauthorized = unauthorizedResponse;
const notOwned = notOwnedResponse;
const badBody = error("Invalid body, naming the field (VALIDATION_FAILED)");

/** Friends, blocks and guilds: component schemas and paths for src/http/openapi.ts. */
export function socialOpenApi(): { schemas: Json; paths: Json } {
  return {
    schemas: {
      Friend: schemaOf(FriendResponse, "output"),
      FriendList: schemaOf(FriendList, "output"),
      Block: schemaOf(BlockResponse, "output"),
      BlockList: schemaOf(BlockList, "output"),
      Guild: schemaOf(GuildResponse, "output"),
      GuildSearch: schemaOf(GuildSearchResponse, "output"),
      GuildMembership: schemaOf(GuildMembershipResponse, "output"),
      GuildInvite: schemaOf(GuildInviteResponse, "output"),
      GuildInviteList: schemaOf(GuildInviteList, "output"),
      GuildChat: schemaOf(GuildChatResponse, "output"),
    },
    paths: { ...listPaths(), ...guildPaths() },
  };
}

/** Friend and block lists of one of the caller's characters. */
function listPaths(): Json {
  const list = (what: "friends" | "blocks") => {
    const friends = what === "friends";
    return {
      [`/v1/characters/{id}/${what}`]: {
        get: {
          summary: friends
            ? "Friend list: level, online state and zone of each friend"
            : "Block list: characters whose whispers and guild invitations are refused",
          security: bearer,
          parameters: [uuidPath("id")],
          responses: {
            "200": ok(
              friends ? "The friends, by name" : "The blocked characters, by name",
              friends ? "FriendList" : "BlockList",
            ),
            "401": unauthorized,
            "404": notOwned,
          },
        },
        post: {
          summary: friends
            ? "Add a friend by name (one-directional; unblocks them)"
            : "Block a character by name (removes them from the friend list)",
          security: bearer,
          parameters: [uuidPath("id")],
          requestBody: body(NameBody),
          responses: {
            "201": ok(friends ? "Added" : "Blocked", friends ? "Friend" : "Block"),
            "400": error("Invalid name, or the character itself (VALIDATION_FAILED naming `name`)"),
            "401": unauthorized,
            "404": error(
              "No such character on this account, or no character by that name (CHARACTER_NOT_FOUND)",
            ),
            "409": error(
              friends
                ? "ALREADY_FRIENDS or FRIEND_LIST_FULL"
                : "ALREADY_BLOCKED or BLOCK_LIST_FULL",
            ),
          },
        },
      },
      [`/v1/characters/{id}/${what}/{name}`]: {
        delete: {
          summary: friends ? "Remove a friend" : "Unblock a character",
          security: bearer,
          parameters: [uuidPath("id"), namePath],
          responses: {
            "204": noContent(friends ? "Removed" : "Unblocked"),
            "401": unauthorized,
            "404": error(
              friends
                ? "CHARACTER_NOT_FOUND, or not on the list (FRIEND_NOT_FOUND)"
                : "CHARACTER_NOT_FOUND, or not blocked (BLOCK_NOT_FOUND)",
            ),
          },
        },
      },
    };
  };
  return {
    ...list("friends"),
    ...list("blocks"),
    "/v1/characters/{id}/guild": {
      get: {
        summary: "The character's guild and rank",
        security: bearer,
        parameters: [uuidPath("id")],
        responses: {
          "200": ok("The membership", "GuildMembership"),
          "401": unauthorized,
          "404": error("CHARACTER_NOT_FOUND, or in no guild (GUILD_NOT_FOUND)"),
        },
      },
    },
    "/v1/characters/{id}/guild-invites": {
      get: {
        summary: "Open guild invitations of the character, newest first",
        security: bearer,
        parameters: [uuidPath("id")],
        responses: {
          "200": ok("The invitations", "GuildInviteList"),
          "401": unauthorized,
          "404": notOwned,
        },
      },
    },
  };
}

function guildPaths(): Json {
  const id = [uuidPath("id")];
  const action = (
    summary: string,
    schema: z.ZodType,
    success: Json,
    codes: { "403"?: string; "404"?: string; "409"?: string },
  ) => ({
    post: {
      summary,
      security: bearer,
      parameters: id,
      requestBody: body(schema),
      responses: {
        ...success,
        "400": badBody,
        "401": unauthorized,
        ...(codes["403"] ? { "403": error(codes["403"]) } : {}),
        "404": error(codes["404"] ?? "CHARACTER_NOT_FOUND or GUILD_NOT_FOUND"),
        ...(codes["409"] ? { "409": error(codes["409"]) } : {}),
      },
    },
  });
  const roster = (description: string) => ({ "200": ok(description, "Guild") });
  const byName =
    "CHARACTER_NOT_FOUND, GUILD_NOT_FOUND, or the named character is not a member (GUILD_MEMBER_NOT_FOUND)";
  return {
    "/v1/guilds": {
      get: {
        summary: "Find guilds by name prefix (any case), up to 20, by name",
        security: bearer,
        parameters: [
          { name: "name", in: "query", required: false, schema: { type: "string", maxLength: 24 } },
        ],
        responses: {
          "200": ok("The guilds", "GuildSearch"),
          "400": badBody,
          "401": unauthorized,
        },
      },
      post: {
        summary: "Found a guild; the founder pays the creation fee (100 gold) and leads it",
        description:
          "Name: 3-24 ASCII letters, digits and single spaces; tag: 2-5 letters or digits; both " +
          "unique in any case. The fee goes through the economy (ledger kind guild_fee); a " +
          "server without it takes the fee from offline founders only (CHARACTER_ONLINE).",
        security: bearer,
        requestBody: body(CreateGuildBody),
        responses: {
          "201": ok("Founded", "Guild"),
          "400": badBody,
          "401": unauthorized,
          "404": notOwned,
          "409": error(
            "GUILD_NAME_TAKEN, GUILD_TAG_TAKEN, ALREADY_IN_GUILD, NOT_ENOUGH_GOLD or CHARACTER_ONLINE",
          ),
        },
      },
    },
    "/v1/guilds/{id}": {
      get: {
        summary: "A guild and its roster: ranks, levels, online state",
        security: bearer,
        parameters: id,
        responses: { ...roster("The guild"), "401": unauthorized, "404": error("GUILD_NOT_FOUND") },
      },
      delete: {
        summary: "Disband the guild (leader only)",
        description:
          "The acting character comes as `{ characterId }` in the body or as `?characterId=`.",
        security: bearer,
        parameters: [...id, actorQuery(false)],
        responses: {
          "204": noContent("Disbanded"),
          "400": badBody,
          "401": unauthorized,
          "403": error("NOT_IN_GUILD or NOT_GUILD_LEADER"),
          "404": error("CHARACTER_NOT_FOUND or GUILD_NOT_FOUND"),
        },
      },
    },
    "/v1/guilds/{id}/chat": {
      get: {
        summary: "The guild chat's last 100 lines, oldest first (members only)",
        security: bearer,
        parameters: [...id, actorQuery(true)],
        responses: {
          "200": ok("The lines", "GuildChat"),
          "400": badBody,
          "401": unauthorized,
          "403": error("NOT_IN_GUILD"),
          "404": error("CHARACTER_NOT_FOUND or GUILD_NOT_FOUND"),
        },
      },
    },
    "/v1/guilds/{id}/invites": action(
      "Invite a character by name (leader and officers; open 24 h)",
      ActorAndNameBody,
      { "201": ok("Invited", "GuildInvite") },
      {
        "403": "NOT_IN_GUILD, NOT_GUILD_OFFICER, or the invitee blocks the inviter (BLOCKED)",
        "404": "CHARACTER_NOT_FOUND (either character) or GUILD_NOT_FOUND",
        "409": "ALREADY_IN_GUILD, GUILD_ALREADY_INVITED or GUILD_FULL",
      },
    ),
    "/v1/guilds/{id}/accept": action(
      "Join with an open invitation",
      ActorBody,
      roster("Joined: the guild"),
      {
        "404": "CHARACTER_NOT_FOUND, GUILD_NOT_FOUND or GUILD_INVITE_NOT_FOUND",
        "409": "ALREADY_IN_GUILD or GUILD_FULL",
      },
    ),
    "/v1/guilds/{id}/decline": action(
      "Decline an open invitation",
      ActorBody,
      { "204": noContent("Declined") },
      { "404": "CHARACTER_NOT_FOUND, GUILD_NOT_FOUND or GUILD_INVITE_NOT_FOUND" },
    ),
    "/v1/guilds/{id}/leave": action(
      "Leave the guild (a last leader's leaving disbands it)",
      ActorBody,
      { "204": noContent("Left") },
      {
        "403": "NOT_IN_GUILD",
        "409": "The leader must transfer or disband first (GUILD_LEADER_MUST_TRANSFER)",
      },
    ),
    "/v1/guilds/{id}/kick": action(
      "Remove a member (officers kick members; the leader kicks anyone)",
      ActorAndNameBody,
      roster("Kicked: the guild"),
      { "403": "NOT_IN_GUILD, NOT_GUILD_OFFICER or GUILD_RANK_TOO_LOW", "404": byName },
    ),
    "/v1/guilds/{id}/promote": action(
      "Make a member an officer (leader only)",
      ActorAndNameBody,
      roster("Promoted: the guild"),
      {
        "403": "NOT_IN_GUILD or NOT_GUILD_LEADER",
        "404": byName,
        "409": "Already an officer (GUILD_RANK_UNCHANGED)",
      },
    ),
    "/v1/guilds/{id}/demote": action(
      "Make an officer a member (leader only)",
      ActorAndNameBody,
      roster("Demoted: the guild"),
      {
        "403": "NOT_IN_GUILD or NOT_GUILD_LEADER",
        "404": byName,
        "409": "Already a member (GUILD_RANK_UNCHANGED)",
      },
    ),
    "/v1/guilds/{id}/transfer": action(
      "Hand leadership to another member; the old leader becomes an officer",
      ActorAndNameBody,
      roster("Transferred: the guild"),
      { "403": "NOT_IN_GUILD or NOT_GUILD_LEADER", "404": byName },
    ),
  };
}
