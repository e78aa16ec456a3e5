import type { LootTable } from "../content/loot.ts";
import type { Mob } from "../content/mobs.ts";
import type { Rng } from "../rng.ts";

/** Items a kill drops. */
export type Drop = { itemId: string; qty: number };

/**
 * Draw `table.rolls` times: each draw picks one entry by weight (or nothing, by nothingWeight)
 * and a quantity in [min, max]. Drops of the same item merge, in first-drawn order.
 */
export function rollLoot(table: LootTable, rng: Rng): Drop[] {
  let total = table.nothingWeight;
  for (const e of table.entries) total += e.weight;
  const drops: Drop[] = [];
  for (let r = 0; r < table.rolls; r++) {
    let x = rng.next() * total;
    if (x < table.nothingWeight) continue;
    x -= table.nothingWeight;
    let entry = table.entries[table.entries.length - 1];
    for (const e of table.entries) {
      if (x < e.weight) {
        entry = e;
        break;
      }
      x -= e.weight;
    }
    if (entry === undefined) continue;
    const qty = rng.int(entry.min, entry.max);
    const same = drops.find((d) => d.itemId === entry.item);
    if (same === undefined) drops.push({ itemId: entry.item, qty });
    else same.qty += qty;
  }
  return drops;
}

/** Gold in [min, max] (integer, uniform). */
export function rollGold(range: { min: number; max: number }, rng: Rng): number {
  return rng.int(range.min, range.max);
}

/** Everything a mob drops when killed: gold, then its loot table's items. */
export function rollMobLoot(
  mob: Mob,
  tables: ReadonlyMap<string, LootTable>,
  rng: Rng,
): { gold: number; drops: Drop[] } {
  const gold = rollGold(mob.gold, rng);
  const table = tables.get(mob.lootTable);
  return { gold, drops: table === undefined ? [] : rollLoot(table, rng) };
}
