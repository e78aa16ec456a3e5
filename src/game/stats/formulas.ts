import { z } from "zod";
import { compareNames } from "./name-table.ts";
import { dimensionNameSchema, type ParseResult } from "./schemas.ts";

/**
 * Derived-from-primary formulas as data: each derived dimension is `base + Σ coef × primary[stat]`
 * (a missing primary stat counts as 0). Inside the aggregator each result enters as a FLAT
 * contribution on that Derived dimension from `system`, so caps and clamps still apply to it.
 */
export const derivedFormulasSchema = z.strictObject({
  $comment: z.string().optional(),
  system: z.string().min(1).default("base"),
  formulas: z.record(
    dimensionNameSchema,
    z.strictObject({
      base: z.number(),
      per: z.record(dimensionNameSchema, z.number()).default({}),
    }),
  ),
});

/** Validated formula data (content/stats/derived-formulas.json). */
export type DerivedFormulas = z.output<typeof derivedFormulasSchema>;

/** Validate formula data. */
export function parseDerivedFormulas(input: unknown): ParseResult<DerivedFormulas> {
  const parsed = derivedFormulasSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
  };
}

/** One formula with its terms in ascending stat order (the summation order). */
export type OrderedFormula = {
  readonly dimension: string;
  readonly base: number;
  readonly terms: readonly { readonly stat: string; readonly coef: number }[];
};

/** Formulas in ascending dimension order, terms in ascending stat order. */
export function orderFormulas(formulas: DerivedFormulas): OrderedFormula[] {
  return Object.keys(formulas.formulas)
    .sort(compareNames)
    .map((dimension) => {
      const f = formulas.formulas[dimension];
      if (f === undefined) throw new Error(`unreachable: formula ${dimension}`);
      const terms = Object.keys(f.per)
        .sort(compareNames)
        .map((stat) => ({ stat, coef: f.per[stat] ?? 0 }));
      return { dimension, base: f.base, terms };
    });
}

/** Derived stat values (unclamped) from primary stat values; units follow each dimension. */
export function deriveStats(
  primary: Readonly<Record<string, number>>,
  formulas: DerivedFormulas,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of orderFormulas(formulas)) {
    let v = f.base;
    for (const t of f.terms)
      v += t.coef * (Object.hasOwn(primary, t.stat) ? (primary[t.stat] ?? 0) : 0);
    out[f.dimension] = v;
  }
  return out;
}
