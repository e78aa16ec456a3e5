import { z } from "zod";
import { capSchema, idSchema, nameSchema, positiveIntSchema } from "./common.ts";

export const realmSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  description: z.string().optional(),
  minLevel: positiveIntSchema,
  maxLevel: positiveIntSchema,
  /** REALM-layer caps this tier imposes (they rise tier by tier). */
  caps: z.array(capSchema),
});
export type Realm = z.infer<typeof realmSchema>;

/** XP to go from level L to L+1 = floor(base * L^exponent + linear * L). */
export const xpCurveSchema = z.strictObject({
  base: z.number().finite().positive(),
  exponent: z.number().finite().min(1).max(4),
  linear: z.number().finite().nonnegative().default(0),
});
export type XpCurve = z.infer<typeof xpCurveSchema>;

/** content/leveling.json */
export const levelingFileSchema = z
  .strictObject({
    levelCap: positiveIntSchema.max(1000),
    xpCurve: xpCurveSchema,
    realms: z.array(realmSchema).min(1),
  })
  .superRefine((l, ctx) => {
    let expected = 1;
    l.realms.forEach((realm, i) => {
      if (realm.minLevel !== expected) {
        ctx.addIssue({
          code: "custom",
          message: `realm ${realm.id} must start at level ${expected}`,
          path: ["realms", i, "minLevel"],
        });
      }
      if (realm.maxLevel < realm.minLevel) {
        ctx.addIssue({
          code: "custom",
          message: `realm ${realm.id} ends before it starts`,
          path: ["realms", i, "maxLevel"],
        });
      }
      expected = realm.maxLevel + 1;
    });
    if (expected !== l.levelCap + 1) {
      ctx.addIssue({
        code: "custom",
        message: `realms must cover levels 1..${l.levelCap} without gaps`,
        path: ["realms"],
      });
    }
  });
export type Leveling = z.infer<typeof levelingFileSchema>;
