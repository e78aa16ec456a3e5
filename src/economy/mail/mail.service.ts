import { randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { ServerMessage } from "../../../clients/js/message-names.ts";
import type { PrismaClient } from "../../db/database.ts";
import { GameError } from "../../errors.ts";
import { sumStacks } from "../../game/economy/character-change.ts";
import type { ItemStack } from "../../game/items/inventory.ts";
import { Channels } from "../../infra/channels.ts";
import type { Logger } from "../../logger.ts";
import type { Economy } from "../character-mutation.ts";
import { economyError } from "../economy-errors.ts";
import { EconomyRefused, type WorkContext } from "../economy-works.ts";
import { ledger, LedgerAccount, LedgerKind, type LedgerLeg } from "../ledger.service.ts";
import { createMailRepository, type MailRow } from "./mail.repository.ts";
import type { MailSummary, MailView } from "./mail-schemas.ts";

export type MailDeps = {
  prisma: PrismaClient;
  economy: Economy;
  presence: Presence;
  logger: Logger;
  /** Unclaimed attachments go back to the sender after this many days. */
  returnDays: number;
  now?: () => Date;
};

export type SendMail = {
  to: string;
  subject: string;
  body: string;
  gold: number;
  items: { slot: number; qty: number }[];
};

type SendArgs = {
  mailId: string;
  recipientId: string;
  senderId: string;
  senderName: string;
  subject: string;
  body: string;
  gold: number;
  returnAt: string | null;
};
type ClaimArgs = { mailId: string; recipientId: string; gold: number; items: ItemStack[] };

const DAY_MS = 86_400_000;
const RETURN_BATCH = 100;

/** Legs moving `gold` and `items` into (+1) or out of (−1) a mail's escrow. */
function escrowLegs(
  mailId: string,
  sign: 1 | -1,
  gold: number,
  items: readonly ItemStack[],
  counterparty: string | null,
): LedgerLeg[] {
  const account = LedgerAccount.mail(mailId);
  const legs: LedgerLeg[] = items.map((s) => ({ account, itemId: s.itemId, delta: sign * s.qty }));
  if (gold !== 0) legs.push({ account, itemId: null, delta: sign * gold });
  return counterparty ? legs.map((l) => ({ ...l, counterparty })) : legs;
}

export function toMailSummary(row: MailRow): MailSummary {
  return {
    id: row.id,
    from: row.senderName,
    fromCharacterId: row.senderId,
    subject: row.subject,
    kind: row.kind as MailSummary["kind"],
    gold: Number(row.gold),
    items: row.items as ItemStack[],
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
    claimedAt: row.claimedAt?.toISOString() ?? null,
    returnedAt: row.returnedAt?.toISOString() ?? null,
    returnAt: row.returnAt?.toISOString() ?? null,
  };
}

const encodeCursor = (row: MailRow) =>
  Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new GameError("VALIDATION_FAILED", "cursor: not a cursor from this API", {
      details: [{ path: "cursor", message: "not a cursor from this API" }],
    });
  }
  return { createdAt, id };
}

/**
 * Mail between characters. Attachments leave the sender in the operation that writes the mail
 * (through the economy, so an online sender's room commits it), sit in escrow (the mail row and
 * its ledger account), and enter the recipient on claim, exactly once. Unclaimed attachments go
 * back to the sender as a new mail after `returnDays`.
 */
export function createMailService(deps: MailDeps) {
  const repo = createMailRepository(deps.prisma);
  const now = deps.now ?? (() => new Date());

  deps.economy.works.define("mail.send", async (tx, raw, ctx: WorkContext) => {
    const args = raw as SendArgs;
    const items = sumStacks(ctx.outcomes.get(args.senderId)?.taken ?? []);
    await createMailRepository(tx).insert({
      id: args.mailId,
      recipientId: args.recipientId,
      senderId: args.senderId,
      senderName: args.senderName,
      subject: args.subject,
      body: args.body,
      kind: "player",
      gold: args.gold,
      items,
      returnAt: args.returnAt ? new Date(args.returnAt) : null,
    });
    ctx.addLegs(...escrowLegs(args.mailId, 1, args.gold, items, args.senderId));
    return { items };
  });

  deps.economy.works.define("mail.claim", async (tx, raw, ctx: WorkContext) => {
    const args = raw as ClaimArgs;
    const taken = await createMailRepository(tx).takeAttachments(args.mailId, "claimed", args);
    if (!taken) throw new EconomyRefused("MAIL_ALREADY_CLAIMED", args.recipientId);
    ctx.addLegs(...escrowLegs(args.mailId, -1, args.gold, args.items, args.recipientId));
    return null;
  });

  async function owned(accountId: string, characterId: string) {
    const character = await repo.findOwnedCharacter(accountId, characterId);
    if (!character) throw new GameError("CHARACTER_NOT_FOUND");
    return character;
  }

  async function notify(recipientId: string, mailId: string, from: string, subject: string) {
    try {
      await deps.presence.publish(Channels.player(recipientId), {
        type: ServerMessage.mail,
        id: randomUUID(),
        mailId,
        from,
        subject,
      });
    } catch (error) {
      deps.logger.warn({ err: error, mailId }, "mail notice not published");
    }
  }

  return {
    /** Sends a mail; attachments leave the sender atomically with the mail's creation. */
    async send(accountId: string, senderId: string, mail: SendMail) {
      const sender = await owned(accountId, senderId);
      const recipient = await repo.findCharacterByName(mail.to);
      if (!recipient) throw new GameError("RECIPIENT_NOT_FOUND");
      if (recipient.id === sender.id) {
        throw new GameError("VALIDATION_FAILED", "to: a character cannot mail itself", {
          details: [{ path: "to", message: "a character cannot mail itself" }],
        });
      }
      const mailId = randomUUID();
      const hasAttachments = mail.gold > 0 || mail.items.length > 0;
      const returnAt = hasAttachments ? new Date(now().getTime() + deps.returnDays * DAY_MS) : null;
      const args: SendArgs = {
        mailId,
        recipientId: recipient.id,
        senderId: sender.id,
        senderName: sender.name,
        subject: mail.subject,
        body: mail.body,
        gold: mail.gold,
        returnAt: returnAt?.toISOString() ?? null,
      };
      let items: ItemStack[] = [];
      if (!hasAttachments) {
        const { mailId: id, returnAt: _never, ...fields } = args;
        await repo.insert({ ...fields, id, kind: "player", items: [], returnAt: null });
      } else {
        const result = await deps.economy.mutate({
          opId: mailId,
          kind: LedgerKind.MAIL_SEND,
          changes: [
            {
              characterId: sender.id,
              gold: -mail.gold,
              take: mail.items,
              tradeableOnly: true,
            },
          ],
          work: { name: "mail.send", args },
        });
        if (!result.ok) throw economyError(result.code);
        items = (result.result as { items: ItemStack[] } | undefined)?.items ?? [];
      }
      await notify(recipient.id, mailId, sender.name, mail.subject);
      return { mailId, gold: mail.gold, items };
    },

    async inbox(accountId: string, characterId: string, limit: number, cursor?: string) {
      await owned(accountId, characterId);
      const rows = await repo.page(
        characterId,
        limit + 1,
        cursor ? decodeCursor(cursor) : undefined,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        mail: page.map(toMailSummary),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
    },

    /** One mail with its body; marks it read. */
    async read(accountId: string, characterId: string, mailId: string): Promise<MailView> {
      await owned(accountId, characterId);
      const row = await repo.findOne(characterId, mailId);
      if (!row) throw new GameError("MAIL_NOT_FOUND");
      if (!row.readAt) await repo.markRead(mailId);
      return { ...toMailSummary(row), read: true, body: row.body };
    },

    /** Moves the attachments into the character, once: a second claim gets MAIL_ALREADY_CLAIMED. */
    async claim(accountId: string, characterId: string, mailId: string) {
      await owned(accountId, characterId);
      const row = await repo.findOne(characterId, mailId);
      if (!row) throw new GameError("MAIL_NOT_FOUND");
      const gold = Number(row.gold);
      const items = row.items as ItemStack[];
      if (gold === 0 && items.length === 0) throw new GameError("MAIL_ALREADY_CLAIMED");
      const result = await deps.economy.mutate({
        kind: LedgerKind.MAIL_CLAIM,
        changes: [{ characterId, gold, give: items }],
        work: {
          name: "mail.claim",
          args: { mailId, recipientId: characterId, gold, items } satisfies ClaimArgs,
        },
      });
      if (!result.ok) throw economyError(result.code);
      const after = result.holdings[characterId];
      return { mailId, gold, items, characterGold: after?.gold ?? gold };
    },

    /** Deletes a mail whose attachments are gone (claimed, returned, or none). */
    async remove(accountId: string, characterId: string, mailId: string): Promise<void> {
      await owned(accountId, characterId);
      if (await repo.deleteEmpty(characterId, mailId)) return;
      const row = await repo.findOne(characterId, mailId);
      throw new GameError(row ? "MAIL_HAS_ATTACHMENTS" : "MAIL_NOT_FOUND");
    },

    /**
     * Sends unclaimed attachments due back at `at` to their senders, each in one transaction: the
     * old mail's escrow empties into a new mail to the sender (ledger kind mail_return). Safe to
     * run on every process at once: a mail is taken out of escrow once. Returns how many went back.
     */
    async returnDue(at: Date = now()): Promise<number> {
      let returned = 0;
      for (const id of await repo.dueReturns(at, RETURN_BATCH)) {
        const back = await deps.prisma.$transaction(async (tx) => {
          const mail = createMailRepository(tx);
          const taken = await mail.takeAttachments(id, "returned");
          if (!taken || !taken.senderId) return null;
          const recipient = await tx.character.findUnique({
            where: { id: taken.recipientId },
            select: { name: true },
          });
          const newId = randomUUID();
          const gold = Number(taken.gold);
          const subject = `Returned: ${taken.subject}`.slice(0, 80);
          await mail.insert({
            id: newId,
            recipientId: taken.senderId,
            senderId: taken.recipientId,
            senderName: recipient?.name ?? "Postmaster",
            subject,
            body: "",
            kind: "return",
            gold,
            items: taken.items,
            returnAt: null,
          });
          await ledger.record(tx, randomUUID(), LedgerKind.MAIL_RETURN, [
            ...escrowLegs(id, -1, gold, taken.items, taken.senderId),
            ...escrowLegs(newId, 1, gold, taken.items, taken.recipientId),
          ]);
          return { newId, to: taken.senderId, from: recipient?.name ?? "Postmaster", subject };
        });
        if (back) {
          returned += 1;
          await notify(back.to, back.newId, back.from, back.subject);
        }
      }
      return returned;
    },
  };
}

export type MailService = ReturnType<typeof createMailService>;
