import type { IsolationLevel, SqlQuery } from "@prisma/driver-adapter-utils";

/** What the main thread asks of the PGlite worker (src/db/pglite-worker.ts); `id` pairs replies. */
export type WorkerRequest = { id: number } & WorkerCall;

export type WorkerCall =
  /** A Prisma statement, inside the transaction `txId` when set. */
  | { op: "queryRaw" | "executeRaw"; query: SqlQuery; txId?: number }
  | { op: "executeScript"; script: string }
  /** Replies once PGlite's transaction lock is held, with the id later calls name it by. */
  | { op: "startTransaction"; isolationLevel?: IsolationLevel }
  | { op: "commit" | "rollback"; txId: number }
  /** The migrator's and health checks' raw SQL (src/db/sql-driver.ts), rows as objects. */
  | { op: "query"; sql: string; params: unknown[] }
  | { op: "execInTransaction"; script: string; after: { sql: string; params: unknown[] } }
  /** Closes PGlite (on disk: its files are complete) and ends the thread. */
  | { op: "close" };

export type WorkerReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerError };

/**
 * An error as it crosses the thread boundary: a Prisma driver adapter error keeps its mapped
 * `cause` (the kind Prisma turns into P2002 and the like); any other keeps its primitive fields
 * (`code`, `detail`, `severity`, ...).
 */
export type WorkerError = {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean>;
  adapterCause?: unknown;
};

/** The worker's first message: PGlite is open, or why it could not be. */
export type WorkerStarted = { started: true } | { started: false; error: WorkerError };

/** Copies what survives a structured clone and says what went wrong. */
export function toWorkerError(error: unknown): WorkerError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), fields: {} };
  const fields: WorkerError["fields"] = {};
  for (const [key, value] of Object.entries(error)) {
    if (["string", "number", "boolean"].includes(typeof value)) {
      fields[key] = value as string | number | boolean;
    }
  }
  const cause = (error as { cause?: unknown }).cause;
  const isAdapterError = error.name === "DriverAdapterError" && typeof cause === "object";
  return {
    name: error.name,
    message: error.message,
    fields,
    ...(isAdapterError && { adapterCause: cause }),
  };
}
