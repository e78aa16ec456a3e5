/** The building blocks every OpenAPI fragment (src/http/openapi.ts and the features') shares. */
import { z } from "zod";

export type Json = Record<string, unknown>;

/** The JSON Schema of a zod schema, as a request (`input`) or a response (`output`). */
export const schemaOf = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;

/** A required JSON request body. */
export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { "application/json": { schema: schemaOf(schema, "input") } },
});

/** A JSON response whose schema is the component `ref`. */
export const jsonResponse = (description: string, ref: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
});

/** An error response: `{ error: { code, message, details? } }`. */
export const errorResponse = (description: string) => jsonResponse(description, "Error");

export const bearer = [{ bearerAuth: [] }];

export const unauthorizedResponse = errorResponse("Missing or invalid token");
export const notOwnedResponse = errorResponse(
  "No such character on this account (CHARACTER_NOT_FOUND)",
);
