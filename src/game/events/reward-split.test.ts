import { strict as assert } from "node:assert";
import fc from "fast-check";
import { contributionShares, splitRewards, type EventRewards } from "./reward-split.ts";

const rewards: EventRewards = {
  xp: 1000,
  gold: 200,
  items: [{ itemId: "spirit_stone", qty: 5 }],
  minContributionShare: 0.05,
  top: { count: 1, items: [{ itemId: "yin_soul_crystal", qty: 1 }] },
};
const c = (characterId: string, total: number) => ({ characterId, total });

describe("world event reward split", () => {
  it("gives the full reward to an even share or more, and proportionally less below it", () => {
    const split = splitRewards([c("a", 600), c("b", 400)], rewards);
    assert.deepEqual(split, [
      {
        characterId: "a",
        contribution: 600,
        share: 0.6,
        rank: 1,
        xp: 1000,
        gold: 200,
        items: [
          { itemId: "spirit_stone", qty: 5 },
          { itemId: "yin_soul_crystal", qty: 1 },
        ],
      },
      {
        characterId: "b",
        contribution: 400,
        share: 0.4,
        rank: 2,
        xp: 800,
        gold: 160,
        items: [{ itemId: "spirit_stone", qty: 5 }],
      },
    ]);
  });

  it("pays exactly the full amounts for exactly even shares (no float rounding below)", () => {
    const split = splitRewards([c("a", 7), c("b", 7), c("c", 7)], { ...rewards, xp: 999 });
    assert.deepEqual(
      split.map((s) => [s.xp, s.gold]),
      [
        [999, 200],
        [999, 200],
        [999, 200],
      ],
    );
  });

  it("pays nothing below minContributionShare; the threshold itself is paid", () => {
    const split = splitRewards([c("a", 90), c("b", 5), c("c", 4), c("d", 1)], rewards);
    assert.deepEqual(
      split.map((s) => [s.characterId, s.share]),
      [
        ["a", 0.9],
        ["b", 0.05],
      ],
    );
    // b: 5 × 4 / 100 of the full amounts.
    assert.deepEqual([split[1]!.xp, split[1]!.gold], [200, 40]);
  });

  it("gives the top items to the top count only, merging the same item", () => {
    const split = splitRewards([c("a", 1), c("b", 3), c("c", 2)], {
      ...rewards,
      minContributionShare: 0,
      top: { count: 2, items: [{ itemId: "spirit_stone", qty: 1 }] },
    });
    assert.deepEqual(
      split.map((s) => [s.characterId, s.rank, s.items]),
      [
        ["b", 1, [{ itemId: "spirit_stone", qty: 6 }]],
        ["c", 2, [{ itemId: "spirit_stone", qty: 6 }]],
        ["a", 3, [{ itemId: "spirit_stone", qty: 5 }]],
      ],
    );
  });

  it("pays nobody when nobody contributed", () => {
    assert.deepEqual(splitRewards([], rewards), []);
    assert.deepEqual(splitRewards([c("a", 0)], rewards), []);
  });

  const contributionsArb = fc.array(
    fc.record({
      characterId: fc.constantFrom("a", "b", "c", "d", "e", "f"),
      total: fc.nat(10_000),
    }),
    { maxLength: 12 },
  );

  it("shares sum to 1, and each is its contribution over the total (property)", () => {
    fc.assert(
      fc.property(contributionsArb, (list) => {
        const shares = contributionShares(list);
        if (shares.length === 0) return;
        const sum = shares.reduce((t, s) => t + s.share, 0);
        assert.ok(Math.abs(sum - 1) < 1e-9, `shares sum to ${sum}`);
        const total = list.reduce((t, x) => t + x.total, 0);
        for (const s of shares) assert.ok(Math.abs(s.share - s.contribution / total) < 1e-12);
      }),
    );
  });

  it("is deterministic: the same contributions in any order split the same (property)", () => {
    fc.assert(
      fc.property(contributionsArb, fc.integer(), (list, seed) => {
        const shuffled = [...list].sort(
          (x, y) => ((x.total * 31 + seed) % 7) - ((y.total * 31 + seed) % 7),
        );
        assert.deepEqual(splitRewards(shuffled, rewards), splitRewards(list, rewards));
      }),
    );
  });

  it("never pays more than the full amounts nor below the threshold (property)", () => {
    fc.assert(
      fc.property(contributionsArb, fc.double({ min: 0, max: 1, noNaN: true }), (list, min) => {
        const split = splitRewards(list, { ...rewards, minContributionShare: min });
        for (const s of split) {
          assert.ok(s.share >= min);
          assert.ok(s.xp >= 0 && s.xp <= rewards.xp && Number.isInteger(s.xp));
          assert.ok(s.gold >= 0 && s.gold <= rewards.gold && Number.isInteger(s.gold));
        }
      }),
    );
  });
});
