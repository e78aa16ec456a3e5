/**
 * Erasing an account in one transaction (issue 14). The rows are deleted rather than anonymised:
 * the player asked to leave, the email and password hash are personal data with no use once
 * they have, and anonymised characters would keep their names reserved and their gold and items
 * in the economy with nobody able to play them.
 *
 * What goes with the account row, by foreign key: its refresh tokens (so every session ends) and
 * its characters, and with each character its inventory, equipment, quests, friendships (both
 * ways), blocks, guild membership and invitations, arena rating and match sides (the matches
 * stay for the other side), world event rewards, and mail addressed to it. Mail and guild chat
 * it sent stay with their readers under the sender's name (the sender link becomes null).
 * Before that, src/characters/character-erasure.ts takes the characters' holdings and waiting
 * attachments out of the economy through the ledger, and passes on guilds they led.
 */
import type { PrismaClient } from "../db/database.ts";
import { releaseCharacters, type ReleasedCharacters } from "../characters/character-erasure.ts";

export type ErasedAccount = ReleasedCharacters & { characterIds: string[] };

/** Deletes the account and everything of it; null when it was already gone. */
export function eraseAccount(
  prisma: PrismaClient,
  accountId: string,
): Promise<ErasedAccount | null> {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM accounts WHERE id = ${accountId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    const characters = await tx.$queryRaw<{ id: string; gold: bigint }[]>`
      SELECT id, gold FROM characters WHERE account_id = ${accountId}::uuid ORDER BY id FOR UPDATE`;
    const released = await releaseCharacters(tx, characters);
    await tx.account.delete({ where: { id: accountId }, select: { id: true } });
    return { ...released, characterIds: characters.map((c) => c.id) };
  });
}
