import { z } from "zod";
import { idSchema, positiveIntSchema } from "./common.ts";

export const lootEntrySchema = z
  .strictObject({
    item: idSchema,
    weight: z.number().finite().positive(),
    min: positiveIntSchema,
    max: positiveIntSchema,
  })
  .refine((e) => e.max >= e.min, { error: "max must be >= min", path: ["max"] });
export type LootEntry = z.infer<typeof lootEntrySchema>;

export const lootTableSchema = z
  .strictObject({
    id: idSchema,
    /** Independent draws per kill. */
    rolls: positiveIntSchema,
    /** Weight of drawing nothing, against the entries' weights. */
    nothingWeight: z.number().finite().nonnegative(),
    entries: z.array(lootEntrySchema),
  })
  .refine((t) => t.entries.length > 0 || t.nothingWeight > 0, {
    error: "a table needs entries or a nothingWeight",
    path: ["entries"],
  });
export type LootTable = z.infer<typeof lootTableSchema>;

/** content/loot.json */
export const lootFileSchema = z.strictObject({ lootTables: z.array(lootTableSchema).min(1) });
