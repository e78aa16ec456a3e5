/**
 * Copies the pure world (src/game/world) into the replicated ZoneState: creates, updates and
 * deletes `Entity` instances, assigning only fields whose value changed so patches stay small.
 */
import type { StateView } from "@colyseus/schema";
import type { Entity as WorldEntity, PlayerEntity, World } from "../src/game/world/world-types.ts";
import { Entity, OWNER_VIEW_TAG } from "./Entity.ts";
import type { ZoneState } from "./ZoneState.ts";

const HP_RATIO_MAX = 255;

/** Keeps one ZoneState in step with one World; call `sync` once per patch, after the step. */
export class SchemaSync {
  private readonly byHandle: (Entity | undefined)[] = [];
  private readonly generations: number[] = [];
  private readonly unlinked = new Map<string, Entity>();

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
      }
      copyFields(s, e);
    }
  }

  /** Deletes the entities that left the world and did not come back; call right before a patch. */
  flushRemovals(): void {
    const map = this.state.entities;
    for (const [id, s] of this.unlinked) if (map.get(id) === s) map.delete(id);
    this.unlinked.clear();
  }
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

function copyFields(s: Entity, e: WorldEntity): void {
  if (s.name !== e.name) s.name = e.name;
  // Compare rounded values: a float that moved less than a unit must not cost a patch.
  const x = Math.round(e.x);
  const y = Math.round(e.y);
  if (s.x !== x) s.x = x;
  if (s.y !== y) s.y = y;
  switch (e.kind) {
    case "player":
      copyCombatant(s, e.dir, e.level, e.dead ? 0 : e.hp, e.hpMax, "");
      copyOwnerFields(s, e);
      return;
    case "mob":
      copyCombatant(s, e.dir, e.level, e.hp, e.hpMax, e.templateId);
      return;
    case "drop":
      copyCombatant(s, 0, 0, 1, 1, e.itemId);
      return;
    case "npc":
      copyCombatant(s, 0, 0, 1, 1, "");
      return;
  }
}

function copyCombatant(
  s: Entity,
  dir: number,
  level: number,
  hp: number,
  hpMax: number,
  templateId: string,
): void {
  if (s.dir !== dir) s.dir = dir;
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
