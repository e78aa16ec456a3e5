/**
 * Building a zone world and adding/removing entities. All functions mutate the given world in
 * place; expected refusals (zone full, duplicate id) come back as values.
 */
import { distance } from "./movement.ts";
import { SpatialGrid } from "./spatial-grid.ts";
import type { ZoneContent } from "./zone-content.ts";
import { compileGeometry, isBlocked } from "./zone-geometry.ts";
import {
  EntityKind,
  MobState,
  type DropEntity,
  type Entity,
  type MobEntity,
  type MobTemplateLike,
  type PlayerEntity,
  type World,
  type WorldRng,
} from "./world-types.ts";

/** Spatial grid cell edge in units: about a third of a typical 400-unit view radius. */
export const GRID_CELL_SIZE = 128;
const SPAWN_PLACEMENT_TRIES = 8;

/** Creates the world for `zone`, spawning its NPCs and every mob of its spawn points. */
export function createWorld(
  zone: ZoneContent,
  mobTemplate: (mobId: string) => MobTemplateLike | undefined,
  rng: WorldRng,
): World {
  const geometry = compileGeometry(zone);
  const world: World = {
    zone,
    geometry,
    grid: new SpatialGrid(zone.width, zone.height, GRID_CELL_SIZE),
    playerGrid: new SpatialGrid(zone.width, zone.height, GRID_CELL_SIZE),
    entities: [],
    handleById: new Map(),
    players: [],
    mobs: [],
    npcs: [],
    drops: [],
    freeHandles: [],
    nextDropSerial: 1,
    timeMs: 0,
    tick: 0,
  };
  for (const npc of zone.npcs) {
    const handle = allocate(world, npc.id);
    const entity = { kind: EntityKind.Npc, handle, id: npc.id, name: npc.name, x: npc.x, y: npc.y };
    register(world, entity);
    world.npcs.push(entity);
  }
  for (const spawn of zone.mobSpawns) {
    const template = mobTemplate(spawn.mobId);
    if (!template) throw new Error(`zone "${zone.id}": unknown mob "${spawn.mobId}"`);
    for (let i = 0; i < spawn.count; i++) {
      const [x, y] = pickSpawnPoint(world, spawn.x, spawn.y, spawn.radius, rng);
      addMob(world, template, `${spawn.id}:${i}`, spawn.id, x, y, rng);
    }
  }
  return world;
}

/** Adds one mob homed at (x, y) units; used by createWorld and by tests/benchmarks. */
export function addMob(
  world: World,
  template: MobTemplateLike,
  id: string,
  spawnId: string,
  x: number,
  y: number,
  rng: WorldRng,
): MobEntity {
  const handle = allocate(world, id);
  const mob: MobEntity = {
    kind: EntityKind.Mob,
    handle,
    id,
    templateId: template.id,
    spawnId,
    name: template.name,
    level: template.level,
    x,
    y,
    dir: 0,
    homeX: x,
    homeY: y,
    hp: template.hp,
    hpMax: template.hp,
    ai: template.ai,
    state: MobState.Idle,
    target: -1,
    targetGen: 0,
    stateMs: Math.floor(rng.next() * 3000),
    cooldownMs: 0,
    wanderX: x,
    wanderY: y,
  };
  register(world, mob);
  world.mobs.push(mob);
  return mob;
}

/** Removes a mob for good, dead or alive (an event boss leaving); returns it or undefined. */
export function removeMob(world: World, id: string): MobEntity | undefined {
  const entity = entityById(world, id);
  if (entity?.kind !== EntityKind.Mob) return undefined;
  unregister(world, entity, world.mobs);
  return entity;
}

/** What the room knows about a character when it enters the zone. */
export interface PlayerInit {
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly level: number;
  readonly hp: number;
  readonly hpMax: number;
  readonly mp: number;
  readonly mpMax: number;
  readonly xp?: number;
  readonly gold?: number;
  /** units/s */
  readonly moveSpeed: number;
  /** units */
  readonly attackRange: number;
  readonly attackCooldownMs: number;
  /** hp and mp regained per second while alive (hp_regen / mp_regen stats); 0 when omitted. */
  readonly hpRegen?: number;
  readonly mpRegen?: number;
}

export type AddPlayerResult =
  { ok: true; player: PlayerEntity } | { ok: false; reason: "zoneFull" | "duplicateId" };

/** Adds a player at (x, y), or at the zone spawn point when that spot is blocked or outside. */
export function addPlayer(world: World, init: PlayerInit): AddPlayerResult {
  if (world.players.length >= world.zone.maxPlayers) return { ok: false, reason: "zoneFull" };
  if (world.handleById.has(init.id)) return { ok: false, reason: "duplicateId" };
  const placeable = isBlocked(world.geometry, init.x, init.y) === false;
  const handle = allocate(world, init.id);
  const player: PlayerEntity = {
    kind: EntityKind.Player,
    handle,
    id: init.id,
    name: init.name,
    x: placeable ? init.x : world.zone.spawn.x,
    y: placeable ? init.y : world.zone.spawn.y,
    dir: 0,
    level: init.level,
    hp: init.hp,
    hpMax: init.hpMax,
    mp: init.mp,
    mpMax: init.mpMax,
    xp: init.xp ?? 0,
    gold: init.gold ?? 0,
    cooldowns: new Map(),
    moveSpeed: init.moveSpeed,
    moveX: 0,
    moveY: 0,
    lastProcessedSeq: 0,
    attackTarget: -1,
    attackTargetGen: 0,
    attackRange: init.attackRange,
    attackCooldownMs: init.attackCooldownMs,
    attackReadyInMs: 0,
    hpRegen: init.hpRegen ?? 0,
    mpRegen: init.mpRegen ?? 0,
    regenCarryHp: 0,
    regenCarryMp: 0,
    dead: init.hp <= 0,
  };
  register(world, player);
  if (!player.dead) world.playerGrid.insert(handle, player.x, player.y);
  world.players.push(player);
  return { ok: true, player };
}

/** Brings a dead player back with full hp at (x, y) units (e.g. the zone spawn point). */
export function revivePlayer(world: World, player: PlayerEntity, x: number, y: number): void {
  player.x = x;
  player.y = y;
  player.hp = player.hpMax;
  player.dead = false;
  world.grid.move(player.handle, x, y);
  if (!world.playerGrid.has(player.handle)) world.playerGrid.insert(player.handle, x, y);
  else world.playerGrid.move(player.handle, x, y);
}

/**
 * Moves a player to (x, y) units at once, dead or alive (an operator's teleport); it stops
 * walking. False, and nothing moves, when the spot is blocked or outside the zone.
 */
export function teleportPlayer(world: World, player: PlayerEntity, x: number, y: number): boolean {
  if (isBlocked(world.geometry, x, y)) return false;
  player.x = x;
  player.y = y;
  player.moveX = 0;
  player.moveY = 0;
  world.grid.move(player.handle, x, y);
  if (world.playerGrid.has(player.handle)) world.playerGrid.move(player.handle, x, y);
  return true;
}

/** Removes a player (leave, transfer); returns the removed entity or undefined. */
export function removePlayer(world: World, id: string): PlayerEntity | undefined {
  const entity = entityById(world, id);
  if (entity?.kind !== EntityKind.Player) return undefined;
  world.playerGrid.remove(entity.handle);
  unregister(world, entity, world.players);
  return entity;
}

export interface DropInit {
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  readonly ownerId: string | null;
  readonly x: number;
  readonly y: number;
  readonly ttlMs: number;
}

/** Places a loot drop on the ground (ids are `drop:<serial>`). */
export function addDrop(world: World, init: DropInit): DropEntity {
  const id = `drop:${world.nextDropSerial++}`;
  const handle = allocate(world, id);
  const drop: DropEntity = {
    kind: EntityKind.Drop,
    handle,
    id,
    itemId: init.itemId,
    name: init.name,
    quantity: init.quantity,
    ownerId: init.ownerId,
    x: init.x,
    y: init.y,
    expiresInMs: init.ttlMs,
  };
  register(world, drop);
  world.drops.push(drop);
  return drop;
}

/** Removes a drop (picked up or expired); returns it or undefined. */
export function removeDrop(world: World, id: string): DropEntity | undefined {
  const entity = entityById(world, id);
  if (entity?.kind !== EntityKind.Drop) return undefined;
  unregister(world, entity, world.drops);
  return entity;
}

export function entityById(world: World, id: string): Entity | undefined {
  const handle = world.handleById.get(id);
  return handle === undefined ? undefined : world.entities[handle];
}

/** Euclidean distance between two positioned things, in units. */
export function distanceBetween(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return distance(a.x - b.x, a.y - b.y);
}

function allocate(world: World, id: string): number {
  if (world.handleById.has(id)) throw new Error(`duplicate entity id "${id}"`);
  return world.freeHandles.pop() ?? world.entities.length;
}

function register(world: World, entity: Entity): void {
  world.entities[entity.handle] = entity;
  world.handleById.set(entity.id, entity.handle);
  world.grid.insert(entity.handle, entity.x, entity.y);
}

function unregister<T extends Entity>(world: World, entity: T, list: T[]): void {
  world.grid.remove(entity.handle);
  world.entities[entity.handle] = undefined;
  world.handleById.delete(entity.id);
  world.freeHandles.push(entity.handle);
  const i = list.indexOf(entity);
  if (i >= 0) list.splice(i, 1);
}

function pickSpawnPoint(
  world: World,
  cx: number,
  cy: number,
  radius: number,
  rng: WorldRng,
): [number, number] {
  for (let i = 0; i < SPAWN_PLACEMENT_TRIES; i++) {
    const angle = rng.next() * 2 * Math.PI;
    const r = Math.sqrt(rng.next()) * radius;
    const x = cx + Math.cos(angle) * r;
    const y = cy + Math.sin(angle) * r;
    if (!isBlocked(world.geometry, x, y)) return [x, y];
  }
  return [cx, cy];
}
