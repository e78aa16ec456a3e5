import { z } from "zod";
import {
  AcrossPolicy,
  Bucket,
  CapKind,
  CapMode,
  Operator,
  type CapLayerRegistry,
  type CombinerRegistry,
  type SubsystemOutput,
} from "./types.ts";

/** Dimension keys are snake_case (Contribution.schema.json). */
export const dimensionNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);

const valuesOf = <T extends Record<string, string>>(e: T) =>
  Object.values(e) as [T[keyof T], ...T[keyof T][]];

export const contributionSchema = z.strictObject({
  dimension: dimensionNameSchema,
  bucket: z.enum(valuesOf(Bucket)),
  value: z.number(),
  system: z.string(),
  priority: z.int().optional(),
});

export const capContributionSchema = z
  .strictObject({
    system: z.string(),
    dimension: dimensionNameSchema,
    mode: z.enum(valuesOf(CapMode)),
    kind: z.enum(valuesOf(CapKind)),
    value: z.number(),
    priority: z.int().optional(),
    scope: z.string().optional(),
    realm: z.string().optional(),
    tags: z.array(z.string()).optional(),
  })
  .refine((cap) => cap.scope !== "REALM" || cap.realm !== undefined, {
    message: "realm is required when scope is REALM",
    path: ["realm"],
  });

export const subsystemOutputSchema = z.strictObject({
  primary: z.array(contributionSchema),
  derived: z.array(contributionSchema),
  caps: z.array(capContributionSchema),
  context: z
    .record(
      z.string(),
      z.strictObject({
        additive_percent: z.number().optional(),
        multipliers: z.array(z.number()).optional(),
        post_add: z.number().optional(),
      }),
    )
    .optional(),
  meta: z.strictObject({
    system: z.string(),
    stage: z.string().optional(),
    version: z.int().optional(),
  }),
});

export const subsystemOutputsSchema = z.array(subsystemOutputSchema);

export const clampRangeSchema = z
  .strictObject({ min: z.number(), max: z.number() })
  .refine((r) => r.min <= r.max, { message: "clamp min must not exceed max" });

export const mergeRuleSchema = z.strictObject({
  use_pipeline: z.boolean(),
  operator: z.enum(valuesOf(Operator)).optional(),
  clamp_default: clampRangeSchema,
});

export const combinerRegistrySchema = z.strictObject({
  dimensions: z.record(dimensionNameSchema, mergeRuleSchema),
});

export const capLayerRegistrySchema = z.strictObject({
  order: z
    .array(z.string())
    .min(1)
    .refine((order) => new Set(order).size === order.length, {
      message: "layer names must be unique",
    }),
  across_policy: z.enum(valuesOf(AcrossPolicy)),
});

/** Parse outcome: the value, or readable problems ("path: message"). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string[] };

function toResult<T>(parsed: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
  };
}

/** Validate an array of subsystem outputs (e.g. a golden vector's subsystems.json). */
export function parseSubsystemOutputs(input: unknown): ParseResult<SubsystemOutput[]> {
  return toResult(subsystemOutputsSchema.safeParse(input));
}

/** Validate a combiner registry (Registry.schema.json shape). */
export function parseCombinerRegistry(input: unknown): ParseResult<CombinerRegistry> {
  return toResult(combinerRegistrySchema.safeParse(input));
}

/** Validate a cap layer registry (CapLayerRegistry.schema.json shape). */
export function parseCapLayerRegistry(input: unknown): ParseResult<CapLayerRegistry> {
  return toResult(capLayerRegistrySchema.safeParse(input));
}
