/** Applying client intents (move, stop, attack, portal) to players at the start of a step. */
import { isDead } from "./damage.ts";
import { canHarm } from "./hostility.ts";
import { normalizeDirection, type Position } from "./movement.ts";
import type { RefusalReason, WorldEvent } from "./world-events.ts";
import { EntityKind, type PlayerEntity, type World } from "./world-types.ts";
import { entityById } from "./world.ts";

/** Client intents, already schema-validated by the room; `seq` is the client's input counter. */
export type PlayerInput =
  | {
      readonly type: "move";
      readonly playerId: string;
      readonly seq: number;
      readonly dx: number;
      readonly dy: number;
    }
  | { readonly type: "stop"; readonly playerId: string; readonly seq: number }
  | {
      readonly type: "attack";
      readonly playerId: string;
      readonly seq?: number;
      readonly targetId: string;
    }
  | {
      readonly type: "portal";
      readonly playerId: string;
      readonly seq?: number;
      readonly portalId: string;
    };

/**
 * Applies one input to its player: move/stop set the walking direction (NaN/Infinity refused),
 * attack picks an auto-attack target, portal checks the radius. Records the highest `seq`.
 */
export function applyInput(
  world: World,
  input: PlayerInput,
  dirScratch: Position,
  events: WorldEvent[],
): void {
  const player = entityById(world, input.playerId);
  if (player?.kind !== EntityKind.Player) {
    events.push(refusal(input, "unknownPlayer"));
    return;
  }
  const seq = input.seq;
  if (typeof seq === "number" && Number.isSafeInteger(seq) && seq > player.lastProcessedSeq) {
    player.lastProcessedSeq = seq;
  }
  if (player.dead) {
    events.push(refusal(input, "dead"));
    return;
  }
  switch (input.type) {
    case "move":
      if (normalizeDirection(input.dx, input.dy, dirScratch)) {
        player.moveX = dirScratch.x;
        player.moveY = dirScratch.y;
        player.dir = Math.atan2(player.moveY, player.moveX);
      } else {
        events.push(refusal(input, "badDirection"));
      }
      return;
    case "stop":
      player.moveX = 0;
      player.moveY = 0;
      return;
    case "attack":
      return startAttack(world, player, input, events);
    case "portal":
      return enterPortal(world, player, input, events);
  }
}

function startAttack(
  world: World,
  player: PlayerEntity,
  input: Extract<PlayerInput, { type: "attack" }>,
  events: WorldEvent[],
): void {
  const target = entityById(world, input.targetId);
  if (!target) return void events.push(refusal(input, "noTarget"));
  if (!canHarm(world, player.id, target)) return void events.push(refusal(input, "notAttackable"));
  if (target.kind !== EntityKind.Mob && target.kind !== EntityKind.Player) return;
  if (isDead(target)) return void events.push(refusal(input, "dead"));
  player.attackTarget = target.handle;
  player.attackTargetGen = world.grid.generation(target.handle);
}

function enterPortal(
  world: World,
  player: PlayerEntity,
  input: Extract<PlayerInput, { type: "portal" }>,
  events: WorldEvent[],
): void {
  const portal = world.zone.portals.find((p) => p.id === input.portalId);
  if (!portal) return void events.push(refusal(input, "unknownPortal"));
  if (Math.hypot(player.x - portal.x, player.y - portal.y) > portal.radius) {
    return void events.push(refusal(input, "tooFar"));
  }
  player.moveX = 0;
  player.moveY = 0;
  events.push({
    type: "portalEntered",
    playerId: player.id,
    portalId: portal.id,
    targetZone: portal.targetZone,
    targetX: portal.targetX,
    targetY: portal.targetY,
  });
}

function refusal(input: PlayerInput, reason: RefusalReason): WorldEvent {
  return { type: "refused", playerId: input.playerId, action: input.type, reason };
}
