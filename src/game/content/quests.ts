import { z } from "zod";
import { idSchema, nameSchema, positiveIntSchema } from "./common.ts";

export const ObjectiveType = { KILL: "kill", COLLECT: "collect", VISIT: "visit" } as const;
export type ObjectiveType = (typeof ObjectiveType)[keyof typeof ObjectiveType];

export const objectiveSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal(ObjectiveType.KILL), mob: idSchema, count: positiveIntSchema }),
  /** Progress is the count held in the inventory; turning in takes the items. */
  z.strictObject({
    type: z.literal(ObjectiveType.COLLECT),
    item: idSchema,
    count: positiveIntSchema,
  }),
  z.strictObject({
    type: z.literal(ObjectiveType.VISIT),
    zone: idSchema,
    x: z.number().finite(),
    y: z.number().finite(),
    radius: z.number().finite().positive(),
  }),
]);
export type Objective = z.infer<typeof objectiveSchema>;

export const questSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  description: z.string().optional(),
  /** Id of the NPC (content/zones/*.json `npcs`) who gives the quest and takes it back. */
  giver: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, { error: "giver must be an NPC id (a-z, 0-9, '-', '_')" })
    .optional(),
  minLevel: positiveIntSchema.default(1),
  /** Quests that must be turned in first. */
  prerequisites: z.array(idSchema).default([]),
  objectives: z.array(objectiveSchema).min(1),
  rewards: z.strictObject({
    xp: z.number().int().nonnegative().default(0),
    gold: z.number().int().nonnegative().default(0),
    items: z.array(z.strictObject({ item: idSchema, qty: positiveIntSchema })).default([]),
  }),
});
export type Quest = z.infer<typeof questSchema>;

/** content/quests.json */
export const questsFileSchema = z.strictObject({ quests: z.array(questSchema).min(1) });
