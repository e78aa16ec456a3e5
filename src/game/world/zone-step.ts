/**
 * The fixed-tick zone step. It MUTATES the world in place (no copy per tick, for speed) and
 * returns the events of this step: queued player inputs are applied in order, players move, players
 * auto-attack, mobs think and attack, drops expire, then the clock advances by `dtMs`.
 */
import { applyDamage, isDead, type Combatant } from "./damage.ts";
import { canHarm } from "./hostility.ts";
import { stepMob, type MobContext, type MobIntent } from "./mob-ai.ts";
import { distance, integrateMove } from "./movement.ts";
import { applyInput, type PlayerInput } from "./player-input.ts";
import type { WorldEvent } from "./world-events.ts";
import { EntityKind, type PlayerEntity, type World, type WorldRng } from "./world-types.ts";
import { removeDrop } from "./world.ts";

export type { PlayerInput } from "./player-input.ts";

export interface AttackOutcome {
  readonly hit: boolean;
  /** Damage before it is clamped to the target's remaining hp. */
  readonly damage: number;
  readonly crit: boolean;
}

/** Rules injected by the room (real combat module) or by tests (defaults below). */
export interface StepHooks {
  resolveAttack(attacker: Combatant, target: Combatant, rng: WorldRng): AttackOutcome;
}

/** Test default: always hits for 5 + 2 × attacker level. */
export const defaultStepHooks: StepHooks = {
  resolveAttack: (attacker) => ({ hit: true, damage: 5 + 2 * attacker.level, crit: false }),
};

export interface StepResult {
  readonly events: WorldEvent[];
}

/** Reusable per-world buffers so a step does not allocate per mob. */
interface StepScratch {
  readonly mobCtx: MobContext;
  readonly dir: { x: number; y: number };
}
const scratchByWorld = new WeakMap<World, StepScratch>();

/** Advances `world` by `dtMs` ms (mutating it) applying `inputs` in order; returns the events. */
export function stepZone(
  world: World,
  inputs: readonly PlayerInput[],
  dtMs: number,
  rng: WorldRng,
  hooks: StepHooks = defaultStepHooks,
): StepResult {
  const events: WorldEvent[] = [];
  const scratch = scratchFor(world);
  for (const input of inputs) applyInput(world, input, scratch.dir, events);
  movePlayers(world, dtMs);
  regenerate(world, dtMs);
  playerAttacks(world, dtMs, rng, hooks, events);
  stepMobs(world, scratch.mobCtx, dtMs, rng, hooks, events);
  expireDrops(world, dtMs, events);
  world.timeMs += dtMs;
  world.tick += 1;
  return { events };
}

function scratchFor(world: World): StepScratch {
  let s = scratchByWorld.get(world);
  if (!s) {
    const mobCtx = {
      geometry: world.geometry,
      playerGrid: world.playerGrid,
      scratch: [],
      intents: [],
    };
    s = { mobCtx, dir: { x: 0, y: 0 } };
    scratchByWorld.set(world, s);
  }
  return s;
}

function movePlayers(world: World, dtMs: number): void {
  const { players, geometry, grid, playerGrid } = world;
  for (let i = 0; i < players.length; i++) {
    const p = players[i] as PlayerEntity;
    if (p.dead || (p.moveX === 0 && p.moveY === 0)) continue;
    if (integrateMove(p, p.moveX, p.moveY, p.moveSpeed, dtMs, geometry) > 0) {
      grid.move(p.handle, p.x, p.y);
      playerGrid.move(p.handle, p.x, p.y);
    }
  }
}

/** Living players regain hp and mp at their regen rates, in whole points, up to their maxima. */
function regenerate(world: World, dtMs: number): void {
  const { players } = world;
  for (let i = 0; i < players.length; i++) {
    const p = players[i] as PlayerEntity;
    if (p.dead) continue;
    regain(p.hp, p.hpMax, p.hpRegen, p.regenCarryHp, dtMs);
    p.hp = regained.value;
    p.regenCarryHp = regained.carry;
    regain(p.mp, p.mpMax, p.mpRegen, p.regenCarryMp, dtMs);
    p.mp = regained.value;
    p.regenCarryMp = regained.carry;
  }
}

/** Out-parameter of `regain` (one per module: the step is synchronous). */
const regained = { value: 0, carry: 0 };

/** Adds `rate` per second for `dtMs` to `value`, whole points only; the fraction carries over. */
function regain(value: number, max: number, rate: number, carry: number, dtMs: number): void {
  if (value >= max || rate <= 0) {
    regained.value = value;
    regained.carry = 0;
    return;
  }
  const total = carry + (rate * dtMs) / 1000;
  const whole = Math.floor(total);
  regained.value = Math.min(max, value + whole);
  regained.carry = total - whole;
}

function playerAttacks(
  world: World,
  dtMs: number,
  rng: WorldRng,
  hooks: StepHooks,
  events: WorldEvent[],
): void {
  const { players, entities, grid } = world;
  for (let i = 0; i < players.length; i++) {
    const p = players[i] as PlayerEntity;
    p.attackReadyInMs = p.attackReadyInMs > dtMs ? p.attackReadyInMs - dtMs : 0;
    if (p.dead || p.attackTarget < 0) continue;
    const target = entities[p.attackTarget];
    if (
      target === undefined ||
      (target.kind !== EntityKind.Mob && target.kind !== EntityKind.Player) ||
      !canHarm(world, p.id, target) ||
      isDead(target) ||
      grid.generation(target.handle) !== p.attackTargetGen
    ) {
      p.attackTarget = -1;
      continue;
    }
    if (p.attackReadyInMs > 0) continue;
    if (distance(target.x - p.x, target.y - p.y) > p.attackRange) continue;
    p.attackReadyInMs = p.attackCooldownMs;
    p.dir = Math.atan2(target.y - p.y, target.x - p.x);
    resolve(world, p, target, rng, hooks, events);
  }
}

function stepMobs(
  world: World,
  ctx: MobContext,
  dtMs: number,
  rng: WorldRng,
  hooks: StepHooks,
  events: WorldEvent[],
): void {
  const { mobs, grid, entities } = world;
  const intents = ctx.intents;
  for (let i = 0; i < mobs.length; i++) {
    const mob = mobs[i]!;
    intents.length = 0;
    stepMob(mob, ctx, dtMs, rng);
    if (grid.has(mob.handle)) grid.move(mob.handle, mob.x, mob.y);
    for (let k = 0; k < intents.length; k++) {
      handleIntent(world, intents[k] as MobIntent, entities, rng, hooks, events);
    }
  }
  intents.length = 0;
}

function handleIntent(
  world: World,
  intent: MobIntent,
  entities: World["entities"],
  rng: WorldRng,
  hooks: StepHooks,
  events: WorldEvent[],
): void {
  const mob = intent.mob;
  switch (intent.type) {
    case "attack": {
      const target = entities[intent.target];
      if (target?.kind === EntityKind.Player) resolve(world, mob, target, rng, hooks, events);
      return;
    }
    case "aggro": {
      const target = entities[intent.target];
      if (target) events.push({ type: "aggro", id: mob.id, targetId: target.id });
      return;
    }
    case "leashed":
      events.push({ type: "leashed", id: mob.id });
      return;
    case "respawned":
      world.grid.insert(mob.handle, mob.x, mob.y);
      events.push({ type: "spawned", id: mob.id, kind: EntityKind.Mob });
      return;
  }
}

function resolve(
  world: World,
  attacker: Combatant,
  target: Combatant,
  rng: WorldRng,
  hooks: StepHooks,
  events: WorldEvent[],
): void {
  const outcome = hooks.resolveAttack(attacker, target, rng);
  if (!outcome.hit) {
    events.push({ type: "missed", targetId: target.id, sourceId: attacker.id });
    return;
  }
  applyDamage(world, target, outcome.damage, attacker, outcome.crit, events);
}

function expireDrops(world: World, dtMs: number, events: WorldEvent[]): void {
  for (let i = world.drops.length - 1; i >= 0; i--) {
    const drop = world.drops[i]!;
    drop.expiresInMs -= dtMs;
    if (drop.expiresInMs <= 0) {
      removeDrop(world, drop.id);
      events.push({ type: "dropExpired", id: drop.id });
    }
  }
}
