/**
 * One replicated thing in a zone: player, mob, loot drop or NPC, keyed in `ZoneState.entities` by
 * its network id (see SchemaSync: a player's session id, an NPC's content id, a short counter for
 * mobs and drops); the key is its only id on the wire. Every field goes to every client whose
 * StateView holds the entity. Views are shared by all the clients standing in one interest cell
 * (rooms/cell-views.ts), so nothing here is private to one player: one's own hp, mp, xp, gold,
 * input acknowledgement and cooldowns travel in the `self` message (rooms/self-updates.ts).
 *
 * Every byte here is paid each time the entity enters a view (~24 times a second per client with
 * 100 entities in view), so fields that read as 0 are left unset until they are not 0.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import type { Kind } from "./entity-kind.ts";
import { MAX_WIRE_SPEED } from "./motion.ts";

export const Entity = schema(
  {
    /** `Kind` (schema/entity-kind.ts): 1 player, 2 mob, 3 drop, 4 npc. */
    kind: t.uint8<Kind>(),
    /** Players and NPCs; mobs and drops are named by their template (content). */
    name: t.string(),
    /** Mob template id or item id for drops: picks the sprite and the name. Empty otherwise. */
    templateId: t.string(),
    /**
     * Dead reckoning (schema/motion.ts): where the entity was at server tick `posTick`, in whole
     * world units, and its velocity in units/s since then. The server re-sends the four only
     * when a client's extrapolation would be off by more than a few units, so a walk in a
     * straight line costs one correction instead of a position every tick.
     */
    x: t.int16(),
    y: t.int16(),
    /**
     * Unset until the entity first moves: read unset as 0. One byte each on the wire, in steps
     * of VELOCITY_STEP (3 u/s) up to ±MAX_WIRE_SPEED (schema/motion.ts); the server decides
     * corrections with the stepped velocity, so the drawing error stays within the thresholds.
     */
    vx: t.quantized({ min: -MAX_WIRE_SPEED, max: MAX_WIRE_SPEED, bits: 8 }),
    vy: t.quantized({ min: -MAX_WIRE_SPEED, max: MAX_WIRE_SPEED, bits: 8 }),
    /** Low 8 bits of the server tick `x`/`y` are from (re-sent at least every 10 s). */
    posTick: t.uint8(),
    /**
     * Facing angle in radians (16 directions, 8 bits on the wire), only updated while standing:
     * a moving entity faces along its velocity. Unset reads as 0.
     */
    dir: t.angle({ bits: 8 }),
    /** Players and mobs: hp / hpMax scaled to 0..255 (0 dead, 255 full, 64 steps between). */
    hpRatio: t.uint8(),
    /** Players only (the level cap is 60): a mob's level is its template's. */
    level: t.uint8(),
  },
  "Entity",
);
export type Entity = SchemaType<typeof Entity>;
