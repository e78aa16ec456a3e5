import {
  ArenaCharacterBody,
  ArenaProfileResponse,
  ArenaQueueBody,
  ArenaQueueStatusResponse,
} from "./arena-schemas.ts";
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
const characterQuery = (required: boolean) => ({
  name: "characterId",
  in: "query",
  required,
  schema: { type: "string", format: "uuid" },
});
const unauthorized = unauthorizedResponse;
const notOwned = notOwnedResponse;
const badBody = error("Invalid body or query, naming the field (VALIDATION_FAILED)");

/** The arena queue and a character's arena record: component schemas and paths for openapi.ts. */
export function arenaOpenApi(): { schemas: Json; paths: Json } {
  return {
    schemas: {
      ArenaQueueStatus: schemaOf(ArenaQueueStatusResponse, "output"),
      ArenaProfile: schemaOf(ArenaProfileResponse, "output"),
    },
    paths: {
      "/v1/arena/queue": {
        post: {
          summary: "Queue a character (1v1) or its party (2v2, by the leader) for a rated match",
          description:
            "Pairs by rating within a window that widens with the wait (±100, +50 every 5 s, at " +
            "most ±500). The match arrives as the room message `arenaMatchFound { matchId, mode, " +
            "team, reservation }` on the player's zone room, and in GET /v1/arena/queue.",
          security: bearer,
          requestBody: body(ArenaQueueBody),
          responses: {
            "201": ok("Queued", "ArenaQueueStatus"),
            "400": badBody,
            "401": unauthorized,
            "404": notOwned,
            "409": error(
              "ARENA_BUSY (already queued or in a match), ARENA_PARTY_REQUIRED (2v2 without a party of two) or ARENA_NOT_LEADER",
            ),
          },
        },
        get: {
          summary: "Where a character stands in the arena queue; the seat reservation once matched",
          security: bearer,
          parameters: [characterQuery(true)],
          responses: {
            "200": ok("idle, queued (with the current window) or matched", "ArenaQueueStatus"),
            "400": badBody,
            "401": unauthorized,
            "404": notOwned,
          },
        },
        delete: {
          summary: "Leave the arena queue (the whole party's ticket for 2v2)",
          description: "The character id goes in the body or as `?characterId=`.",
          security: bearer,
          parameters: [characterQuery(false)],
          requestBody: { ...body(ArenaCharacterBody), required: false },
          responses: {
            "204": { description: "Left the queue" },
            "400": badBody,
            "401": unauthorized,
            "404": notOwned,
            "409": error("ARENA_NOT_QUEUED: not waiting (or just matched)"),
          },
        },
      },
      "/v1/characters/{id}/arena": {
        get: {
          summary: "A character's arena rating, record and last 20 matches",
          security: bearer,
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
          ],
          responses: {
            "200": ok(
              "Rating (Glicko-2), RD, volatility, wins, losses, draws, history",
              "ArenaProfile",
            ),
            "401": unauthorized,
            "404": notOwned,
          },
        },
      },
    },
  };
}
