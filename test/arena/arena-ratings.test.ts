import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  createArenaRatingsService,
  type MatchResultInput,
} from "../../src/arena/arena-ratings.service.ts";
import type { Database } from "../../src/db/database.ts";
import { GameError } from "../../src/errors.ts";
import { rateTeams } from "../../src/game/arena/team-rating.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";

for (const target of DATABASE_TARGETS) {
  describe(`arena ratings and match records (${target.name})`, function () {
    this.timeout(30_000);
    let db: Database;
    let close: () => Promise<void>;
    let n = 0;

    before(async function () {
      await skipUnlessAvailable(this, target);
      ({ db, close } = await openTestDatabase(target));
    });
    after(async () => close?.());

    async function character() {
      n += 1;
      const accountId = randomUUID();
      await db.prisma.account.create({
        data: { id: accountId, email: `arena${n}.${randomUUID()}@example.com`, passwordHash: "x" },
      });
      const id = randomUUID();
      const name = `Rated${n}_${id.slice(0, 4)}`;
      await db.prisma.character.create({
        data: {
          id,
          accountId,
          name,
          nameKey: name.toLowerCase(),
          race: "human",
          job: "warrior",
          zone: "town",
          x: 1,
          y: 1,
          hp: 10,
          mp: 10,
        },
      });
      return { id, accountId, name };
    }

    const match = (winner: 0 | 1 | null, a: string[], b: string[]): MatchResultInput => ({
      matchId: randomUUID(),
      mode: a.length === 1 ? "1v1" : "2v2",
      startedAt: new Date(Date.now() - 60_000),
      endedAt: new Date(),
      winner,
      reason: "death",
      participants: [
        ...a.map((characterId) => ({ characterId, team: 0 as const, damageDealt: 100 })),
        ...b.map((characterId) => ({ characterId, team: 1 as const, damageDealt: 40 })),
      ],
    });

    it("rates a match and records it with the ratings in one go, once per match id", async () => {
      const service = createArenaRatingsService(db.prisma);
      const [a, b] = [await character(), await character()];
      const input = match(0, [a.id], [b.id]);
      const rated = await service.recordMatch(input);
      const fresh = { rating: 1500, rd: 350, volatility: 0.06, idlePeriods: 0 };
      const expected = rateTeams([fresh], [fresh], 1);
      const byId = new Map(rated.map((r) => [r.characterId, r]));
      assert.deepEqual(
        [byId.get(a.id)!.result, byId.get(a.id)!.ratingAfter],
        ["win", Math.round(expected.a[0]!.rating)],
      );
      assert.deepEqual(
        [byId.get(b.id)!.result, byId.get(b.id)!.ratingAfter],
        ["loss", Math.round(expected.b[0]!.rating)],
      );
      const row = await db.prisma.arenaRating.findUniqueOrThrow({ where: { characterId: a.id } });
      assert.deepEqual([row.rating, row.wins, row.losses], [byId.get(a.id)!.ratingAfter, 1, 0]);
      assert.ok(Math.abs(row.rd - expected.a[0]!.rd) < 1e-9);
      const again = await service.recordMatch(input);
      assert.deepEqual(
        again.map((r) => r.ratingAfter).sort(),
        rated.map((r) => r.ratingAfter).sort(),
      );
      const after = await db.prisma.arenaRating.findUniqueOrThrow({ where: { characterId: a.id } });
      assert.equal(after.wins, 1, "a retried match is not counted twice");
    });

    it("writes nothing when any part fails (a participant that does not exist)", async () => {
      const service = createArenaRatingsService(db.prisma);
      const a = await character();
      const before = await db.prisma.arenaMatch.count();
      await assert.rejects(service.recordMatch(match(0, [a.id], [randomUUID()])));
      assert.equal(await db.prisma.arenaMatch.count(), before);
      assert.equal(await db.prisma.arenaRating.count({ where: { characterId: a.id } }), 0);
    });

    it("serialises concurrent matches of the same player; the profile shows them", async () => {
      const service = createArenaRatingsService(db.prisma);
      const a = await character();
      const foes = await Promise.all([1, 2, 3].map(() => character()));
      await Promise.all(foes.map((f) => service.recordMatch(match(0, [a.id], [f.id]))));
      const profile = await service.profile(a.accountId, a.id);
      assert.deepEqual([profile.wins, profile.losses], [3, 0]);
      // Locked rows: each match was rated from the rating the one before it left (all wins, so
      // ratings rise and sorting by the rating before gives the order they were rated in).
      const chain = [...profile.history].sort((x, y) => x.ratingBefore - y.ratingBefore);
      assert.equal(chain[0]!.ratingBefore, 1500);
      for (let i = 1; i < chain.length; i++) {
        assert.equal(chain[i]!.ratingBefore, chain[i - 1]!.ratingAfter, "each from the last");
      }
      assert.equal(profile.rating, chain.at(-1)!.ratingAfter);
      assert.ok(foes.map((f) => f.name).includes(profile.history[0]!.opponents[0]!.name!));
      await assert.rejects(
        service.profile(foes[0]!.accountId, a.id),
        (e: unknown) => e instanceof GameError && e.code === "CHARACTER_NOT_FOUND",
      );
    });

    it("lists the last 20 matches, newest first", async () => {
      const service = createArenaRatingsService(db.prisma);
      const [e, f] = [await character(), await character()];
      const ids: string[] = [];
      for (let i = 0; i < 21; i++) {
        const m = { ...match(i % 2 === 0 ? 0 : 1, [e.id], [f.id]), endedAt: new Date(1e12 + i) };
        ids.push(m.matchId);
        await service.recordMatch(m);
      }
      const profile = await service.profile(e.accountId, e.id);
      assert.equal(profile.history.length, 20);
      assert.deepEqual(
        profile.history.map((h) => h.matchId),
        ids.slice(1).reverse(),
      );
      assert.deepEqual([profile.wins, profile.losses], [11, 10]);
    });

    it("rates 2v2 and draws", async () => {
      const service = createArenaRatingsService(db.prisma);
      const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => character()));
      const rated = await service.recordMatch(match(null, [a!.id, b!.id], [c!.id, d!.id]));
      assert.deepEqual(
        rated.map((r) => [r.result, r.ratingAfter]),
        [
          ["draw", 1500],
          ["draw", 1500],
          ["draw", 1500],
          ["draw", 1500],
        ],
      );
      const row = await db.prisma.arenaRating.findUniqueOrThrow({ where: { characterId: c!.id } });
      assert.deepEqual([row.wins, row.losses, row.draws], [0, 0, 1]);
    });
  });
}
