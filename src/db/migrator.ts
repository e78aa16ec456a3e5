import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlDriver } from "./sql-driver.ts";

/** pg_advisory_lock key shared by every process migrating this database ("mmo-migr"). */
const MIGRATION_LOCK_KEY = 0x6d6d6f2d6d696772n;

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

/** Same columns as Prisma's own table, so `prisma migrate deploy` sees our migrations as applied. */
const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Reads `<dir>/<name>/migration.sql` in name order (names start with a timestamp). */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/**
 * Applies pending migrations, each in its own transaction, under a database-wide lock so that
 * processes starting together apply each migration exactly once. Refuses to run when an applied
 * migration's file changed or an earlier attempt failed half-way.
 */
export async function migrate(
  driver: SqlDriver,
  migrations: Migration[],
): Promise<MigrationReport> {
  return driver.withLock(MIGRATION_LOCK_KEY, async () => {
    await driver.ensureSchema();
    await driver.query(CREATE_TABLE);
    const rows = await driver.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const applied = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) {
        throw new MigrationError(
          `migration ${row.migration_name} started but did not finish; resolve it before starting`,
        );
      }
      applied.set(row.migration_name, row);
    }

    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.name} was modified after it was applied (checksum mismatch)`,
          );
        }
        report.alreadyApplied.push(migration.name);
        continue;
      }
      await driver.execInTransaction(migration.sql, {
        sql: `INSERT INTO "_prisma_migrations"
                ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
              VALUES ($1, $2, now(), $3, now(), 1)`,
        params: [randomUUID(), migration.checksum, migration.name],
      });
      report.applied.push(migration.name);
    }
    return report;
  });
}

/** Names of migrations on disk that the database has not finished applying. */
export async function pendingMigrations(
  driver: SqlDriver,
  migrations: Migration[],
): Promise<string[]> {
  const rows = await driver.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
