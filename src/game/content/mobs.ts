import { z } from "zod";
import { idSchema, msSchema, nameSchema, positiveIntSchema } from "./common.ts";

const rate = z.number().finite().min(0).max(1);

export const mobAiSchema = z
  .strictObject({
    /** World units within which the mob notices a player. */
    aggroRadius: z.number().finite().nonnegative(),
    /** Distance from its spawn point past which the mob gives up and walks home. */
    leashRadius: z.number().finite().positive(),
    /** World units per second. */
    moveSpeed: z.number().finite().positive(),
    attackRange: z.number().finite().positive(),
    attackCooldownMs: z.number().int().positive(),
    wanderRadius: z.number().finite().nonnegative(),
    respawnMs: msSchema,
  })
  .refine((ai) => ai.leashRadius >= ai.aggroRadius, {
    error: "leashRadius must be >= aggroRadius",
    path: ["leashRadius"],
  });
export type MobAi = z.infer<typeof mobAiSchema>;

export const mobSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema,
    description: z.string().optional(),
    level: positiveIntSchema,
    hp: positiveIntSchema,
    mp: z.number().int().nonnegative().default(0),
    attack_power: z.number().finite().nonnegative(),
    magic_power: z.number().finite().nonnegative().default(0),
    defense: z.number().finite().nonnegative(),
    crit_rate: rate.default(0.05),
    crit_damage: z.number().finite().min(1).default(1.5),
    hit_rate: rate.default(0.95),
    dodge_rate: rate.default(0.05),
    /** XP reward, split among contributors. */
    xp: z.number().int().nonnegative(),
    gold: z.strictObject({ min: z.number().int().nonnegative(), max: z.number().int() }),
    /** Id of a loot.json table. */
    lootTable: idSchema,
    ai: mobAiSchema,
  })
  .refine((m) => m.gold.max >= m.gold.min, {
    error: "gold.max must be >= gold.min",
    path: ["gold", "max"],
  });
export type Mob = z.infer<typeof mobSchema>;

/** content/mobs.json */
export const mobsFileSchema = z.strictObject({ mobs: z.array(mobSchema).min(1) });
