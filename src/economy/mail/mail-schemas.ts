import { z } from "zod";

/** Attachments per mail, at most. */
export const MAX_MAIL_ITEMS = 8;
/** Gold per mail, at most. */
export const MAX_MAIL_GOLD = 1_000_000_000_000;

export const SendMailBody = z.strictObject({
  /** The recipient character's name (case-insensitive). */
  to: z.string().trim().min(1).max(32),
  subject: z.string().trim().min(1).max(80),
  body: z.string().max(2000).default(""),
  gold: z.number().int().min(0).max(MAX_MAIL_GOLD).default(0),
  /** Inventory slots to attach, each with a quantity from its stack. */
  items: z
    .array(
      z.strictObject({
        slot: z.number().int().min(0).max(999),
        qty: z.number().int().min(1).max(9999),
      }),
    )
    .max(MAX_MAIL_ITEMS)
    .default([]),
});

export const MailListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

const Stack = z.object({ itemId: z.string(), qty: z.number().int() });

export const MailSummary = z.object({
  id: z.uuid(),
  from: z.string(),
  fromCharacterId: z.uuid().nullable(),
  subject: z.string(),
  kind: z.enum(["player", "return", "system"]),
  /** Attachments still to claim. */
  gold: z.number().int(),
  items: z.array(Stack),
  createdAt: z.string(),
  read: z.boolean(),
  claimedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  /** When unclaimed attachments go back to the sender (null: never). */
  returnAt: z.string().nullable(),
});

export const MailList = z.object({ mail: z.array(MailSummary), nextCursor: z.string().nullable() });
export const MailView = MailSummary.extend({ body: z.string() });
export const MailSent = z.object({
  mailId: z.uuid(),
  gold: z.number().int(),
  items: z.array(Stack),
});
export const MailClaimed = z.object({
  mailId: z.uuid(),
  gold: z.number().int(),
  items: z.array(Stack),
  /** The character's gold after the claim. */
  characterGold: z.number().int(),
});

export type MailSummary = z.infer<typeof MailSummary>;
export type MailView = z.infer<typeof MailView>;
