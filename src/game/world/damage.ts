/** Applying resolved damage to world entities: hp, death, mob provocation and the events. */
import { killMob, provokeMob } from "./mob-ai.ts";
import type { WorldEvent } from "./world-events.ts";
import {
  EntityKind,
  MobState,
  type MobEntity,
  type PlayerEntity,
  type World,
} from "./world-types.ts";

export type Combatant = PlayerEntity | MobEntity;

export type DamageResult =
  | { applied: true; amount: number; killed: boolean }
  | { applied: false; reason: "dead" | "evading" };

/**
 * Removes `amount` hp (floored, at least 0) from `target`, attributing it to `source` (null for
 * the environment). Kills at 0 hp. A leashing mob evades. Appends events to `events`.
 */
export function applyDamage(
  world: World,
  target: Combatant,
  amount: number,
  source: Combatant | null,
  crit: boolean,
  events: WorldEvent[],
): DamageResult {
  if (isDead(target)) return { applied: false, reason: "dead" };
  if (target.kind === EntityKind.Mob && target.state === MobState.Leash) {
    return { applied: false, reason: "evading" };
  }
  const dealt = Math.min(target.hp, Math.max(0, Math.floor(Number.isFinite(amount) ? amount : 0)));
  target.hp -= dealt;
  events.push({
    type: "damaged",
    targetId: target.id,
    sourceId: source?.id ?? "",
    amount: dealt,
    crit,
    hp: target.hp,
    hpMax: target.hpMax,
  });
  const killed = target.hp <= 0;
  if (killed) {
    kill(world, target, source, events);
  } else if (target.kind === EntityKind.Mob && source?.kind === EntityKind.Player) {
    if (provokeMob(target, source.handle, world.playerGrid.generation(source.handle))) {
      events.push({ type: "aggro", id: target.id, targetId: source.id });
    }
  }
  return { applied: true, amount: dealt, killed };
}

export function isDead(entity: Combatant): boolean {
  return entity.kind === EntityKind.Player ? entity.dead : entity.state === MobState.Dead;
}

function kill(world: World, target: Combatant, source: Combatant | null, events: WorldEvent[]) {
  events.push({
    type: "died",
    id: target.id,
    kind: target.kind,
    killerId: source?.id ?? null,
    templateId: target.kind === EntityKind.Mob ? target.templateId : null,
    level: target.level,
    x: target.x,
    y: target.y,
  });
  if (target.kind === EntityKind.Mob) {
    killMob(target);
    world.grid.remove(target.handle);
    return;
  }
  target.dead = true;
  target.hp = 0;
  target.moveX = 0;
  target.moveY = 0;
  target.attackTarget = -1;
  world.playerGrid.remove(target.handle);
}
