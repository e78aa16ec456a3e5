import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { LocalPresence } from "@colyseus/core";
import { createSanctions, SanctionKind, type Sanctions } from "../../src/admin/sanctions.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { GameError } from "../../src/errors.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import { sleep } from "../helpers/game-server.ts";

for (const target of DATABASE_TARGETS) {
  describe(`sanctions (${target.name})`, function () {
    this.timeout(30_000);
    let db: Database;
    let drop: () => Promise<void>;
    let clock: number;
    // Two processes' sanctions over one database and one presence.
    let here: Sanctions;
    let there: Sanctions;

    before(async function () {
      await skipUnlessAvailable(this, target);
      const fresh = await target.create();
      drop = fresh.drop;
      db = await openDatabase({ url: fresh.url, dataDir: fresh.dataDir });
      await db.migrate();
      const presence = new LocalPresence();
      const now = () => clock;
      here = createSanctions({ prisma: db.prisma, presence, now });
      there = createSanctions({ prisma: db.prisma, presence, now });
      await Promise.all([here.start(), there.start()]);
    });
    after(async () => {
      here?.stop();
      there?.stop();
      await db?.close();
      await drop?.();
    });
    beforeEach(() => {
      clock = Date.parse("2026-12-03T12:00:00.000Z");
    });

    async function account(): Promise<string> {
      const id = randomUUID();
      await db.prisma.account.create({
        data: { id, email: `${id}@example.com`, passwordHash: "x" },
        select: { id: true },
      });
      return id;
    }

    it("drops another process's cached mute when one is imposed or lifted", async () => {
      const id = await account();
      assert.equal(await here.muteOf(id), undefined, "cached as none");
      const mute = await there.impose({
        accountId: id,
        kind: SanctionKind.MUTE,
        reason: "spam",
        by: "ops",
        durationSec: 60,
      });
      await sleep(10);
      assert.deepEqual(await here.muteOf(id), mute);
      assert.equal(mute.expiresAt, "2026-12-03T12:01:00.000Z");
      assert.equal(await there.lift({ accountId: id, kind: SanctionKind.MUTE, by: "ops" }), true);
      await sleep(10);
      assert.equal(await here.muteOf(id), undefined);
      assert.equal(await there.lift({ accountId: id, kind: SanctionKind.MUTE, by: "ops" }), false);
    });

    it("ends a mute at its end time, even while cached", async () => {
      const id = await account();
      await here.impose({
        accountId: id,
        kind: SanctionKind.MUTE,
        reason: "cool down",
        by: "ops",
        durationSec: 5,
      });
      assert.equal((await here.muteOf(id))?.reason, "cool down");
      clock += 5_000;
      assert.equal(await here.muteOf(id), undefined);
    });

    it("keeps one ban in force: a new one replaces it, and the refusal names reason and end", async () => {
      const id = await account();
      const by = "ops";
      await here.impose({ accountId: id, kind: SanctionKind.BAN, reason: "first", by });
      clock += 1_000;
      const second = await here.impose({
        accountId: id,
        kind: SanctionKind.BAN,
        reason: "second",
        by,
        durationSec: 3600,
      });
      assert.deepEqual(await there.banOf(id), second);
      await assert.rejects(there.assertNotBanned(id), (error: unknown) => {
        assert.ok(error instanceof GameError);
        assert.equal(error.code, "ACCOUNT_BANNED");
        assert.equal(
          error.message,
          "This account is banned: second (until 2026-12-03T13:00:01.000Z)",
        );
        return true;
      });
      const rows = await db.prisma.accountSanction.findMany({
        where: { accountId: id },
        orderBy: { createdAt: "asc" },
        select: { reason: true, liftedAt: true },
      });
      assert.deepEqual(
        rows.map((r) => [r.reason, r.liftedAt !== null]),
        [
          ["first", true],
          ["second", false],
        ],
      );
      clock += 3600_000;
      await there.assertNotBanned(id);
      assert.equal(await there.banOf(id), undefined);
    });
  });
}
