import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { inSpan, inTrace, SpanKind } from "../infra/tracing.ts";
import { PrismaClient, type Prisma } from "./generated/client.ts";
import { migrate, pendingMigrations, readMigrations, type MigrationReport } from "./migrator.ts";
import { openPglite } from "./open-pglite.ts";
import { createPgliteWorkerDriver, PrismaPgliteWorker } from "./pglite-worker-adapter.ts";
import { PgliteWorkerClient } from "./pglite-worker-client.ts";
import { createPgDriver, createPgliteDriver, type SqlDriver } from "./sql-driver.ts";

export type { PrismaClient };

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export type DatabaseOptions = {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string;
  /** Directory for PGlite files, or ":memory:". */
  dataDir: string;
  /**
   * Where PGlite runs: on a worker thread (the default), so its queries leave this event loop
   * free, or on this thread ("main"). PGlite's WASM Postgres runs synchronously on its thread.
   */
  pgliteThread?: "worker" | "main";
  poolSize?: number;
  /** Called for every failed Prisma operation (for the DB error metric); must not throw. */
  onQueryError?(operation: string): void;
  /** Called for every SQL statement Prisma runs (benchmarks count them); must not throw. */
  onQuery?(event: { query: string; durationMs: number }): void;
  /** A client span per Prisma operation (src/infra/tracing.ts); only when tracing is on. */
  traceQueries?: boolean;
};

export type Database = {
  readonly kind: SqlDriver["kind"];
  readonly prisma: PrismaClient;
  readonly sql: SqlDriver;
  /** Applies pending migrations from prisma/migrations. */
  migrate(): Promise<MigrationReport>;
  /** True when the database answers and every migration on disk is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
};

/** Connects to PostgreSQL when `url` is set, otherwise opens the embedded PGlite. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let prisma: PrismaClient;
  let sql: SqlDriver;
  if (options.url) {
    const { connectionString, schema } = splitSchema(options.url);
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
    });
    pool.on("error", () => undefined); // idle client errors surface on the next query instead
    prisma = new PrismaClient({
      adapter: new PrismaPg(pool, schema ? { schema } : undefined),
      ...queryLog(options.onQuery),
    });
    sql = createPgDriver(pool, schema);
  } else if (options.pgliteThread === "main") {
    const pglite = await openPglite(options.dataDir);
    prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), ...queryLog(options.onQuery) });
    sql = createPgliteDriver(pglite);
  } else {
    const worker = await PgliteWorkerClient.start(options.dataDir);
    prisma = new PrismaClient({
      adapter: new PrismaPgliteWorker(worker),
      ...queryLog(options.onQuery),
    });
    sql = createPgliteWorkerDriver(worker);
  }
  if (options.onQuery) {
    const onQuery = options.onQuery;
    prisma.$on("query" as never, (e: Prisma.QueryEvent) =>
      onQuery({ query: e.query, durationMs: e.duration }),
    );
  }
  if (options.onQueryError) prisma = countQueryErrors(prisma, options.onQueryError);
  if (options.traceQueries) prisma = traceQueries(prisma, sql.kind);
  const migrations = readMigrations(MIGRATIONS_DIR);

  return {
    kind: sql.kind,
    prisma,
    sql,
    migrate: async () => migrate(sql, await migrations),
    async isReady() {
      try {
        return (await pendingMigrations(sql, await migrations)).length === 0;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await sql.close();
    },
  };
}

/** Prisma emits a `query` event per statement only when asked to at construction. */
function queryLog(onQuery: DatabaseOptions["onQuery"]) {
  return onQuery ? { log: [{ emit: "event" as const, level: "query" as const }] } : {};
}

/** Reports failed operations without changing them; the extended client keeps PrismaClient's API. */
function countQueryErrors(
  prisma: PrismaClient,
  onError: (operation: string) => void,
): PrismaClient {
  return prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        try {
          return await query(args);
        } catch (error) {
          onError(model ? `${model}.${operation}` : operation);
          throw error;
        }
      },
    },
  }) as unknown as PrismaClient;
}

/**
 * Spans named `<operation> <Model>` (db.* attributes) around the operations, raw queries included,
 * that run inside a trace. Background work (write-behind flushes, leaderboard refreshes, mail
 * sweeps) runs every second or so outside any: one-span traces of it would bury the rest. An
 * extension rather than @prisma/instrumentation: that package brings a second OpenTelemetry
 * instrumentation stack (0.207) and reports through the global tracer provider.
 */
function traceQueries(prisma: PrismaClient, kind: SqlDriver["kind"]): PrismaClient {
  return prisma.$extends({
    query: {
      $allOperations({ model, operation, args, query }) {
        if (!inTrace()) return query(args);
        const attributes = {
          "db.system.name": "postgresql",
          "db.operation.name": operation,
          "mmo.db.driver": kind,
          ...(model && { "db.collection.name": model }),
        };
        const name = model ? `${operation} ${model}` : operation;
        return inSpan(name, attributes, undefined, () => query(args), SpanKind.CLIENT);
      },
    },
  }) as unknown as PrismaClient;
}

/** Prisma's `?schema=` URL parameter selects a PostgreSQL schema other than `public`. */
function splitSchema(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (schema === undefined) return { connectionString: url };
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL: schema "${schema}" is not a plain identifier`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}
