import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  characterSelect,
  createCharacterRepository,
} from "../../src/characters/character.repository.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";

for (const target of DATABASE_TARGETS) {
  describe(`character repository on ${target.name}`, function () {
    let opened: Awaited<ReturnType<typeof openTestDatabase>>;
    const owner = randomUUID();
    const stranger = randomUUID();
    const id = randomUUID();

    before(async function () {
      await skipUnlessAvailable(this, target);
      opened = await openTestDatabase(target);
      const { prisma } = opened.db;
      await prisma.account.createMany({
        data: [owner, stranger].map((a) => ({ id: a, email: `${a}@x.test`, passwordHash: "-" })),
      });
      // Values where a careless mapping shows: BIGINTs past 2^53, fractional coordinates,
      // milliseconds in the timestamps.
      await prisma.character.create({
        data: {
          id,
          accountId: owner,
          name: "Rawread",
          nameKey: "rawread",
          race: "elf",
          job: "mage",
          level: 37,
          xp: 9_007_199_254_740_993n,
          zone: "field",
          x: 123.456,
          y: -7.25,
          hp: 88,
          mp: 12,
          gold: 4_200_000_000n,
          createdAt: new Date("2026-01-02T03:04:05.678Z"),
          updatedAt: new Date("2026-02-03T04:05:06.789Z"),
        },
      });
    });
    after(async () => opened?.close());

    it("findOwned returns exactly what Prisma's select returns", async () => {
      const repo = createCharacterRepository(opened.db.prisma, opened.db.sql);
      const viaPrisma = await opened.db.prisma.character.findFirst({
        where: { id, accountId: owner },
        select: characterSelect,
      });
      const raw = await repo.findOwned(owner, id);
      assert.ok(viaPrisma);
      assert.deepEqual(raw, viaPrisma);
      assert.deepEqual(Object.keys(raw!), Object.keys(characterSelect));
      assert.equal(raw!.xp, 9_007_199_254_740_993n);
      assert.equal(raw!.updatedAt.toISOString(), "2026-02-03T04:05:06.789Z");
    });

    it("findOwned answers null for another account's character and for an unknown id", async () => {
      const repo = createCharacterRepository(opened.db.prisma, opened.db.sql);
      assert.equal(await repo.findOwned(stranger, id), null);
      assert.equal(await repo.findOwned(owner, randomUUID()), null);
    });

    it("findOwned calls made together each get their own answer, as Prisma's select", async () => {
      const repo = createCharacterRepository(opened.db.prisma, opened.db.sql);
      const viaPrisma = await opened.db.prisma.character.findFirst({
        where: { id, accountId: owner },
        select: characterSelect,
      });
      // One event-loop turn: on PostgreSQL these go as one statement (issue 13, bench:http), and
      // a malformed id must fail its own read only, as it did alone.
      const settled = await Promise.allSettled([
        repo.findOwned(stranger, id),
        repo.findOwned(owner, id),
        repo.findOwned(owner, randomUUID()),
        repo.findOwned(owner, "not-a-uuid"),
        repo.findOwned(owner, id),
      ]);
      assert.equal(settled[3]!.status, "rejected");
      const good = [0, 1, 2, 4].map((i) => {
        const answer = settled[i]!;
        assert.equal(answer.status, "fulfilled");
        return answer.value;
      });
      assert.deepEqual(good, [null, viaPrisma, null, viaPrisma]);
      assert.deepEqual(Object.keys(good[1]!), Object.keys(characterSelect));
    });
  });
}
