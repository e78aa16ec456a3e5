/**
 * What must happen before character rows are deleted, in the deleting transaction (issue 14);
 * the foreign keys take care of the rest (see src/accounts/account-erasure.ts for the list).
 * - The economy: what the characters held, and the attachments still in escrow for them, leave it
 *   through the ledger (kind and sink `character_deleted`), so every item's and gold's total over
 *   holders, escrow, sources and sinks is unchanged. Ledger rows are kept: they are the audit
 *   trail, and their character ids are random UUIDs that nothing resolves any more.
 * - Guilds: `guilds.leader_id` cascades, so deleting a leader would delete the guild under its
 *   other members; the lead passes to an heir first (src/game/social/guild-succession.ts), and
 *   only a guild left empty disbands.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/generated/client.ts";
import { ledger, LedgerAccount, LedgerKind, type LedgerLeg } from "../economy/ledger.service.ts";
import type { ItemStack } from "../game/items/inventory.ts";
import { GuildRank, type GuildRank as Rank } from "../game/social/guild-rules.ts";
import { pickGuildHeir } from "../game/social/guild-succession.ts";

export const CHARACTER_DELETED_SINK = LedgerAccount.sink(LedgerKind.CHARACTER_DELETED);

type Tx = Prisma.TransactionClient;
type Holding = { characterId: string; itemId: string; qty: bigint };
type Escrow = { id: string; gold: bigint; items: ItemStack[] };

export type ReleasedCharacters = {
  /** Guilds the characters led: handed to `leaderId`, or disbanded (null). */
  guilds: { guildId: string; leaderId: string | null }[];
  /** The ledger operation that took the holdings out of the economy; null when there were none. */
  opId: string | null;
};

/** Legs moving every holding and escrow into the deletion sink. */
function sinkLegs(
  characters: readonly { id: string; gold: bigint }[],
  holdings: readonly Holding[],
  escrow: readonly Escrow[],
): LedgerLeg[] {
  const legs: LedgerLeg[] = [];
  const toSink = (from: Omit<LedgerLeg, "delta">, amount: number) => {
    if (amount === 0) return;
    legs.push({ ...from, delta: -amount });
    legs.push({ account: CHARACTER_DELETED_SINK, itemId: from.itemId, delta: amount });
  };
  for (const c of characters) toSink({ characterId: c.id, itemId: null }, Number(c.gold));
  for (const h of holdings) toSink({ characterId: h.characterId, itemId: h.itemId }, Number(h.qty));
  for (const mail of escrow) {
    const account = LedgerAccount.mail(mail.id);
    toSink({ account, itemId: null }, Number(mail.gold));
    for (const s of mail.items) toSink({ account, itemId: s.itemId }, s.qty);
  }
  return legs;
}

async function sinkHoldings(
  tx: Tx,
  characters: readonly { id: string; gold: bigint }[],
): Promise<string | null> {
  const ids = characters.map((c) => c.id);
  const holdings = await tx.$queryRaw<Holding[]>`
    SELECT character_id AS "characterId", item_id AS "itemId", SUM(quantity)::bigint AS qty
    FROM inventory_items WHERE character_id = ANY(${ids}::uuid[]) GROUP BY 1, 2
    UNION ALL
    SELECT character_id, item_id, COUNT(*)::bigint
    FROM equipped_items WHERE character_id = ANY(${ids}::uuid[]) GROUP BY 1, 2`;
  const escrow = await tx.$queryRaw<Escrow[]>`
    SELECT id, gold, items FROM mail
    WHERE recipient_id = ANY(${ids}::uuid[]) AND claimed_at IS NULL AND returned_at IS NULL
      AND (gold > 0 OR items <> '[]'::jsonb)
    ORDER BY id FOR UPDATE`;
  const legs = sinkLegs(characters, holdings, escrow);
  if (legs.length === 0) return null;
  const opId = randomUUID();
  await ledger.record(tx, opId, LedgerKind.CHARACTER_DELETED, legs);
  return opId;
}

async function handOverGuilds(tx: Tx, ids: string[]): Promise<ReleasedCharacters["guilds"]> {
  const led = await tx.guild.findMany({ where: { leaderId: { in: ids } }, select: { id: true } });
  const outcome: ReleasedCharacters["guilds"] = [];
  for (const guild of led) {
    const members = await tx.guildMember.findMany({
      where: { guildId: guild.id, characterId: { notIn: ids } },
      select: { characterId: true, rank: true, joinedAt: true },
    });
    const heir = pickGuildHeir(
      members.map((m) => ({
        characterId: m.characterId,
        rank: m.rank as Rank,
        joinedAtMs: m.joinedAt.getTime(),
      })),
    );
    if (heir === null) {
      await tx.guild.deleteMany({ where: { id: guild.id } });
    } else {
      // One leader per guild (a partial unique index): the departing one goes first.
      await tx.guildMember.deleteMany({ where: { guildId: guild.id, characterId: { in: ids } } });
      await tx.guildMember.update({
        where: { characterId: heir },
        data: { rank: GuildRank.LEADER },
        select: { characterId: true },
      });
      await tx.guild.update({
        where: { id: guild.id },
        data: { leaderId: heir },
        select: { id: true },
      });
    }
    outcome.push({ guildId: guild.id, leaderId: heir });
  }
  return outcome;
}

/**
 * Call inside the transaction that deletes `characters`, after locking their rows (FOR UPDATE,
 * as every economy operation does, so none commits halfway through this).
 */
export async function releaseCharacters(
  tx: Tx,
  characters: readonly { id: string; gold: bigint }[],
): Promise<ReleasedCharacters> {
  if (characters.length === 0) return { guilds: [], opId: null };
  const opId = await sinkHoldings(tx, characters);
  const guilds = await handOverGuilds(
    tx,
    characters.map((c) => c.id),
  );
  return { guilds, opId };
}
