import { z } from "zod";

export const BoardQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(40).optional(),
});

export const AroundQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(51).default(11),
});

const Entry = z.object({
  rank: z.number().int().min(1),
  id: z.uuid(),
  name: z.string(),
  score: z.number(),
  level: z.number().int().optional(),
  xp: z.number().int().optional(),
});

export const BoardPage = z.object({
  board: z.enum(["level", "arena", "guild"]),
  entries: z.array(Entry),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});

export const BoardAround = z.object({
  board: z.enum(["level", "arena", "guild"]),
  /** The character's rank (its guild's on the guild board). */
  rank: z.number().int().min(1),
  id: z.uuid(),
  entries: z.array(Entry),
});
