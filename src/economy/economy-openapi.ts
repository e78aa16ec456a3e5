/** OpenAPI paths and schemas of mail and leaderboards (merged by src/http/openapi.ts). */
import { z } from "zod";
import {
  AroundQuery,
  BoardAround,
  BoardPage,
  BoardQuery,
} from "../leaderboards/leaderboard-schemas.ts";
import {
  MailClaimed,
  MailList,
  MailListQuery,
  MailSent,
  MailView,
  SendMailBody,
} from "./mail/mail-schemas.ts";
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
const path = (name: string, format?: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string", ...(format ? { format } : {}) },
});
/** Query parameters from a zod object (limit, cursor). */
const query = (schema: z.ZodObject) =>
  Object.entries((schemaOf(schema, "input").properties ?? {}) as Record<string, Json>).map(
    ([name, s]) => ({ name, in: "query", required: false, schema: s }),
  );
const owned = [path("id", "uuid")];
const mailPath = [...owned, path("mailId", "uuid")];
const unauthorized = unauthorizedResponse;
const noCharacter = notOwnedResponse;

export function economyOpenApi(): { schemas: Json; paths: Json } {
  return {
    schemas: {
      MailList: schemaOf(MailList, "output"),
      Mail: schemaOf(MailView, "output"),
      MailSent: schemaOf(MailSent, "output"),
      MailClaimed: schemaOf(MailClaimed, "output"),
      LeaderboardPage: schemaOf(BoardPage, "output"),
      LeaderboardAround: schemaOf(BoardAround, "output"),
    },
    paths: {
      "/v1/characters/{id}/mail": {
        get: {
          summary: "The character's mail, newest first",
          security: bearer,
          parameters: [...owned, ...query(MailListQuery)],
          responses: {
            "200": ok("A page of mail; pass nextCursor as cursor for the next", "MailList"),
            "400": error("Bad limit or cursor"),
            "401": unauthorized,
            "404": noCharacter,
          },
        },
        post: {
          summary: "Send a mail, with gold and inventory items attached",
          description:
            "Attachments leave the sender in the same transaction that writes the mail (through the " +
            "sender's room when it is online). Equipped, bound and quest items cannot be mailed. " +
            "An online recipient gets a `mail` room message at once.",
          security: bearer,
          parameters: owned,
          requestBody: body(SendMailBody),
          responses: {
            "201": ok("Sent; what left the sender", "MailSent"),
            "400": error("Invalid body (VALIDATION_FAILED), or mailing oneself"),
            "401": unauthorized,
            "404": error("No such character (CHARACTER_NOT_FOUND), recipient or slot item"),
            "409": error("NOT_ENOUGH_GOLD, NOT_ENOUGH_ITEMS, ITEM_BOUND or QUEST_ITEM"),
            "413": error("Body larger than 16 KiB"),
            "503": error("The sender could not be reached in time (UNAVAILABLE); retry"),
          },
        },
      },
      "/v1/characters/{id}/mail/{mailId}": {
        get: {
          summary: "Read one mail (marks it read)",
          security: bearer,
          parameters: mailPath,
          responses: {
            "200": ok("The mail with its body", "Mail"),
            "401": unauthorized,
            "404": error("No such character or mail"),
          },
        },
        delete: {
          summary: "Delete a mail whose attachments are claimed, returned or none",
          security: bearer,
          parameters: mailPath,
          responses: {
            "204": { description: "Deleted" },
            "401": unauthorized,
            "404": error("No such character or mail"),
            "409": error("Attachments still to claim (MAIL_HAS_ATTACHMENTS)"),
          },
        },
      },
      "/v1/characters/{id}/mail/{mailId}/claim": {
        post: {
          summary: "Take a mail's attachments into the character, once",
          description:
            "Atomic and exactly once: of two claims sent at once, one succeeds and the other gets " +
            "409 MAIL_ALREADY_CLAIMED. A full inventory refuses (INVENTORY_FULL) and the mail keeps " +
            "its attachments. The body is ignored.",
          security: bearer,
          parameters: mailPath,
          requestBody: {
            required: false,
            content: { "application/json": { schema: { type: "object" } } },
          },
          responses: {
            "200": ok("Claimed", "MailClaimed"),
            "401": unauthorized,
            "404": error("No such character or mail"),
            "409": error("MAIL_ALREADY_CLAIMED or INVENTORY_FULL"),
            "503": error("The character could not be reached in time (UNAVAILABLE); retry"),
          },
        },
      },
      "/v1/leaderboards/{board}": {
        get: {
          summary:
            "A leaderboard page: level (by level then xp), arena (rating), guild (sum of levels)",
          parameters: [path("board"), ...query(BoardQuery)],
          responses: {
            "200": ok("Ranked entries from rank 1 (or the cursor)", "LeaderboardPage"),
            "400": error("Bad limit or cursor"),
            "404": error("No such board"),
          },
        },
      },
      "/v1/leaderboards/{board}/around/{characterId}": {
        get: {
          summary: "Entries around a character (its guild on the guild board)",
          parameters: [path("board"), path("characterId", "uuid"), ...query(AroundQuery)],
          responses: {
            "200": ok("The character's rank and its neighbours", "LeaderboardAround"),
            "400": error("Bad limit"),
            "404": error("No such board, or the character is not ranked on it"),
          },
        },
      },
    },
  };
}
