import type { Prisma } from "../../db/generated/client.ts";
import { GameError } from "../../errors.ts";

/**
 * Takes `amount` gold from an offline character inside the caller's transaction: locks the row,
 * refuses NOT_ENOUGH_GOLD, and bumps `version` so that a save from a copy loaded before this
 * (a room that loaded the character meanwhile) is refused instead of restoring the gold.
 *
 * Used only when the guilds service has no economy (apps built without it, e.g. REST tests);
 * the server charges the fee through the economy (guild-founding.ts), which reaches online
 * characters' in-memory gold and writes the ledger. Here the caller refuses online characters.
 */
export async function debitGuildFee(
  tx: Prisma.TransactionClient,
  characterId: string,
  amount: number,
): Promise<void> {
  const rows = await tx.$queryRaw<{ gold: bigint }[]>`
    SELECT gold FROM characters WHERE id = ${characterId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new GameError("CHARACTER_NOT_FOUND");
  if (BigInt(row.gold) < BigInt(amount)) throw new GameError("NOT_ENOUGH_GOLD");
  await tx.character.update({
    where: { id: characterId },
    data: { gold: { decrement: amount }, version: { increment: 1 } },
    select: { id: true },
  });
}
