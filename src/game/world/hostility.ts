/**
 * Who may hurt or help whom. Players fight mobs everywhere; they fight each other only in a world
 * with PvP teams (arena rooms set `World.pvpTeams`), and then only players of another team.
 * There, friendly skills reach only the caster's own team.
 */
import { EntityKind, type Entity, type World } from "./world-types.ts";

/** Whether player `attackerId` may damage `target` (mobs always; players only across PvP teams). */
export function canHarm(world: World, attackerId: string, target: Entity): boolean {
  if (target.kind === EntityKind.Mob) return true;
  if (target.kind !== EntityKind.Player || target.id === attackerId) return false;
  const teams = world.pvpTeams;
  if (!teams) return false;
  const mine = teams.get(attackerId);
  const theirs = teams.get(target.id);
  return mine !== undefined && theirs !== undefined && mine !== theirs;
}

/** Whether player `casterId` may heal or buff player `targetId` (anyone outside PvP worlds). */
export function canAid(world: World, casterId: string, targetId: string): boolean {
  const teams = world.pvpTeams;
  if (!teams || casterId === targetId) return true;
  const mine = teams.get(casterId);
  return mine !== undefined && mine === teams.get(targetId);
}
