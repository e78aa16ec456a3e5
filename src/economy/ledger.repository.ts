import { Prisma } from "../db/generated/client.ts";
import type { Db } from "../progression/progress.repository.ts";

/** One ledger row as written (see LedgerEntry in prisma/schema.prisma). */
export type LedgerRow = {
  opId: string;
  kind: string;
  characterId: string | null;
  account: string | null;
  counterparty: string | null;
  itemId: string | null;
  delta: number;
};

/** Totals per holder class and item (null item: gold). */
export type LedgerTotal = {
  holder: "character" | "mail" | "source" | "sink";
  itemId: string | null;
  total: bigint;
};

const asRecordset = (rows: readonly object[]) =>
  Prisma.sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`;

export function createLedgerRepository(db: Db) {
  return {
    /** Inserts every row in one statement. */
    async insert(rows: readonly LedgerRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.$executeRaw`
        INSERT INTO ledger_entries (op_id, kind, character_id, account, counterparty, item_id, delta)
        SELECT "opId", kind, "characterId", account, counterparty, "itemId", delta
        FROM ${asRecordset(rows)} AS r("opId" uuid, kind text, "characterId" uuid, account text,
          counterparty text, "itemId" text, delta bigint)`;
    },

    /** Whether any row of the operation exists (it committed). */
    async hasOp(opId: string): Promise<boolean> {
      const rows = await db.$queryRaw<{ n: number }[]>`
        SELECT 1 AS n FROM ledger_entries WHERE op_id = ${opId}::uuid LIMIT 1`;
      return rows.length > 0;
    },

    /** A character's rows, newest first, before row id `before` when given. */
    history(characterId: string, limit: number, before?: bigint) {
      return db.ledgerEntry.findMany({
        where: { characterId, ...(before !== undefined ? { id: { lt: before } } : {}) },
        orderBy: { id: "desc" },
        take: limit,
        select: {
          id: true,
          opId: true,
          kind: true,
          counterparty: true,
          itemId: true,
          delta: true,
          createdAt: true,
        },
      });
    },

    /** Sum of deltas per holder class (character, mail escrow, source, sink) and item. */
    totals(): Promise<LedgerTotal[]> {
      return db.$queryRaw<LedgerTotal[]>`
        SELECT CASE WHEN character_id IS NOT NULL THEN 'character'
                    ELSE split_part(account, ':', 1) END AS holder,
               item_id AS "itemId", SUM(delta)::bigint AS total
        FROM ledger_entries GROUP BY 1, 2`;
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
