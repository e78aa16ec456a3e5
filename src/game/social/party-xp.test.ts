import { strict as assert } from "node:assert";
import { splitXp } from "../combat/xp-split.ts";
import { withPartyShares } from "./party-xp.ts";

const parties: Record<string, string> = { a: "p", b: "p", c: "p", x: "q" };
const partyOf = (id: string) => parties[id];

describe("party xp shares", () => {
  it("gives a member near the kill who dealt no damage an equal share of the party's damage", () => {
    const contributors = withPartyShares([{ id: "a", damage: 90, level: 5 }], partyOf, [
      { id: "b", level: 5, partyId: "p" },
    ]);
    assert.deepEqual(contributors, [
      { id: "a", damage: 45, level: 5 },
      { id: "b", damage: 45, level: 5 },
    ]);
    const shares = splitXp(100, contributors, 5);
    assert.deepEqual(
      shares.map((s) => s.xp),
      [50, 50],
    );
  });

  it("shows that splitXp alone gives a zero-damage contributor nothing (why the pool exists)", () => {
    const shares = splitXp(
      100,
      [
        { id: "a", damage: 90, level: 5 },
        { id: "b", damage: 0, level: 5 },
      ],
      5,
    );
    assert.deepEqual(
      shares.map((s) => s.xp),
      [100, 0],
    );
  });

  it("leaves players without a party and members of other parties far away out of the pool", () => {
    const contributors = withPartyShares(
      [
        { id: "a", damage: 30, level: 5 },
        { id: "solo", damage: 30, level: 5 },
        { id: "b", damage: 30, level: 5 },
      ],
      partyOf,
      [{ id: "x", level: 5, partyId: "q" }],
    );
    const byId = Object.fromEntries(contributors.map((c) => [c.id, c.damage]));
    assert.deepEqual(byId, { solo: 30, a: 30, b: 30 });
    const shares = splitXp(90, contributors, 5);
    assert.equal(
      shares.reduce((s, x) => s + x.xp, 0),
      90,
    );
    assert.equal(
      shares.find((s) => s.id === "x"),
      undefined,
    );
  });

  it("applies the level factor per member after pooling", () => {
    const contributors = withPartyShares([{ id: "a", damage: 100, level: 5 }], partyOf, [
      { id: "c", level: 30, partyId: "p" },
    ]);
    const shares = Object.fromEntries(splitXp(100, contributors, 5).map((s) => [s.id, s.xp]));
    assert.ok(
      shares.a! > shares.c!,
      `an over-levelled member takes less: ${JSON.stringify(shares)}`,
    );
  });
});
