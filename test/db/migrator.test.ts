import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/database.ts";
import { migrate, MigrationError, readMigrations, type Migration } from "../../src/db/migrator.ts";
import { MIGRATIONS_DIR } from "../../src/db/database.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";

const extra = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-of-${sql}` });

for (const target of DATABASE_TARGETS) {
  describe(`migrator on ${target.name}`, function () {
    let fresh: Awaited<ReturnType<typeof target.create>>;
    let migrations: Migration[];

    beforeEach(async function () {
      await skipUnlessAvailable(this, target);
      fresh = await target.create();
      migrations = await readMigrations(MIGRATIONS_DIR);
    });
    afterEach(async () => fresh?.drop());

    const open = () => openDatabase({ url: fresh.url, dataDir: fresh.dataDir, poolSize: 2 });

    it("applies every migration and records it like Prisma when the database is fresh", async () => {
      const db = await open();
      try {
        assert.equal(await db.isReady(), false);
        const report = await db.migrate();
        assert.deepEqual(
          report.applied,
          migrations.map((m) => m.name),
        );
        assert.deepEqual(report.alreadyApplied, []);
        const rows = await db.sql.query<{
          migration_name: string;
          checksum: string;
          finished_at: Date | null;
          applied_steps_count: number;
        }>(
          `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`,
        );
        assert.deepEqual(
          rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count]),
          migrations.map((m) => [m.name, m.checksum, 1]),
        );
        assert.ok(rows.every((r) => r.finished_at instanceof Date));
        assert.match(rows[0]!.checksum, /^[0-9a-f]{64}$/);
        assert.equal(await db.isReady(), true);
      } finally {
        await db.close();
      }
    });

    it("applies nothing when the database is already migrated", async () => {
      const db = await open();
      try {
        await db.migrate();
        const again = await db.migrate();
        assert.deepEqual(again.applied, []);
        assert.deepEqual(
          again.alreadyApplied,
          migrations.map((m) => m.name),
        );
      } finally {
        await db.close();
      }
    });

    it("refuses to run when an applied migration's file has changed", async () => {
      const db = await open();
      try {
        await db.migrate();
        const changed = migrations.map((m, i) =>
          i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: "0".repeat(64) } : m,
        );
        await assert.rejects(migrate(db.sql, changed), (error: Error) => {
          assert.ok(error instanceof MigrationError);
          assert.match(error.message, new RegExp(`${migrations[0]!.name} was modified`));
          return true;
        });
      } finally {
        await db.close();
      }
    });

    it("rolls back a failing migration and records nothing for it", async () => {
      const db = await open();
      try {
        const broken = extra(
          "29990101000000_broken",
          `CREATE TABLE half_done (id int); SELECT nope FROM nowhere;`,
        );
        await assert.rejects(migrate(db.sql, [...migrations, broken]));
        const tables = await db.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_done'`,
        );
        assert.equal(tables[0]!.n, 0);
        const rows = await db.sql.query<{ migration_name: string }>(
          `SELECT migration_name FROM "_prisma_migrations"`,
        );
        assert.ok(!rows.some((r) => r.migration_name === broken.name));
        assert.equal(rows.length, migrations.length);
      } finally {
        await db.close();
      }
    });

    it("applies each migration once when two migrators start together", async () => {
      const first = await open();
      const second = target.name === "postgres" ? await open() : first;
      try {
        const slow = extra(
          "29990101000001_slow",
          `SELECT pg_sleep(0.2); CREATE TABLE once_only (id int);`,
        );
        const all = [...migrations, slow];
        const [a, b] = await Promise.all([migrate(first.sql, all), migrate(second.sql, all)]);
        assert.deepEqual([...a.applied, ...b.applied].sort(), all.map((m) => m.name).sort());
        const rows = await first.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "_prisma_migrations"`,
        );
        assert.equal(rows[0]!.n, all.length);
      } finally {
        await first.close();
        if (second !== first) await second.close();
      }
    });
  });
}
