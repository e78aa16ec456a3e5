import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { SERVICE_URLS, serviceAvailable } from "./services.ts";

export type DatabaseTarget = {
  name: "pglite" | "postgres";
  /** A fresh, empty database (a new PGlite, or a new PostgreSQL schema); `url` is for servers. */
  create(): Promise<{ url?: string; dataDir: string; drop(): Promise<void> }>;
};

const pglite: DatabaseTarget = {
  name: "pglite",
  create: async () => ({ dataDir: ":memory:", drop: async () => undefined }),
};

const postgres: DatabaseTarget = {
  name: "postgres",
  async create() {
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const url = `${SERVICE_URLS.postgres}?schema=${schema}`;
    return {
      url,
      dataDir: ":memory:",
      async drop() {
        const client = new pg.Client({ connectionString: SERVICE_URLS.postgres });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

/** Every database the suite runs against: PGlite always, PostgreSQL when reachable (or CI). */
export const DATABASE_TARGETS: DatabaseTarget[] = [pglite, postgres];

/** Skips the suite for a target whose service is down (fails instead under CI=true). */
export async function skipUnlessAvailable(ctx: Mocha.Context, target: DatabaseTarget) {
  if (target.name === "postgres" && !(await serviceAvailable("postgres"))) ctx.skip();
}

/** Opens a fresh migrated database on `target`; `close` also drops it. */
export async function openTestDatabase(
  target: DatabaseTarget,
): Promise<{ db: Database; close(): Promise<void> }> {
  const fresh = await target.create();
  const db = await openDatabase({ url: fresh.url, dataDir: fresh.dataDir, poolSize: 4 });
  await db.migrate();
  return {
    db,
    async close() {
      await db.close();
      await fresh.drop();
    },
  };
}
