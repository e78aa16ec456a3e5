/**
 * The zone world's flat data structures. Entities are plain objects of fixed shape addressed by a
 * small integer handle (index into `World.entities`, key in the spatial grids) and a string id
 * (key in the client-facing state). Positions are world units, times are milliseconds.
 */
import type { SpatialGrid } from "./spatial-grid.ts";
import type { ZoneContent } from "./zone-content.ts";
import type { ZoneGeometry } from "./zone-geometry.ts";

/** The only randomness the world needs: a uniform float in [0, 1). */
export interface WorldRng {
  next(): number;
}

export const EntityKind = { Player: "player", Mob: "mob", Drop: "drop", Npc: "npc" } as const;
export type EntityKind = (typeof EntityKind)[keyof typeof EntityKind];

export const MobState = {
  Idle: "idle",
  Wander: "wander",
  Chase: "chase",
  Attack: "attack",
  Leash: "leash",
  Dead: "dead",
} as const;
export type MobState = (typeof MobState)[keyof typeof MobState];

/** Mob behaviour parameters (the `ai` object of a template in content/mobs.json). */
export interface MobAiParams {
  /** Distance in units at which an idle or wandering mob notices a player. */
  readonly aggroRadius: number;
  /** Distance in units from home beyond which the mob gives up and returns. */
  readonly leashRadius: number;
  /** Chase speed in units/s (wandering uses half, leashing 1.5×). */
  readonly moveSpeed: number;
  /** Distance in units within which the mob can hit its target. */
  readonly attackRange: number;
  readonly attackCooldownMs: number;
  /** Radius in units around home within which the mob wanders. */
  readonly wanderRadius: number;
  readonly respawnMs: number;
}

/** What the world needs from a mob template (content/mobs.json entries fit as they are). */
export interface MobTemplateLike {
  readonly id: string;
  readonly name: string;
  readonly level: number;
  readonly hp: number;
  readonly ai: MobAiParams;
}

export interface PlayerEntity {
  readonly kind: typeof EntityKind.Player;
  readonly handle: number;
  readonly id: string;
  name: string;
  x: number;
  y: number;
  /** Facing angle in radians. */
  dir: number;
  level: number;
  hp: number;
  hpMax: number;
  mp: number;
  mpMax: number;
  /** Owner-only progression copied to the client state; the world never changes them. */
  xp: number;
  gold: number;
  /** Remaining cooldown per skill id in ms, owner-only; maintained by the room / combat. */
  readonly cooldowns: Map<string, number>;
  /** Speed in units/s, from the character's move_speed stat. */
  moveSpeed: number;
  /** Current unit move direction; (0, 0) when stopped. */
  moveX: number;
  moveY: number;
  /** Highest input sequence number applied, echoed to the client for reconciliation. */
  lastProcessedSeq: number;
  /** Handle of the auto-attack target, or -1. */
  attackTarget: number;
  attackTargetGen: number;
  attackRange: number;
  attackCooldownMs: number;
  /** Time in ms until the next auto-attack may land. */
  attackReadyInMs: number;
  /** hp and mp regained per second while alive, from the hp_regen / mp_regen stats. */
  hpRegen: number;
  mpRegen: number;
  /** Fractions of a point regained but not yet applied (hp and mp are whole numbers). */
  regenCarryHp: number;
  regenCarryMp: number;
  dead: boolean;
}

export interface MobEntity {
  readonly kind: typeof EntityKind.Mob;
  readonly handle: number;
  readonly id: string;
  readonly templateId: string;
  readonly spawnId: string;
  readonly name: string;
  readonly level: number;
  x: number;
  y: number;
  dir: number;
  readonly homeX: number;
  readonly homeY: number;
  hp: number;
  readonly hpMax: number;
  readonly ai: MobAiParams;
  state: MobState;
  /** Handle of the chased player or -1, plus the grid generation it was acquired with. */
  target: number;
  targetGen: number;
  /** Time left in the current idle pause (idle) or until respawn (dead), in ms. */
  stateMs: number;
  /** Time in ms until the next attack may land. */
  cooldownMs: number;
  wanderX: number;
  wanderY: number;
}

export interface NpcEntity {
  readonly kind: typeof EntityKind.Npc;
  readonly handle: number;
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

export interface DropEntity {
  readonly kind: typeof EntityKind.Drop;
  readonly handle: number;
  readonly id: string;
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  /** Character id allowed to pick it up, or null for anyone. */
  readonly ownerId: string | null;
  readonly x: number;
  readonly y: number;
  /** Time in ms until the drop vanishes. */
  expiresInMs: number;
}

export type Entity = PlayerEntity | MobEntity | NpcEntity | DropEntity;

export interface World {
  readonly zone: ZoneContent;
  readonly geometry: ZoneGeometry;
  /** Every present entity (players incl. dead ones, living mobs, NPCs, drops): area of interest. */
  readonly grid: SpatialGrid;
  /** Living players only: mob target search. */
  readonly playerGrid: SpatialGrid;
  /** Entity by handle; holes are free handles. */
  readonly entities: (Entity | undefined)[];
  readonly handleById: Map<string, number>;
  readonly players: PlayerEntity[];
  readonly mobs: MobEntity[];
  readonly npcs: NpcEntity[];
  readonly drops: DropEntity[];
  readonly freeHandles: number[];
  nextDropSerial: number;
  /** Simulated time in ms and steps since creation. */
  timeMs: number;
  tick: number;
  /** Character id → team, in worlds where players fight each other (arenas); see hostility.ts. */
  pvpTeams?: Map<string, number>;
}
