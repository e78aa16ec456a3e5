import { Prisma } from "../../db/generated/client.ts";
import type { ItemStack } from "../../game/items/inventory.ts";
import type { Db } from "../../progression/progress.repository.ts";

export const mailSelect = {
  id: true,
  recipientId: true,
  senderId: true,
  senderName: true,
  subject: true,
  body: true,
  kind: true,
  gold: true,
  items: true,
  createdAt: true,
  readAt: true,
  claimedAt: true,
  returnedAt: true,
  returnAt: true,
} as const satisfies Prisma.MailSelect;

export type MailRow = Prisma.MailGetPayload<{ select: typeof mailSelect }>;

export type NewMail = {
  id: string;
  recipientId: string;
  senderId: string | null;
  senderName: string;
  subject: string;
  body: string;
  kind: "player" | "return" | "system";
  gold: number;
  items: readonly ItemStack[];
  returnAt: Date | null;
};

/** The attachments a conditional update took out of escrow. */
export type TakenAttachments = {
  gold: bigint;
  items: ItemStack[];
  senderId: string | null;
  recipientId: string;
  subject: string;
};

export function createMailRepository(db: Db) {
  return {
    async insert(mail: NewMail): Promise<void> {
      await db.mail.create({
        data: { ...mail, items: mail.items as Prisma.InputJsonValue },
        select: { id: true },
      });
    },

    /** The character with this name (case-insensitive), if any. */
    findCharacterByName(name: string) {
      return db.character.findUnique({
        where: { nameKey: name.toLowerCase() },
        select: { id: true, name: true },
      });
    },

    findOwnedCharacter(accountId: string, id: string) {
      return db.character.findFirst({ where: { id, accountId }, select: { id: true, name: true } });
    },

    findOne(recipientId: string, id: string): Promise<MailRow | null> {
      return db.mail.findFirst({ where: { id, recipientId }, select: mailSelect });
    },

    /** A page of a character's mail, newest first, after the cursor position. */
    page(recipientId: string, limit: number, after?: { createdAt: Date; id: string }) {
      return db.mail.findMany({
        where: {
          recipientId,
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit,
        select: mailSelect,
      });
    },

    async markRead(id: string): Promise<void> {
      await db.mail.updateMany({ where: { id, readAt: null }, data: { readAt: new Date() } });
    },

    /**
     * Takes the attachments out of escrow exactly once: only while neither claimed nor returned
     * (and, for a claim, only if they are still what the caller read). Null when already taken.
     */
    async takeAttachments(
      id: string,
      how: "claimed" | "returned",
      expect?: { recipientId: string; gold: number; items: readonly ItemStack[] },
    ): Promise<TakenAttachments | null> {
      const [row] = await db.$queryRaw<
        {
          gold: bigint;
          items: ItemStack[];
          sender_id: string | null;
          recipient_id: string;
          subject: string;
          taken: boolean;
        }[]
      >`
        SELECT gold, items, sender_id, recipient_id, subject,
          (claimed_at IS NOT NULL OR returned_at IS NOT NULL) AS taken
        FROM mail WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row || row.taken || (row.gold === 0n && row.items.length === 0)) return null;
      if (
        expect &&
        (row.recipient_id !== expect.recipientId ||
          row.gold !== BigInt(expect.gold) ||
          !sameStacks(row.items, expect.items))
      ) {
        return null;
      }
      await (how === "claimed"
        ? db.$executeRaw`UPDATE mail SET gold = 0, items = '[]'::jsonb, claimed_at = now(),
            read_at = coalesce(read_at, now()) WHERE id = ${id}::uuid`
        : db.$executeRaw`UPDATE mail SET gold = 0, items = '[]'::jsonb, returned_at = now()
            WHERE id = ${id}::uuid`);
      return {
        gold: row.gold,
        items: row.items,
        senderId: row.sender_id,
        recipientId: row.recipient_id,
        subject: row.subject,
      };
    },

    /** Deletes a mail with no attachments left; false when it has some (or is not there). */
    async deleteEmpty(recipientId: string, id: string): Promise<boolean> {
      const n = await db.$executeRaw`
        DELETE FROM mail WHERE id = ${id}::uuid AND recipient_id = ${recipientId}::uuid
          AND gold = 0 AND items = '[]'::jsonb`;
      return n > 0;
    },

    /** Ids of mail whose unclaimed attachments are due back to their sender at `now`. */
    async dueReturns(now: Date, limit: number): Promise<string[]> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT id FROM mail
        WHERE return_at IS NOT NULL AND return_at <= ${now} AND claimed_at IS NULL
          AND returned_at IS NULL AND sender_id IS NOT NULL
          AND (gold > 0 OR items <> '[]'::jsonb)
        ORDER BY return_at LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },

    /** Gold and items still in escrow across every mail (conservation checks). */
    async escrowTotals(): Promise<{ itemId: string | null; total: bigint }[]> {
      return db.$queryRaw<{ itemId: string | null; total: bigint }[]>`
        SELECT NULL AS "itemId", COALESCE(SUM(gold), 0)::bigint AS total FROM mail
        UNION ALL
        SELECT s."itemId", SUM(s.qty)::bigint FROM mail,
          jsonb_to_recordset(mail.items) AS s("itemId" text, qty int)
        GROUP BY s."itemId"`;
    },
  };
}

export type MailRepository = ReturnType<typeof createMailRepository>;

const sameStacks = (a: readonly ItemStack[], b: readonly ItemStack[]) =>
  a.length === b.length && a.every((s, i) => s.itemId === b[i]?.itemId && s.qty === b[i]?.qty);
