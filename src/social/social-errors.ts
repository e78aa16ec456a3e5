import { Prisma } from "../db/generated/client.ts";
import { GameError } from "../errors.ts";

/** A 400 naming `path`, like the body validation's. */
export function fieldError(path: string, message: string): GameError {
  return new GameError("VALIDATION_FAILED", `${path}: ${message}`, {
    details: [{ path, message }],
  });
}

/** A unique or primary key violation (a concurrent request won the race). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** A foreign key violation (the referenced row went away meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003";
}
