import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";
import { migrate, pendingMigrations, readMigrations, type MigrationReport } from "./migrator.ts";
import { createPgDriver, createPgliteDriver, type SqlDriver } from "./sql-driver.ts";

export type { PrismaClient };

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export type DatabaseOptions = {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string;
  /** Directory for PGlite files, or ":memory:". */
  dataDir: string;
  poolSize?: number;
  /** Called for every failed Prisma operation (for the DB error metric); must not throw. */
  onQueryError?(operation: string): void;
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
    prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
    sql = createPgDriver(pool, schema);
  } else {
    const pglite = await openPglite(options.dataDir);
    prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    sql = createPgliteDriver(pglite);
  }
  if (options.onQueryError) prisma = countQueryErrors(prisma, options.onQueryError);
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

async function openPglite(dataDir: string): Promise<PGlite> {
  if (dataDir === ":memory:") return PGlite.create();
  const dir = path.resolve(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  return PGlite.create(dir);
}
