import { z } from "zod";
import { EQUIP_SLOTS, type EquipSlot } from "../game/items/equipment.ts";

/**
 * Request and response shapes of the REST API. Routes validate with them and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

export const Password = z.string().min(8).max(128);

export const CredentialsBody = z.strictObject({ email: Email, password: Password });
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(128) });
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(16).max(256) });

export const CHARACTER_NAME = /^[A-Za-z0-9_]{3,16}$/;
export const CreateCharacterBody = z.strictObject({
  name: z.string().regex(CHARACTER_NAME, "must be 3-16 characters of A-Z, a-z, 0-9 or _"),
  race: z.string().min(1).max(32),
  job: z.string().min(1).max(32),
});

export const CharacterId = z.uuid();

export const SessionResponse = z.object({
  accountId: z.uuid(),
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
});

export const Character = z.object({
  id: z.uuid(),
  name: z.string(),
  race: z.string(),
  job: z.string(),
  level: z.number().int(),
  xp: z.number().int(),
  zone: z.string(),
  x: z.number(),
  y: z.number(),
  hp: z.number().int(),
  mp: z.number().int(),
  gold: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const CharacterList = z.object({ characters: z.array(Character) });

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const HealthResponse = z.object({ status: z.enum(["ok", "unavailable"]) });

/** Equipment slot names (the game's EquipSlot values). */
export const EquipSlotName = z.enum(EQUIP_SLOTS as [EquipSlot, ...EquipSlot[]]);

export const EquipBody = z.strictObject({
  /** Inventory slot index of the item to equip. */
  fromSlot: z.number().int().min(0).max(255),
  /** Equipment slot; default: the item's first free fitting slot. */
  toSlot: EquipSlotName.optional(),
});
export const UnequipBody = z.strictObject({ slot: EquipSlotName });

export const CharacterInventory = z.object({
  characterId: z.uuid(),
  size: z.number().int(),
  gold: z.number().int(),
  /** Occupied slots only, in slot order. */
  items: z.array(
    z.object({ slot: z.number().int(), itemId: z.string(), quantity: z.number().int() }),
  ),
  equipment: z.record(EquipSlotName, z.string().nullable()),
});

export const CharacterQuests = z.object({
  characterId: z.uuid(),
  active: z.array(
    z.object({
      questId: z.string(),
      status: z.enum(["active", "ready"]),
      /** Per objective, in the quest's objective order. */
      progress: z.array(z.number().int()),
      /** What each objective needs (empty when content no longer has the quest). */
      required: z.array(z.number().int()),
    }),
  ),
  completed: z.array(z.string()),
});

const StatContribution = z.object({
  dimension: z.string(),
  bucket: z.enum(["FLAT", "MULT", "POST_ADD", "OVERRIDE"]),
  value: z.number(),
  system: z.string(),
  priority: z.number().optional(),
});

const StatCapContribution = z.object({
  dimension: z.string(),
  mode: z.enum(["BASELINE", "ADDITIVE", "OVERRIDE", "HARD_MAX", "HARD_MIN"]),
  kind: z.enum(["max", "min"]),
  value: z.number(),
  system: z.string(),
  scope: z.string().optional(),
  realm: z.string().optional(),
  priority: z.number().optional(),
});

export const CharacterStats = z.object({
  characterId: z.uuid(),
  level: z.number().int(),
  realm: z.string(),
  /** The resolved snapshot, in the Actor Core format. */
  snapshot: z.object({
    Primary: z.record(z.string(), z.number()),
    Derived: z.record(z.string(), z.number()),
    CapsUsed: z.record(z.string(), z.object({ Min: z.number(), Max: z.number() })),
    Version: z.number().int(),
  }),
  /** Every contribution behind the snapshot, by system (for tooltips). */
  contributions: z.array(StatContribution),
  caps: z.array(StatCapContribution),
});

export const WorldJoinBody = z.strictObject({ characterId: z.uuid() });

export const WorldZones = z.object({
  zones: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["town", "field", "instance", "arena"]),
      safe: z.boolean(),
      maxPlayers: z.number().int(),
      players: z.number().int(),
      rooms: z.number().int(),
      /** Open-world zones' channels (rooms), by number; `capacity` is where joins stop. */
      channels: z.array(
        z.object({
          channel: z.number().int().min(1),
          players: z.number().int(),
          capacity: z.number().int(),
        }),
      ),
    }),
  ),
});

/** A Colyseus seat reservation: pass it to `client.consumeSeatReservation()`. */
export const WorldJoinResponse = z.object({
  zone: z.string(),
  reservation: z.looseObject({ sessionId: z.string(), roomId: z.string(), name: z.string() }),
});

const Point = z.object({ x: z.number(), y: z.number() });
export const ZoneMapResponse = z.object({
  id: z.string(),
  name: z.string(),
  width: z.number(),
  height: z.number(),
  tileSize: z.number(),
  /** Rows of the tile grid; `#` is blocked. */
  tiles: z.array(z.string()),
  portals: z.array(
    z.looseObject({
      id: z.string(),
      x: z.number(),
      y: z.number(),
      radius: z.number(),
      targetZone: z.string(),
    }),
  ),
  npcs: z.array(z.looseObject({ id: z.string(), name: z.string(), x: z.number(), y: z.number() })),
  spawn: Point,
});
