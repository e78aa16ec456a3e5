/** Builders for ZoneSimulation tests: records, and moving entities in place. */
import { createEquipment } from "../game/items/equipment.ts";
import { createInventory } from "../game/items/inventory.ts";
import { createQuestLog } from "../game/quests/quest-log.ts";
import {
  MobState,
  type MobEntity,
  type PlayerEntity,
  type World,
} from "../game/world/world-types.ts";
import type { PlayerRecord } from "../session/player-record.ts";
import type { SimNotice } from "./sim-types.ts";
import { NO_TIMERS } from "../progression/character-timers.ts";

/** A fresh character record (full vitals: the simulation caps them at the stats). */
export function testRecord(
  id: string,
  zone: string,
  x: number,
  y: number,
  over: Partial<PlayerRecord["character"]> = {},
): PlayerRecord {
  return {
    character: {
      id,
      accountId: "acc",
      name: `P${id}`,
      race: "orc",
      job: "warrior",
      level: 1,
      xp: 0,
      gold: 0,
      hp: 10_000,
      mp: 10_000,
      zone,
      x,
      y,
      version: 0,
      timers: NO_TIMERS,
      ...over,
    },
    inventory: createInventory(30),
    equipment: createEquipment(),
    quests: createQuestLog(),
  };
}

/** Teleports a player or mob to (x, y) units, keeping the spatial grids in step. */
export function placeAt(world: World, e: PlayerEntity | MobEntity, x: number, y: number): void {
  e.x = x;
  e.y = y;
  if (world.grid.has(e.handle)) world.grid.move(e.handle, x, y);
  if (world.playerGrid.has(e.handle)) world.playerGrid.move(e.handle, x, y);
}

/** Teleports a mob and keeps it idle there (no wandering) for the rest of the test. */
export function parkMob(world: World, mob: MobEntity, x: number, y: number): void {
  placeAt(world, mob, x, y);
  mob.state = MobState.Idle;
  mob.stateMs = 1e9;
}

/** Notices of one type, narrowed. */
export function noticesOf<K extends SimNotice["type"]>(
  notices: readonly SimNotice[],
  type: K,
): Extract<SimNotice, { type: K }>[] {
  return notices.filter((n): n is Extract<SimNotice, { type: K }> => n.type === type);
}
