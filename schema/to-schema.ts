/**
 * Copies the pure world (src/game/world) into the replicated ZoneState: creates, updates and
 * deletes `Entity` instances, assigning only fields whose value changed so patches stay small.
 */
import type { StateView } from "@colyseus/schema";
import type { Entity as WorldEntity, PlayerEntity, World } from "../src/game/world/world-types.ts";
import { Entity, OWNER_VIEW_TAG } from "./Entity.ts";
import { extrapolate, type Point } from "./motion.ts";
import type { ZoneState } from "./ZoneState.ts";

const HP_RATIO_MAX = 255;

/** Dead reckoning thresholds: how far a client's extrapolation may drift before a correction. */
export const CORRECTION_UNITS = { player: 4, mob: 12 } as const;

/** Keeps one ZoneState in step with one World; call `sync` after every step. */
export class SchemaSync {
  private readonly byHandle: (Entity | undefined)[] = [];
  private readonly generations: number[] = [];
  private readonly unlinked = new Map<string, Entity>();
  /** Per handle: last observed position and time, for the velocity estimate. */
  private readonly seenX: number[] = [];
  private readonly seenY: number[] = [];
  private readonly seenAt: number[] = [];
  private readonly velX: number[] = [];
  private readonly velY: number[] = [];
  /** Per handle: world tick of the last correction sent; -1 forces one. */
  private readonly sentTick: number[] = [];
  private readonly scratch: Point = { x: 0, y: 0 };
  /** Corrections written (x/y/vx/vy/posTick), for benchmarks. */
  corrections = 0;

  readonly state: ZoneState;

  constructor(state: ZoneState) {
    this.state = state;
  }

  /** The schema entity currently standing for world handle `handle`. */
  entityOf(handle: number): Entity | undefined {
    return this.byHandle[handle];
  }

  /**
   * Mirrors every entity present in the world grid (players, living mobs, NPCs, drops). An entity
   * whose handle was freed, reused or re-inserted (mob respawn, player rejoin) is unlinked from
   * its handle but stays in the map until `flushRemovals` runs just before the next patch: if the
   * same id comes back before then (several fixed steps or a join can run between two patches),
   * the same schema instance carries on. Deleting a map key and setting it again within one patch
   * makes @colyseus/schema send the new instance without its fields to views that held the old
   * one (seen as an empty entity).
   */
  sync(world: World): void {
    const { grid, entities } = world;
    const map = this.state.entities;
    const unlinked = this.unlinked;
    if (this.state.tick !== world.tick >>> 0) this.state.tick = world.tick >>> 0;
    const n = Math.max(entities.length, this.byHandle.length);
    for (let h = 0; h < n; h++) {
      const e = entities[h];
      const s = this.byHandle[h];
      if (!s) continue;
      const present = e !== undefined && grid.has(h);
      if (!present || s.id !== e.id || this.generations[h] !== grid.generation(h)) {
        if (map.get(s.id) === s) unlinked.set(s.id, s);
        this.byHandle[h] = undefined;
      }
    }
    for (let h = 0; h < n; h++) {
      const e = entities[h];
      if (e === undefined || !grid.has(h)) continue;
      let s = this.byHandle[h];
      if (!s) {
        s = unlinked.get(e.id);
        if (s) {
          unlinked.delete(e.id);
          if (s.kind !== e.kind) s.kind = e.kind;
        } else {
          s = new Entity();
          s.id = e.id;
          s.kind = e.kind;
          map.set(e.id, s);
        }
        this.byHandle[h] = s;
        this.generations[h] = grid.generation(h);
        this.sentTick[h] = -1;
        this.seenX[h] = e.x;
        this.seenY[h] = e.y;
        this.seenAt[h] = world.timeMs;
        this.velX[h] = 0;
        this.velY[h] = 0;
      }
      this.copyFields(h, s, e, world);
    }
  }

  /** Deletes the entities that left the world and did not come back; call right before a patch. */
  flushRemovals(): void {
    const map = this.state.entities;
    for (const [id, s] of this.unlinked) if (map.get(id) === s) map.delete(id);
    this.unlinked.clear();
  }

  private copyFields(h: number, s: Entity, e: WorldEntity, world: World): void {
    if (s.name !== e.name) s.name = e.name;
    switch (e.kind) {
      case "player":
        this.copyMotion(h, s, e, world, CORRECTION_UNITS.player);
        copyCombatant(s, e.level, e.dead ? 0 : e.hp, e.hpMax, "");
        copyOwnerFields(s, e);
        return;
      case "mob":
        this.copyMotion(h, s, e, world, CORRECTION_UNITS.mob);
        copyCombatant(s, e.level, e.hp, e.hpMax, e.templateId);
        return;
      case "drop":
        this.copyMotion(h, s, e, world, 0);
        copyCombatant(s, 0, 1, 1, e.itemId);
        return;
      case "npc":
        this.copyMotion(h, s, e, world, 0);
        copyCombatant(s, 0, 1, 1, "");
        return;
    }
  }

  /**
   * Sends a correction when the entity stopped, was just linked, or when the client's
   * extrapolation from the last correction is more than `threshold` units off. Facing is only
   * replicated while standing: a moving entity faces along its velocity.
   */
  private copyMotion(
    h: number,
    s: Entity,
    e: { x: number; y: number; dir?: number },
    world: World,
    threshold: number,
  ): void {
    const elapsedMs = world.timeMs - this.seenAt[h]!;
    if (elapsedMs > 0) {
      this.velX[h] = ((e.x - this.seenX[h]!) * 1000) / elapsedMs;
      this.velY[h] = ((e.y - this.seenY[h]!) * 1000) / elapsedMs;
      this.seenX[h] = e.x;
      this.seenY[h] = e.y;
      this.seenAt[h] = world.timeMs;
    }
    const vx = Math.round(this.velX[h]!);
    const vy = Math.round(this.velY[h]!);
    const moving = vx !== 0 || vy !== 0;
    const x = Math.round(e.x);
    const y = Math.round(e.y);
    let due = this.sentTick[h] === -1;
    if (!due && moving) {
      const at = extrapolate(s, world.tick, this.scratch);
      const dx = at.x - e.x;
      const dy = at.y - e.y;
      due = dx * dx + dy * dy > threshold * threshold;
    } else if (!due) {
      // Standing: exact whole units, and no leftover velocity on the client.
      due = s.vx !== 0 || s.vy !== 0 || s.x !== x || s.y !== y;
    }
    if (due) {
      if (s.x !== x) s.x = x;
      if (s.y !== y) s.y = y;
      if (s.vx !== vx) s.vx = vx;
      if (s.vy !== vy) s.vy = vy;
      const posTick = world.tick & 0xffff;
      if (s.posTick !== posTick) s.posTick = posTick;
      this.sentTick[h] = world.tick;
      this.corrections += 1;
    }
    const dir = e.dir ?? 0;
    // Compare on the wire value: the field reads back quantized, never equal to the float.
    if (!moving && angleStep(s.dir) !== angleStep(dir)) s.dir = dir;
  }
}

const ANGLE_STEPS = 256;
function angleStep(radians: number): number {
  const turn = Math.PI * 2;
  return Math.round((((radians % turn) + turn) % turn) * (ANGLE_STEPS / turn)) % ANGLE_STEPS;
}

/**
 * Applies an area-of-interest update (from updateInterest) to a client's view: `left` first, then
 * `entered`. Entities already deleted from the state need no removal: the map delete reaches
 * every view that held them.
 */
export function applyInterestToView(
  view: StateView,
  sync: SchemaSync,
  entered: readonly number[],
  left: readonly number[],
): void {
  for (const h of left) {
    const s = sync.entityOf(h);
    if (s && view.has(s)) view.remove(s);
  }
  for (const h of entered) {
    const s = sync.entityOf(h);
    if (s && !view.has(s)) view.add(s);
  }
}

/** Shows a client its own entity, including the owner-only fields. */
export function addOwnerToView(view: StateView, own: Entity): void {
  view.add(own, OWNER_VIEW_TAG);
}

function copyCombatant(
  s: Entity,
  level: number,
  hp: number,
  hpMax: number,
  templateId: string,
): void {
  if (s.level !== level) s.level = level;
  const ratio = hpMax > 0 ? Math.round((Math.max(0, hp) / hpMax) * HP_RATIO_MAX) : 0;
  const clamped = ratio > HP_RATIO_MAX ? HP_RATIO_MAX : ratio;
  if (s.hpRatio !== clamped) s.hpRatio = clamped;
  if (s.templateId !== templateId) s.templateId = templateId;
}

function copyOwnerFields(s: Entity, p: PlayerEntity): void {
  if (s.hp !== p.hp) s.hp = p.hp;
  if (s.hpMax !== p.hpMax) s.hpMax = p.hpMax;
  if (s.mp !== p.mp) s.mp = p.mp;
  if (s.mpMax !== p.mpMax) s.mpMax = p.mpMax;
  if (s.xp !== p.xp) s.xp = p.xp;
  if (s.gold !== p.gold) s.gold = p.gold;
  if (s.ackSeq !== p.lastProcessedSeq) s.ackSeq = p.lastProcessedSeq;
  const cds = s.cooldowns;
  for (const [skill, ms] of p.cooldowns) if (cds.get(skill) !== ms) cds.set(skill, ms);
  // Every world key is now in the schema map, so a larger map means stale keys.
  if (cds.size > p.cooldowns.size) {
    for (const key of [...cds.keys()]) if (!p.cooldowns.has(key)) cds.delete(key);
  }
}
