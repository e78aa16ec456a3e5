import type { z } from "zod";
import { GameError } from "../errors.ts";

/** Parses `input` with `schema`, or throws VALIDATION_FAILED naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.join(".") || "body",
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join("; ");
  throw new GameError("VALIDATION_FAILED", summary, { details });
}
