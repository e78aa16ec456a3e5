import { z } from "zod";
import { idSchema, nameSchema, primaryStatsSchema, WeaponType } from "./common.ts";

export const jobSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  description: z.string().optional(),
  baseStats: primaryStatsSchema,
  growthPerLevel: primaryStatsSchema,
  weaponTypes: z.array(z.enum(WeaponType)).min(1),
  /** Id of an entry in skills.json autoAttacks. */
  autoAttack: idSchema,
  /** Ids of skills.json skills; each must name this job. */
  skills: z.array(idSchema).min(1),
});
export type Job = z.infer<typeof jobSchema>;

/** content/jobs.json */
export const jobsFileSchema = z.strictObject({ jobs: z.array(jobSchema).min(1) });
