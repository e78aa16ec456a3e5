import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { Prisma, PrismaClient } from "../../src/db/generated/client.ts";
import { PrismaPgliteWorker } from "../../src/db/pglite-worker-adapter.ts";
import { PgliteWorkerClient } from "../../src/db/pglite-worker-client.ts";

const newAccount = (email: string) => ({ id: randomUUID(), email, passwordHash: "x" });
const readCounter = async (db: Database) =>
  (await db.prisma.$queryRaw<{ n: number }[]>`SELECT n FROM counter`)[0]!.n;

describe("PGlite on a worker thread", function () {
  this.timeout(60_000);

  describe("through Prisma", () => {
    let db: Database;
    beforeEach(async () => {
      db = await openDatabase({ dataDir: ":memory:", pgliteThread: "worker" });
      await db.migrate();
      await db.prisma.$executeRawUnsafe(`CREATE TABLE counter (n integer NOT NULL)`);
      await db.prisma.$executeRawUnsafe(`INSERT INTO counter VALUES (0)`);
    });
    afterEach(async () => db.close());

    it("maps a unique violation to P2002 and keeps the row values Prisma reads", async () => {
      const created = await db.prisma.account.create({ data: newAccount("twice@example.com") });
      await assert.rejects(
        db.prisma.account.create({ data: newAccount("twice@example.com") }),
        (error) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002",
      );
      const read = await db.prisma.account.findUniqueOrThrow({ where: { id: created.id } });
      assert.deepEqual(read, created);
      assert.ok(read.createdAt instanceof Date);
    });

    it("commits a transaction, and rolls back one that throws", async () => {
      await db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE counter SET n = 5`;
        await tx.account.create({ data: newAccount("kept@example.com") });
      });
      await assert.rejects(
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`UPDATE counter SET n = 99`;
          await tx.account.create({ data: newAccount("dropped@example.com") });
          throw new Error("changed my mind");
        }),
        /changed my mind/,
      );
      assert.equal(await readCounter(db), 5);
      const emails = (await db.prisma.account.findMany({ select: { email: true } })).map(
        (a) => a.email,
      );
      assert.deepEqual(emails, ["kept@example.com"]);
    });

    it("runs one transaction at a time, so read-modify-writes do not lose updates", async () => {
      const bump = () =>
        db.prisma.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT n FROM counter`;
          // Room for another transaction to read the same value, were two ever open at once.
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.$executeRaw`UPDATE counter SET n = ${row!.n + 1}`;
        });
      await Promise.all([bump(), bump(), bump(), bump()]);
      assert.equal(await readCounter(db), 4);
    });

    it("holds a statement outside the transaction until the open one ends", async () => {
      const events: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const transaction = db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE counter SET n = 10`;
        entered();
        await held;
        events.push("commit");
      });
      await inside;
      const outside = readCounter(db).then((n) => events.push(`outside read ${n}`));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(events, [], "the outside read waits for the transaction");
      release();
      await Promise.all([transaction, outside]);
      assert.deepEqual(events, ["commit", "outside read 10"]);
    });
  });

  it("fails pending and later calls, inside a transaction too, when the thread dies", async () => {
    const client = await PgliteWorkerClient.start(":memory:");
    const prisma = new PrismaClient({ adapter: new PrismaPgliteWorker(client) });
    try {
      assert.deepEqual(await prisma.$queryRaw`SELECT 1 AS one`, [{ one: 1 }]);
      const sleeping = prisma.$queryRaw`SELECT pg_sleep(30)`;
      const inTransaction = prisma.$transaction(async (tx) => {
        await sleeping.catch(() => undefined);
        await tx.$queryRaw`SELECT 2`;
      });
      await client.terminate();
      await assert.rejects(sleeping, /PGlite worker exited/);
      await assert.rejects(inTransaction, /PGlite worker exited/);
      await assert.rejects(prisma.$queryRaw`SELECT 3`, /PGlite worker exited/);
    } finally {
      await prisma.$disconnect();
      await client.close();
    }
  });

  it("fails to start, rather than waiting, when PGlite cannot open its directory", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pglite-worker-"));
    try {
      const notADirectory = path.join(dir, "file");
      await writeFile(notADirectory, "");
      await assert.rejects(PgliteWorkerClient.start(notADirectory), /ENOTDIR|not a directory/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("on disk, leaves every committed row in the files when closed", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "pglite-worker-"));
    try {
      const written = await openDatabase({ dataDir, pgliteThread: "worker" });
      await written.migrate();
      const ids = await Promise.all(
        ["a", "b", "c"].map(async (name) => {
          const account = newAccount(`${name}@example.com`);
          await written.prisma.account.create({ data: account });
          return account.id;
        }),
      );
      await written.close();
      await assert.rejects(written.prisma.account.count(), /PGlite worker is closed/);

      const reopened = await openDatabase({ dataDir, pgliteThread: "main" });
      try {
        const rows = await reopened.prisma.account.findMany({ select: { id: true } });
        assert.deepEqual(rows.map((r) => r.id).sort(), [...ids].sort());
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
