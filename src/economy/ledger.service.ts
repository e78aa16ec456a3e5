import type { Prisma } from "../db/generated/client.ts";
import { createLedgerRepository, type LedgerRow } from "./ledger.repository.ts";

/** What moved gold or items; one operation (one `opId`) has one kind. */
export const LedgerKind = {
  TRADE: "trade",
  MAIL_SEND: "mail_send",
  MAIL_CLAIM: "mail_claim",
  MAIL_RETURN: "mail_return",
  GUILD_FEE: "guild_fee",
  ADMIN_GRANT: "admin_grant",
  ADMIN_REMOVE: "admin_remove",
  ARENA_REWARD: "arena_reward",
  EVENT_REWARD: "event_reward",
  /** A deleted character's holdings and unclaimed incoming mail, into `sink:character_deleted`. */
  CHARACTER_DELETED: "character_deleted",
} as const;
export type LedgerKind = (typeof LedgerKind)[keyof typeof LedgerKind];

/** Named holders other than characters. */
export const LedgerAccount = {
  /** Attachments of one mail, held in escrow until claimed or returned. */
  mail: (mailId: string) => `mail:${mailId}`,
  /** Where money entering the economy comes from (admin grants, rewards): its legs are negative. */
  source: (what: string) => `source:${what}`,
  /** Where money leaving the economy goes (fees): its legs are positive. */
  sink: (what: string) => `sink:${what}`,
} as const;

/**
 * One leg of a movement: `delta` of `itemId` (null: gold) for a character or a named account.
 * The legs of one operation sum to zero per item: nothing is made or destroyed, only moved, and
 * what enters or leaves the economy is booked against a source or sink.
 */
export type LedgerLeg = {
  characterId?: string;
  account?: string;
  itemId: string | null;
  delta: number;
  counterparty?: string;
};

export class UnbalancedLedgerError extends Error {
  constructor(opId: string, itemId: string | null, sum: number) {
    super(`ledger op ${opId} is unbalanced: ${itemId ?? "gold"} sums to ${sum}`);
    this.name = "UnbalancedLedgerError";
  }
}

/** Throws unless the legs sum to zero per item (a bug, never a player's doing). */
export function assertBalanced(opId: string, legs: readonly LedgerLeg[]): void {
  const sums = new Map<string | null, number>();
  for (const leg of legs) sums.set(leg.itemId, (sums.get(leg.itemId) ?? 0) + leg.delta);
  for (const [itemId, sum] of sums)
    if (sum !== 0) throw new UnbalancedLedgerError(opId, itemId, sum);
}

/**
 * The one writer of ledger rows. `record` runs inside the transaction that moves the goods (the
 * caller's `tx`), so the ledger and the holdings commit or roll back together.
 */
export const ledger = {
  async record(
    tx: Prisma.TransactionClient,
    opId: string,
    kind: string,
    legs: readonly LedgerLeg[],
  ): Promise<void> {
    assertBalanced(opId, legs);
    const rows: LedgerRow[] = legs
      .filter((leg) => leg.delta !== 0)
      .map((leg) => ({
        opId,
        kind,
        characterId: leg.characterId ?? null,
        account: leg.characterId ? null : (leg.account ?? null),
        counterparty: leg.counterparty ?? null,
        itemId: leg.itemId,
        delta: leg.delta,
      }));
    for (const row of rows) {
      if ((row.characterId === null) === (row.account === null)) {
        throw new Error(`ledger op ${opId}: a leg needs a character or an account`);
      }
    }
    await createLedgerRepository(tx).insert(rows);
  },
};
