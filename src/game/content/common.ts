import { z } from "zod";
import { CapKind, CapMode } from "../stats/types.ts";

/** Content ids: lowercase snake_case, stable across versions (saved characters refer to them). */
export const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: "id must be lowercase snake_case (a-z, 0-9, _)" });

/** Primary attributes every race and job defines (base value and growth per level). */
export const PRIMARY_STATS = ["strength", "agility", "intelligence", "vitality", "spirit"] as const;
export type PrimaryStat = (typeof PRIMARY_STATS)[number];

/** Derived dimensions the Actor Core aggregator computes, and combat reads. */
export const DERIVED_STATS = [
  "hp_max",
  "mp_max",
  "attack_power",
  "magic_power",
  "defense",
  "crit_rate",
  "crit_damage",
  "attack_speed",
  "move_speed",
  "cooldown_reduction",
  "hit_rate",
  "dodge_rate",
  "hp_regen",
  "mp_regen",
] as const;
export type DerivedStat = (typeof DERIVED_STATS)[number];

/** Every dimension content may name; a typo in content is refused at start-up. */
export const DIMENSIONS = [...PRIMARY_STATS, ...DERIVED_STATS] as const;
export type Dimension = PrimaryStat | DerivedStat;

export const dimensionSchema = z.enum(DIMENSIONS, {
  error: (issue) => `unknown dimension ${JSON.stringify(issue.input)}`,
});

/** Contribution buckets content may use (the aggregator also knows POST_ADD and OVERRIDE). */
export const Bucket = { FLAT: "FLAT", MULT: "MULT" } as const;
export type Bucket = (typeof Bucket)[keyof typeof Bucket];

/** A stat contribution without its system: items, buffs and debuffs carry lists of these. */
export const statModSchema = z.strictObject({
  dimension: dimensionSchema,
  bucket: z.enum(Bucket),
  value: z.number().finite(),
});
export type StatMod = z.infer<typeof statModSchema>;

// Cap modes and kinds are the aggregator's own (Actor Core CapContribution schema).
export { CapKind, CapMode };

/** A cap without its system/scope: realm tiers carry lists of these. */
export const capSchema = z
  .strictObject({
    dimension: dimensionSchema,
    mode: z.enum(CapMode),
    kind: z.enum(CapKind),
    value: z.number().finite(),
  })
  .refine((c) => c.mode !== CapMode.HARD_MAX || c.kind === CapKind.MAX, {
    error: "HARD_MAX caps must have kind max",
    path: ["kind"],
  })
  .refine((c) => c.mode !== CapMode.HARD_MIN || c.kind === CapKind.MIN, {
    error: "HARD_MIN caps must have kind min",
    path: ["kind"],
  });
export type Cap = z.infer<typeof capSchema>;

export const primaryStatsSchema = z.strictObject({
  strength: z.number().finite().nonnegative(),
  agility: z.number().finite().nonnegative(),
  intelligence: z.number().finite().nonnegative(),
  vitality: z.number().finite().nonnegative(),
  spirit: z.number().finite().nonnegative(),
});
export type PrimaryStats = z.infer<typeof primaryStatsSchema>;

export const Rarity = {
  COMMON: "common",
  UNCOMMON: "uncommon",
  RARE: "rare",
  EPIC: "epic",
  LEGENDARY: "legendary",
} as const;
export type Rarity = (typeof Rarity)[keyof typeof Rarity];

/** Weapon families; jobs list the ones they can wield. */
export const WeaponType = {
  SWORD: "sword",
  SABER: "saber",
  SPEAR: "spear",
  STAFF: "staff",
  FAN: "fan",
  BOW: "bow",
  DAGGER: "dagger",
} as const;
export type WeaponType = (typeof WeaponType)[keyof typeof WeaponType];

/** Which of the caster's powers a damage or heal skill multiplies. */
export const Scaling = { ATTACK_POWER: "attack_power", MAGIC_POWER: "magic_power" } as const;
export type Scaling = (typeof Scaling)[keyof typeof Scaling];

export const nameSchema = z.string().min(1);
export const msSchema = z.number().int().nonnegative();
export const positiveIntSchema = z.number().int().positive();
