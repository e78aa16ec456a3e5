/**
 * Mob behaviour as a state machine: idle → wander (around home) → chase on sight → attack in
 * range (emits an attack intent; damage is resolved by combat elsewhere), keeping pace with a
 * target that walks away → leash home (full heal, no aggro) when dragged beyond the leash radius or
 * the target is lost → idle. Dead mobs respawn at home after `respawnMs`. Deterministic for a
 * given rng sequence.
 */
import { distance, moveToward } from "./movement.ts";
import type { SpatialGrid } from "./spatial-grid.ts";
import { isBlocked, type ZoneGeometry } from "./zone-geometry.ts";
import { MobState, type MobEntity, type WorldRng } from "./world-types.ts";

export const WANDER_SPEED_FACTOR = 0.5;
export const LEASH_SPEED_FACTOR = 1.5;
/** Idle pause before the next wander, in ms: uniform in [min, min + span). */
export const IDLE_MIN_MS = 2000;
export const IDLE_SPAN_MS = 4000;
/** A chasing mob stops at this fraction of its attack range from the target. */
const CHASE_STOP_FRACTION = 0.8;

/** Intents a mob step produces; `handle`s are grid handles. */
export type MobIntent =
  | { readonly type: "attack"; readonly mob: MobEntity; readonly target: number }
  | { readonly type: "aggro"; readonly mob: MobEntity; readonly target: number }
  | { readonly type: "leashed"; readonly mob: MobEntity }
  | { readonly type: "respawned"; readonly mob: MobEntity };

export interface MobContext {
  readonly geometry: ZoneGeometry;
  /** Living players only; positions must be current for this step. */
  readonly playerGrid: SpatialGrid;
  /** Reused query buffer. */
  readonly scratch: number[];
  /** Output: intents are appended here. */
  readonly intents: MobIntent[];
}

/**
 * Advances one mob by `dtMs`, mutating it in place and appending intents to `ctx.intents`.
 * Returns the number of intents appended.
 */
export function stepMob(mob: MobEntity, ctx: MobContext, dtMs: number, rng: WorldRng): number {
  const before = ctx.intents.length;
  mob.cooldownMs = mob.cooldownMs > dtMs ? mob.cooldownMs - dtMs : 0;
  switch (mob.state) {
    case MobState.Dead:
      stepDead(mob, ctx, dtMs, rng);
      break;
    case MobState.Leash:
      stepLeash(mob, ctx, dtMs, rng);
      break;
    case MobState.Idle:
    case MobState.Wander:
      if (acquireTarget(mob, ctx)) stepEngaged(mob, ctx, dtMs);
      else if (mob.state === MobState.Idle) stepIdle(mob, ctx, dtMs, rng);
      else stepWander(mob, ctx, dtMs, rng);
      break;
    case MobState.Chase:
    case MobState.Attack:
      stepEngaged(mob, ctx, dtMs);
      break;
  }
  return ctx.intents.length - before;
}

/** Puts a living mob on `target` (e.g. when a player hits it); ignored while leashing or dead. */
export function provokeMob(mob: MobEntity, target: number, targetGen: number): boolean {
  if (mob.state === MobState.Dead || mob.state === MobState.Leash) return false;
  if (mob.target === target && mob.targetGen === targetGen) return false;
  mob.target = target;
  mob.targetGen = targetGen;
  if (mob.state !== MobState.Attack) mob.state = MobState.Chase;
  return true;
}

/** Marks a mob dead; it respawns at home after its `respawnMs`. */
export function killMob(mob: MobEntity): void {
  mob.state = MobState.Dead;
  mob.hp = 0;
  mob.target = -1;
  mob.stateMs = mob.ai.respawnMs;
}

function stepDead(mob: MobEntity, ctx: MobContext, dtMs: number, rng: WorldRng): void {
  mob.stateMs -= dtMs;
  if (mob.stateMs > 0) return;
  mob.x = mob.homeX;
  mob.y = mob.homeY;
  mob.hp = mob.hpMax;
  mob.cooldownMs = 0;
  becomeIdle(mob, rng);
  ctx.intents.push({ type: "respawned", mob });
}

function stepIdle(mob: MobEntity, ctx: MobContext, dtMs: number, rng: WorldRng): void {
  mob.stateMs -= dtMs;
  if (mob.stateMs > 0) return;
  const angle = rng.next() * 2 * Math.PI;
  const r = Math.sqrt(rng.next()) * mob.ai.wanderRadius;
  const x = mob.homeX + Math.cos(angle) * r;
  const y = mob.homeY + Math.sin(angle) * r;
  if (isBlocked(ctx.geometry, x, y)) {
    becomeIdle(mob, rng);
    return;
  }
  mob.wanderX = x;
  mob.wanderY = y;
  mob.state = MobState.Wander;
}

function stepWander(mob: MobEntity, ctx: MobContext, dtMs: number, rng: WorldRng): void {
  const x0 = mob.x;
  const y0 = mob.y;
  const speed = mob.ai.moveSpeed * WANDER_SPEED_FACTOR;
  const remaining = moveToward(mob, mob.wanderX, mob.wanderY, speed, dtMs, ctx.geometry);
  face(mob, mob.x - x0, mob.y - y0);
  // Arrived, or stuck against a wall.
  if (remaining === 0 || (mob.x === x0 && mob.y === y0)) becomeIdle(mob, rng);
}

function stepLeash(mob: MobEntity, ctx: MobContext, dtMs: number, rng: WorldRng): void {
  const x0 = mob.x;
  const y0 = mob.y;
  const speed = mob.ai.moveSpeed * LEASH_SPEED_FACTOR;
  const remaining = moveToward(mob, mob.homeX, mob.homeY, speed, dtMs, ctx.geometry);
  face(mob, mob.x - x0, mob.y - y0);
  if (remaining === 0 || (mob.x === x0 && mob.y === y0)) {
    // Stuck mobs teleport home so they can never be kited into a permanent evade.
    mob.x = mob.homeX;
    mob.y = mob.homeY;
    becomeIdle(mob, rng);
  }
}

function stepEngaged(mob: MobEntity, ctx: MobContext, dtMs: number): void {
  const grid = ctx.playerGrid;
  const t = mob.target;
  const homeDist = distance(mob.x - mob.homeX, mob.y - mob.homeY);
  if (t < 0 || !grid.has(t) || grid.generation(t) !== mob.targetGen) {
    if (!acquireTarget(mob, ctx)) return startLeash(mob, ctx);
  }
  if (homeDist > mob.ai.leashRadius) return startLeash(mob, ctx);
  const tx = grid.xOf(mob.target);
  const ty = grid.yOf(mob.target);
  const dx = tx - mob.x;
  const dy = ty - mob.y;
  const dist = distance(dx, dy);
  face(mob, dx, dy);
  // Close in to the stop distance even while in range: a mob keeps pace with a target walking
  // away instead of stopping to swing and falling behind (a start and a stop every few ticks).
  const stopAt = mob.ai.attackRange * CHASE_STOP_FRACTION;
  if (dist > stopAt) {
    const gx = tx - (dx / dist) * stopAt;
    const gy = ty - (dy / dist) * stopAt;
    moveToward(mob, gx, gy, mob.ai.moveSpeed, dtMs, ctx.geometry);
  }
  if (distance(tx - mob.x, ty - mob.y) > mob.ai.attackRange) {
    mob.state = MobState.Chase;
    return;
  }
  mob.state = MobState.Attack;
  if (mob.cooldownMs === 0) {
    mob.cooldownMs = mob.ai.attackCooldownMs;
    ctx.intents.push({ type: "attack", mob, target: mob.target });
  }
}

/** Nearest living player within aggro radius (ties: lowest handle); false when none or passive. */
function acquireTarget(mob: MobEntity, ctx: MobContext): boolean {
  if (!(mob.ai.aggroRadius > 0)) return false;
  const grid = ctx.playerGrid;
  const n = grid.queryRadius(mob.x, mob.y, mob.ai.aggroRadius, ctx.scratch);
  let best = -1;
  let bestD2 = Infinity;
  for (let i = 0; i < n; i++) {
    const h = ctx.scratch[i] as number;
    const dx = grid.xOf(h) - mob.x;
    const dy = grid.yOf(h) - mob.y;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2 || (d2 === bestD2 && h < best)) {
      best = h;
      bestD2 = d2;
    }
  }
  if (best < 0) return false;
  const isNew = mob.target !== best || mob.targetGen !== grid.generation(best);
  mob.target = best;
  mob.targetGen = grid.generation(best);
  if (isNew) ctx.intents.push({ type: "aggro", mob, target: best });
  if (mob.state !== MobState.Attack) mob.state = MobState.Chase;
  return true;
}

function startLeash(mob: MobEntity, ctx: MobContext): void {
  mob.state = MobState.Leash;
  mob.target = -1;
  mob.hp = mob.hpMax;
  ctx.intents.push({ type: "leashed", mob });
}

function becomeIdle(mob: MobEntity, rng: WorldRng): void {
  mob.state = MobState.Idle;
  mob.target = -1;
  mob.stateMs = IDLE_MIN_MS + Math.floor(rng.next() * IDLE_SPAN_MS);
}

function face(mob: MobEntity, dx: number, dy: number): void {
  if (dx !== 0 || dy !== 0) mob.dir = Math.atan2(dy, dx);
}
