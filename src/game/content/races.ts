import { z } from "zod";
import { idSchema, nameSchema, primaryStatsSchema } from "./common.ts";

export const raceSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  description: z.string().optional(),
  baseStats: primaryStatsSchema,
  growthPerLevel: primaryStatsSchema,
});
export type Race = z.infer<typeof raceSchema>;

/** content/races.json */
export const racesFileSchema = z.strictObject({ races: z.array(raceSchema).min(1) });
