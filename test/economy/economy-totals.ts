import type { PrismaClient } from "../../src/db/database.ts";
import { createLedgerRepository } from "../../src/economy/ledger.repository.ts";
import { createMailRepository } from "../../src/economy/mail/mail.repository.ts";

/** Item id (or "gold") → quantity. */
export type Totals = Map<string, bigint>;

const add = (t: Totals, key: string | null, n: bigint) =>
  t.set(key ?? "gold", (t.get(key ?? "gold") ?? 0n) + n);

/**
 * Every item id's and gold's total over characters (inventory, equipment, purse), mail escrow,
 * and the ledger's sources and sinks: what an economy operation must never change.
 */
export async function economyTotals(prisma: PrismaClient): Promise<Totals> {
  const t: Totals = new Map();
  const gold = await prisma.$queryRaw<{ total: bigint }[]>`
    SELECT COALESCE(SUM(gold), 0)::bigint AS total FROM characters`;
  add(t, null, gold[0]!.total);
  const inventory = await prisma.$queryRaw<{ itemId: string; total: bigint }[]>`
    SELECT item_id AS "itemId", SUM(quantity)::bigint AS total FROM inventory_items GROUP BY 1`;
  for (const r of inventory) add(t, r.itemId, r.total);
  const equipped = await prisma.$queryRaw<{ itemId: string; total: bigint }[]>`
    SELECT item_id AS "itemId", COUNT(*)::bigint AS total FROM equipped_items GROUP BY 1`;
  for (const r of equipped) add(t, r.itemId, r.total);
  for (const r of await createMailRepository(prisma).escrowTotals()) add(t, r.itemId, r.total);
  for (const r of await createLedgerRepository(prisma).totals()) {
    if (r.holder === "source" || r.holder === "sink") add(t, r.itemId, r.total);
  }
  for (const [k, v] of t) if (v === 0n) t.delete(k);
  return t;
}

/** Operations whose ledger legs do not sum to zero per item (must be none). */
export async function unbalancedOps(prisma: PrismaClient): Promise<unknown[]> {
  return prisma.$queryRaw`
    SELECT op_id, item_id, SUM(delta)::bigint AS sum FROM ledger_entries
    GROUP BY op_id, item_id HAVING SUM(delta) <> 0`;
}

export const sortedEntries = (t: Totals) =>
  [...t].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
