import { z } from "zod";
import {
  Character,
  CharacterInventory,
  CharacterList,
  CharacterQuests,
  CharacterStats,
  CreateCharacterBody,
  CredentialsBody,
  EquipBody,
  ErrorResponse,
  HealthResponse,
  LoginBody,
  RefreshBody,
  SessionResponse,
  UnequipBody,
  WorldJoinBody,
  WorldJoinResponse,
  WorldZones,
  ZoneMapResponse,
} from "./api-schemas.ts";
import { accountOpenApi } from "../accounts/account-openapi.ts";
import { economyOpenApi } from "../economy/economy-openapi.ts";
import { socialOpenApi } from "../social/social-openapi.ts";
import { worldEventsOpenApi } from "../world-events/world-events-openapi.ts";
import { arenaOpenApi } from "../arena/arena-openapi.ts";
import {
  bearer,
  errorResponse,
  jsonBody,
  jsonResponse,
  schemaOf,
  type Json,
} from "./openapi-parts.ts";

const error = errorResponse;
const idParam = [
  { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
];

const commonErrors = {
  "400": error("Invalid body or JSON"),
  "413": error("Body larger than 16 KiB"),
};

/** The OpenAPI 3.1 description of the REST API, served at /v1/openapi.json. */
export function buildOpenApiDocument(serverUrl?: string): Json {
  const economy = economyOpenApi();
  const social = socialOpenApi();
  const worldEvents = worldEventsOpenApi();
  const arena = arenaOpenApi();
  return {
    openapi: "3.1.0",
    info: {
      title: "MMO server API",
      version: "1.0.0",
      description: "Accounts, characters and health of the Colyseus MMORPG server.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Session: schemaOf(SessionResponse, "output"),
        Character: schemaOf(Character, "output"),
        CharacterList: schemaOf(CharacterList, "output"),
        Error: schemaOf(ErrorResponse, "output"),
        Health: schemaOf(HealthResponse, "output"),
        WorldZones: schemaOf(WorldZones, "output"),
        WorldJoin: schemaOf(WorldJoinResponse, "output"),
        ZoneMap: schemaOf(ZoneMapResponse, "output"),
        CharacterStats: schemaOf(CharacterStats, "output"),
        CharacterInventory: schemaOf(CharacterInventory, "output"),
        CharacterQuests: schemaOf(CharacterQuests, "output"),
        ...economy.schemas,
        ...social.schemas,
        ...worldEvents.schemas,
        ...arena.schemas,
      },
    },
    paths: {
      "/v1/auth/register": {
        post: {
          summary: "Create an account and start a session",
          requestBody: jsonBody(CredentialsBody),
          responses: {
            "201": jsonResponse("Account created", "Session"),
            ...commonErrors,
            "409": error("Email already registered"),
            "429": error("Too many attempts (see Retry-After)"),
          },
        },
      },
      "/v1/auth/login": {
        post: {
          summary: "Start a session",
          requestBody: jsonBody(LoginBody),
          responses: {
            "200": jsonResponse("Logged in", "Session"),
            ...commonErrors,
            "401": error("Wrong email or password"),
            "403": error(
              "The account is banned (ACCOUNT_BANNED); the message gives the reason and end",
            ),
            "429": error("Too many attempts (see Retry-After)"),
          },
        },
      },
      "/v1/auth/refresh": {
        post: {
          summary: "Rotate a refresh token",
          description: "Reusing a rotated token revokes every token of its login.",
          requestBody: jsonBody(RefreshBody),
          responses: {
            "200": jsonResponse("New session tokens", "Session"),
            ...commonErrors,
            "401": error("Unknown, expired, rotated or revoked token"),
            "403": error(
              "The account is banned (ACCOUNT_BANNED); the message gives the reason and end",
            ),
            "429": error("Too many attempts (see Retry-After)"),
          },
        },
      },
      "/v1/auth/logout": {
        post: {
          summary: "Revoke a refresh token and its family",
          requestBody: jsonBody(RefreshBody),
          responses: { "204": { description: "Logged out" }, ...commonErrors },
        },
      },
      ...accountOpenApi().paths,
      "/v1/characters": {
        get: {
          summary: "List the account's characters",
          security: bearer,
          responses: {
            "200": jsonResponse("The characters", "CharacterList"),
            "401": error("Missing or invalid token"),
          },
        },
        post: {
          summary: "Create a character",
          security: bearer,
          requestBody: jsonBody(CreateCharacterBody),
          responses: {
            "201": jsonResponse("Created", "Character"),
            ...commonErrors,
            "401": error("Missing or invalid token"),
            "409": error("Name taken or character limit reached"),
          },
        },
      },
      "/v1/characters/{id}": {
        get: {
          summary: "Read one of the account's characters",
          security: bearer,
          parameters: idParam,
          responses: {
            "200": jsonResponse("The character", "Character"),
            "401": error("Missing or invalid token"),
            "404": error("No such character on this account"),
          },
        },
        delete: {
          summary: "Delete one of the account's characters",
          security: bearer,
          parameters: idParam,
          responses: {
            "204": { description: "Deleted" },
            "401": error("Missing or invalid token"),
            "404": error("No such character on this account"),
          },
        },
      },
      ...progressionPaths(),
      ...economy.paths,
      ...social.paths,
      ...worldEvents.paths,
      ...arena.paths,
      "/v1/world/zones": {
        get: {
          summary: "Zones and how many players are in each, across every process",
          description:
            "Open-world zones list their channels (rooms): number, players and the capacity " +
            "at which joins open another channel.",
          responses: { "200": jsonResponse("The zones", "WorldZones") },
        },
      },
      "/v1/world/zones/{id}/map": {
        get: {
          summary: "A zone's geometry for drawing it: tiles, portals, NPCs, spawn point",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": jsonResponse("The zone map", "ZoneMap"),
            "404": error("No such zone"),
          },
        },
      },
      "/v1/world/join": {
        post: {
          summary: "Reserve a seat in the room of the zone where the character stands",
          description:
            "Matchmaking runs server-side; consume the reservation with the Colyseus SDK's " +
            "`client.consumeSeatReservation(reservation)`. In an open-world zone the seat is in " +
            "the channel of the character's party (else guild), else the least full one.",
          security: bearer,
          requestBody: jsonBody(WorldJoinBody),
          responses: {
            "200": jsonResponse("A seat reservation", "WorldJoin"),
            ...commonErrors,
            "401": error("Missing or invalid token"),
            "403": error(
              "The account is banned (ACCOUNT_BANNED); the message gives the reason and end",
            ),
            "404": error("No such character on this account"),
            "409": error("The character is already online (CHARACTER_ONLINE)"),
          },
        },
      },
      "/healthz": {
        get: { summary: "Process alive", responses: { "200": jsonResponse("Alive", "Health") } },
      },
      "/readyz": {
        get: {
          summary: "Database reachable and migrated",
          responses: {
            "200": jsonResponse("Ready", "Health"),
            "503": jsonResponse("Not ready", "Health"),
          },
        },
      },
    },
  };
}

/** Owner-only reads, and item moves while the character is offline. */
function progressionPaths(): Json {
  const read = (summary: string, description: string, ref: string) => ({
    get: {
      summary,
      security: bearer,
      parameters: idParam,
      responses: {
        "200": jsonResponse(description, ref),
        "401": error("Missing or invalid token"),
        "404": error("No such character on this account"),
      },
    },
  });
  const move = (summary: string, body: z.ZodType, conflicts: string) => ({
    post: {
      summary,
      description:
        "Only while the character is offline; in a zone, equipment changes go through the room.",
      security: bearer,
      parameters: idParam,
      requestBody: jsonBody(body),
      responses: {
        "200": jsonResponse("Inventory and equipment after the move", "CharacterInventory"),
        ...commonErrors,
        "401": error("Missing or invalid token"),
        "404": error(
          "No such character on this account (CHARACTER_NOT_FOUND), or no item there (ITEM_NOT_FOUND)",
        ),
        "409": error(conflicts),
      },
    },
  });
  return {
    "/v1/characters/{id}/stats": read(
      "Resolved stats of one of the account's characters",
      "The final snapshot and every contribution and cap behind it",
      "CharacterStats",
    ),
    "/v1/characters/{id}/inventory": read(
      "Inventory, equipment and gold of one of the account's characters",
      "Occupied inventory slots and what is worn",
      "CharacterInventory",
    ),
    "/v1/characters/{id}/quests": read(
      "Quest log of one of the account's characters",
      "Active quests with progress, and completed quest ids",
      "CharacterQuests",
    ),
    "/v1/characters/{id}/equip": move(
      "Equip an item from an inventory slot",
      EquipBody,
      "CHARACTER_ONLINE, ITEM_NOT_EQUIPPABLE, WRONG_SLOT, LEVEL_TOO_LOW, WRONG_JOB or INVENTORY_FULL (no room for the item taken off)",
    ),
    "/v1/characters/{id}/unequip": move(
      "Take off what is worn in an equipment slot",
      UnequipBody,
      "CHARACTER_ONLINE or INVENTORY_FULL",
    ),
  };
}
