import { z } from "zod";
import { idSchema, msSchema, nameSchema, Scaling, statModSchema } from "./common.ts";

export const SkillKind = {
  DAMAGE: "damage",
  HEAL: "heal",
  BUFF: "buff",
  DEBUFF: "debuff",
} as const;
export type SkillKind = (typeof SkillKind)[keyof typeof SkillKind];

export const TargetType = { SELF: "self", SINGLE: "single", AREA: "area" } as const;
export type TargetType = (typeof TargetType)[keyof typeof TargetType];

/** self: the caster; single: one target in range; area: everyone within radius of the target. */
export const skillTargetSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal(TargetType.SELF) }),
  z.strictObject({ type: z.literal(TargetType.SINGLE) }),
  z.strictObject({ type: z.literal(TargetType.AREA), radius: z.number().positive() }),
]);
export type SkillTarget = z.infer<typeof skillTargetSchema>;

const skillBase = {
  id: idSchema,
  name: nameSchema,
  description: z.string().optional(),
  job: idSchema,
  /** World units from caster to target (0 for self). */
  range: z.number().finite().nonnegative(),
  cooldownMs: msSchema,
  mpCost: z.number().int().nonnegative(),
  /** 0 means instant. */
  castTimeMs: msSchema,
  target: skillTargetSchema,
  /** Threat per point of damage or healing; 1 when absent. */
  threatMultiplier: z.number().finite().nonnegative().optional(),
};

const powerSkill = {
  ...skillBase,
  scaling: z.enum(Scaling),
  factor: z.number().finite().positive(),
};

const effectSkill = {
  ...skillBase,
  modifiers: z.array(statModSchema).min(1),
  durationMs: z.number().int().positive(),
};

export const skillSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...powerSkill, kind: z.literal(SkillKind.DAMAGE) }),
  z.strictObject({ ...powerSkill, kind: z.literal(SkillKind.HEAL) }),
  z.strictObject({ ...effectSkill, kind: z.literal(SkillKind.BUFF) }),
  z.strictObject({ ...effectSkill, kind: z.literal(SkillKind.DEBUFF) }),
]);
export type Skill = z.infer<typeof skillSchema>;
export type DamageSkill = Extract<Skill, { kind: "damage" }>;
export type HealSkill = Extract<Skill, { kind: "heal" }>;
export type EffectSkill = Extract<Skill, { kind: "buff" | "debuff" }>;

/** Basic attack repeated while in range; its interval is divided by attack_speed. */
export const autoAttackSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  range: z.number().finite().positive(),
  intervalMs: z.number().int().positive(),
  scaling: z.enum(Scaling),
  factor: z.number().finite().positive(),
});
export type AutoAttack = z.infer<typeof autoAttackSchema>;

/** content/skills.json */
export const skillsFileSchema = z.strictObject({
  autoAttacks: z.array(autoAttackSchema).min(1),
  skills: z.array(skillSchema).min(1),
});
