import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/database.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";

describe("openDatabase", () => {
  it("opens PGlite without zero-filling new WAL segments, for every query path", async () => {
    const db = await openDatabase({ dataDir: ":memory:" });
    try {
      await db.migrate();
      const viaDriver = await db.sql.query<{ wal_init_zero: string }>("SHOW wal_init_zero");
      assert.deepEqual(viaDriver, [{ wal_init_zero: "off" }]);
      await db.prisma.$transaction(async (tx) => tx.$executeRaw`SELECT 1`);
      const viaPrisma = await db.prisma.$queryRaw<{ wal_init_zero: string }[]>`SHOW wal_init_zero`;
      assert.deepEqual(viaPrisma, [{ wal_init_zero: "off" }]);
    } finally {
      await db.close();
    }
  });

  for (const target of DATABASE_TARGETS) {
    it(`reports each statement Prisma runs on ${target.name} when asked`, async function () {
      await skipUnlessAvailable(this, target);
      const fresh = await target.create();
      const queries: string[] = [];
      const db = await openDatabase({
        url: fresh.url,
        dataDir: fresh.dataDir,
        poolSize: 2,
        onQuery: (e) => {
          assert.ok(e.durationMs >= 0);
          queries.push(e.query);
        },
      });
      try {
        await db.prisma.$queryRaw`SELECT 41 + 1 AS answer`;
        await db.prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 'inside' AS here`);
        assert.ok(
          queries.some((q) => q.includes("41 + 1")),
          queries.join("\n"),
        );
        assert.ok(
          queries.some((q) => q.includes("'inside'")),
          queries.join("\n"),
        );
      } finally {
        await db.close();
        await fresh.drop();
      }
    });
  }
});
