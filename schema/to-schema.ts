/**
 * Copies the pure world (src/game/world) into the replicated ZoneState: creates, updates and
 * deletes `Entity` instances, assigning only fields whose value changed so patches stay small.
 */
import type { StateView } from "@colyseus/schema";
import type { Entity as WorldEntity, World } from "../src/game/world/world-types.ts";
import { Entity } from "./Entity.ts";
import { kindCode } from "./entity-kind.ts";
import {
  extrapolate,
  POS_TICK_MASK,
  POS_TICK_REFRESH,
  STATE_TICK_MASK,
  wireVelocity,
  type Point,
} from "./motion.ts";
import type { ZoneState } from "./ZoneState.ts";

const HP_RATIO_MAX = 255;
/** Health bars move in 64 steps: regeneration a point at a time does not re-send the ratio. */
const HP_BAR_STEPS = 64;

/** hp / hpMax on the wire: 0 only when dead, 255 only when full, else 64 steps in between. */
export function hpRatio(hp: number, hpMax: number): number {
  if (!(hpMax > 0) || hp <= 0) return 0;
  if (hp >= hpMax) return HP_RATIO_MAX;
  const step = Math.min(HP_BAR_STEPS - 1, Math.max(1, Math.round((hp / hpMax) * HP_BAR_STEPS)));
  return Math.round((step * HP_RATIO_MAX) / HP_BAR_STEPS);
}

/** Dead reckoning thresholds: how far a client's extrapolation may drift before a correction. */
export const CORRECTION_UNITS = { player: 4, mob: 12 } as const;

/**
 * The key an entity gets in `ZoneState.entities` (its network id). Players are keyed by their
 * Colyseus session id (a client finds itself at `state.entities.get(room.sessionId)`), NPCs by
 * their content id, mobs and drops by a short base-36 counter that is never reused in a room: a
 * respawned mob is a new key. Short keys matter: every entity entering a view carries its key, and
 * a character id is a 36-character UUID.
 */
export type PlayerKeyOf = (characterId: string) => string | undefined;

/** Keeps one ZoneState in step with one World; call `sync` after every step. */
export class SchemaSync {
  private readonly byHandle: (Entity | undefined)[] = [];
  private readonly generations: number[] = [];
  /** Per handle: world id of the linked entity. */
  private readonly worldIds: string[] = [];
  /** Network key ⇄ world id of every entity in the map (unlinked ones until flushRemovals). */
  private readonly keyById = new Map<string, string>();
  private readonly idByKey = new Map<string, string>();
  /** World id → network key of entities unlinked since the last patch (they may come back). */
  private readonly unlinked = new Map<string, string>();
  /** Keys to delete at the next patch whose world id came back under another key. */
  private readonly replaced: { id: string; key: string }[] = [];
  private nextKey = 0;
  /** Per handle: last observed position and time, for the velocity estimate. */
  private readonly seenX: number[] = [];
  private readonly seenY: number[] = [];
  private readonly seenAt: number[] = [];
  private readonly velX: number[] = [];
  private readonly velY: number[] = [];
  /** Per handle: world tick of the last correction sent; -1 forces one. */
  private readonly sentTick: number[] = [];
  /** Per player handle: the last input seq applied as of the latest position sent. */
  private readonly ackedSeq: number[] = [];
  private readonly scratch: Point = { x: 0, y: 0 };
  /** Corrections written (x/y/vx/vy/posTick), for benchmarks. */
  corrections = 0;

  readonly state: ZoneState;
  private readonly playerKeyOf: PlayerKeyOf;

  constructor(state: ZoneState, playerKeyOf: PlayerKeyOf = () => undefined) {
    this.state = state;
    this.playerKeyOf = playerKeyOf;
  }

  /** The schema entity currently standing for world handle `handle`. */
  entityOf(handle: number): Entity | undefined {
    return this.byHandle[handle];
  }

  /** The network key of the entity linked to world handle `handle`. */
  keyOfHandle(handle: number): string | undefined {
    return this.byHandle[handle] ? this.keyById.get(this.worldIds[handle]!) : undefined;
  }

  /**
   * The last input `seq` applied to player `handle` as of the latest position it was sent with (a
   * correction, or standing): clients reconcile their prediction against a position, so an
   * acknowledgement is only worth sending once its position is on the wire.
   */
  ackedSeqOf(handle: number): number {
    return this.byHandle[handle] ? (this.ackedSeq[handle] ?? 0) : 0;
  }

  /** The network key of world entity `id`, while it is in the map. */
  keyOf(id: string): string | undefined {
    return this.keyById.get(id);
  }

  /** The world id behind network key `key`, while it is in the map. */
  idOf(key: string): string | undefined {
    return this.idByKey.get(key);
  }

  /**
   * Mirrors every entity present in the world grid (players, living mobs, NPCs, drops). An entity
   * whose handle was freed, reused or re-inserted (mob respawn, player rejoin) is unlinked from
   * its handle but stays in the map until `flushRemovals` runs just before the next patch: if the
   * same world id comes back before then (several fixed steps or a join can run between two
   * patches), the same key and schema instance carry on. Deleting a map key and setting it again
   * within one patch makes @colyseus/schema send the new instance without its fields to views
   * that held the old one (seen as an empty entity).
   */
  sync(world: World): void {
    const { grid, entities } = world;
    const tick = world.tick & STATE_TICK_MASK;
    if (this.state.tick !== tick) this.state.tick = tick;
    const n = Math.max(entities.length, this.byHandle.length);
    for (let h = 0; h < n; h++) {
      const e = entities[h];
      if (!this.byHandle[h]) continue;
      const id = this.worldIds[h]!;
      const present = e !== undefined && grid.has(h);
      if (!present || id !== e.id || this.generations[h] !== grid.generation(h)) {
        const key = this.keyById.get(id);
        if (key !== undefined) this.unlinked.set(id, key);
        this.byHandle[h] = undefined;
      }
    }
    for (let h = 0; h < n; h++) {
      const e = entities[h];
      if (e === undefined || !grid.has(h)) continue;
      let s = this.byHandle[h];
      if (!s) {
        s = this.link(e);
        this.byHandle[h] = s;
        this.worldIds[h] = e.id;
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
    for (const [id, key] of this.unlinked) this.remove(id, key);
    for (const { id, key } of this.replaced) this.remove(id, key);
    this.unlinked.clear();
    this.replaced.length = 0;
  }

  private remove(id: string, key: string): void {
    this.state.entities.delete(key);
    this.idByKey.delete(key);
    if (this.keyById.get(id) === key) this.keyById.delete(id);
  }

  /** The schema instance for a newly linked world entity: the unlinked one it was, or a new one. */
  private link(e: WorldEntity): Entity {
    const wanted =
      e.kind === "player" ? this.playerKeyOf(e.id) : e.kind === "npc" ? e.id : undefined;
    const back = this.unlinked.get(e.id);
    if (back !== undefined) {
      this.unlinked.delete(e.id);
      // A player back under a new session is keyed by the new session id: the old key goes.
      if (e.kind !== "player" || wanted === undefined || wanted === back) {
        const s = this.state.entities.get(back)!;
        const kind = kindCode(e.kind);
        if (s.kind !== kind) s.kind = kind;
        return s;
      }
      this.replaced.push({ id: e.id, key: back });
    }
    const key = this.newKey(wanted);
    const s = new Entity();
    s.kind = kindCode(e.kind);
    this.keyById.set(e.id, key);
    this.idByKey.set(key, e.id);
    this.state.entities.set(key, s);
    return s;
  }

  private newKey(wanted: string | undefined): string {
    if (wanted !== undefined && !this.idByKey.has(wanted)) return wanted;
    let key: string;
    do key = (this.nextKey++).toString(36);
    while (this.idByKey.has(key));
    return key;
  }

  private copyFields(h: number, s: Entity, e: WorldEntity, world: World): void {
    switch (e.kind) {
      case "player": {
        if (s.name !== e.name) s.name = e.name;
        const motion = this.copyMotion(h, s, e, world, CORRECTION_UNITS.player);
        if (s.level !== e.level) s.level = e.level;
        copyHp(s, e.dead ? 0 : e.hp, e.hpMax);
        if (motion !== MotionSent.None) this.ackedSeq[h] = e.lastProcessedSeq;
        return;
      }
      case "mob":
        this.copyMotion(h, s, e, world, CORRECTION_UNITS.mob);
        copyHp(s, e.hp, e.hpMax);
        if (s.templateId !== e.templateId) s.templateId = e.templateId;
        return;
      case "drop":
        this.copyMotion(h, s, e, world, 0);
        if (s.templateId !== e.itemId) s.templateId = e.itemId;
        return;
      case "npc":
        if (s.name !== e.name) s.name = e.name;
        this.copyMotion(h, s, e, world, 0);
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
  ): MotionSent {
    const elapsedMs = world.timeMs - this.seenAt[h]!;
    if (elapsedMs > 0) {
      this.velX[h] = ((e.x - this.seenX[h]!) * 1000) / elapsedMs;
      this.velY[h] = ((e.y - this.seenY[h]!) * 1000) / elapsedMs;
      this.seenX[h] = e.x;
      this.seenY[h] = e.y;
      this.seenAt[h] = world.timeMs;
    }
    // As the wire carries it, so the extrapolation checked below is the clients'.
    const vx = wireVelocity(this.velX[h]!);
    const vy = wireVelocity(this.velY[h]!);
    const moving = vx !== 0 || vy !== 0;
    const x = Math.round(e.x);
    const y = Math.round(e.y);
    // posTick is 8 bits: a correction at least every POS_TICK_REFRESH ticks keeps it unambiguous.
    let due =
      this.sentTick[h] === -1 || (moving && world.tick - this.sentTick[h]! >= POS_TICK_REFRESH);
    if (!due && moving) {
      const at = extrapolate(s, world.tick, this.scratch);
      const dx = at.x - e.x;
      const dy = at.y - e.y;
      due = dx * dx + dy * dy > threshold * threshold;
    } else if (!due) {
      // Standing: exact whole units, and no leftover velocity on the client.
      due = (s.vx ?? 0) !== 0 || (s.vy ?? 0) !== 0 || s.x !== x || s.y !== y;
    }
    if (due) {
      if (s.x !== x) s.x = x;
      if (s.y !== y) s.y = y;
      // Unset reads as 0 on clients: an entity that entered standing carries no velocity bytes.
      // The schema holds the dequantized float (180.00000000000003 for 180): compare steps.
      if (wireVelocity(s.vx ?? 0) !== vx) s.vx = vx;
      if (wireVelocity(s.vy ?? 0) !== vy) s.vy = vy;
      const posTick = world.tick & POS_TICK_MASK;
      if (s.posTick !== posTick) s.posTick = posTick;
      this.sentTick[h] = world.tick;
      this.corrections += 1;
    }
    if (moving) return due ? MotionSent.Correction : MotionSent.None;
    const dir = facingStep(e.dir ?? 0);
    if (dir !== 0 || s.dir !== undefined) {
      const radians = dir * FACING_RADIANS;
      if (s.dir === undefined || facingStep(s.dir) !== dir) s.dir = radians;
    }
    return MotionSent.Standing;
  }
}

/**
 * Facing goes out in 16 steps (22.5°): enough for sprites, and a mob in melee with a player who
 * circles it turns a step every few ticks instead of every tick. Unset reads as 0 (east).
 */
export const FACING_STEPS = 16;
const FACING_RADIANS = (Math.PI * 2) / FACING_STEPS;
function facingStep(radians: number): number {
  const turn = Math.PI * 2;
  return Math.round((((radians % turn) + turn) % turn) / FACING_RADIANS) % FACING_STEPS;
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

function copyHp(s: Entity, hp: number, hpMax: number): void {
  const ratio = hpRatio(hp, hpMax);
  if (s.hpRatio !== ratio) s.hpRatio = ratio;
}

/**
 * What copyMotion did: a moving entity whose extrapolation still holds got no correction this
 * tick, so its client has no new position to reconcile an input acknowledgement against.
 */
const MotionSent = { Standing: 0, Correction: 1, None: 2 } as const;
type MotionSent = (typeof MotionSent)[keyof typeof MotionSent];
