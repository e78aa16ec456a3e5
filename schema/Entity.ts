/**
 * One replicated thing in a zone: player, mob, loot drop or NPC. Public fields go to every client
 * whose StateView holds the entity; fields declared with `.view(OWNER_VIEW_TAG)` only to the view
 * that added the entity with that tag (its owner): `view.add(entity, OWNER_VIEW_TAG)`.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

/** View tag for owner-only fields (a power of two, as @colyseus/schema view tags must be). */
export const OWNER_VIEW_TAG = 1;

export const EntityKind = { Player: "player", Mob: "mob", Drop: "drop", Npc: "npc" } as const;
export type EntityKind = (typeof EntityKind)[keyof typeof EntityKind];

export const Entity = schema(
  {
    id: t.string(),
    kind: t.string<EntityKind>(),
    name: t.string(),
    /** Mob template id or item id for drops: picks the sprite. Empty for players and NPCs. */
    templateId: t.string(),
    /**
     * Dead reckoning (schema/motion.ts): where the entity was at server tick `posTick`, in whole
     * world units, and its velocity in units/s since then. The server re-sends the four only
     * when a client's extrapolation would be off by more than a few units, so a walk in a
     * straight line costs one correction instead of a position every tick.
     */
    x: t.int16(),
    y: t.int16(),
    vx: t.int16(),
    vy: t.int16(),
    /** Low 16 bits of the server tick `x`/`y` are from. */
    posTick: t.uint16(),
    /** Facing angle in radians, 8 bits on the wire; while moving, face along the velocity. */
    dir: t.angle({ bits: 8 }),
    /** hp / hpMax scaled to 0..255. */
    hpRatio: t.uint8(),
    level: t.uint16(),

    hp: t.uint32().view(OWNER_VIEW_TAG),
    hpMax: t.uint32().view(OWNER_VIEW_TAG),
    mp: t.uint32().view(OWNER_VIEW_TAG),
    mpMax: t.uint32().view(OWNER_VIEW_TAG),
    xp: t.float64().view(OWNER_VIEW_TAG),
    gold: t.float64().view(OWNER_VIEW_TAG),
    /** Last input `seq` the server applied, for client-side prediction reconciliation. */
    ackSeq: t.uint32().view(OWNER_VIEW_TAG),
    /** Remaining cooldown per skill id, in ms. */
    cooldowns: t.map("number").view(OWNER_VIEW_TAG),
  },
  "Entity",
);
export type Entity = SchemaType<typeof Entity>;
