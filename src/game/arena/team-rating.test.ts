import { strict as assert } from "node:assert";
import { MAX_RD, MIN_RD, rateGlicko2 } from "./glicko2.ts";
import { rateTeams, type TeamMember } from "./team-rating.ts";

const member = (rating: number, rd = 200, volatility = 0.06, idlePeriods = 0): TeamMember => ({
  rating,
  rd,
  volatility,
  idlePeriods,
});

describe("rateTeams", () => {
  it("is plain Glicko-2 for 1v1", () => {
    const { a, b } = rateTeams([member(1500, 200)], [member(1400, 80)], 1);
    const expectA = rateGlicko2(member(1500, 200), [
      { opponent: { rating: 1400, rd: 80 }, score: 1 },
    ]);
    const expectB = rateGlicko2(member(1400, 80), [
      { opponent: { rating: 1500, rd: 200 }, score: 0 },
    ]);
    assert.deepEqual(a, [expectA]);
    assert.deepEqual(b, [expectB]);
  });

  it("moves winners up and losers down; a draw between equals moves nobody", () => {
    const { a, b } = rateTeams([member(1500), member(1500)], [member(1500), member(1500)], 1);
    for (const r of a) assert.ok(r.rating > 1500);
    for (const r of b) assert.ok(r.rating < 1500);
    const draw = rateTeams([member(1500)], [member(1500)], 0.5);
    assert.equal(draw.a[0]!.rating, 1500);
    assert.equal(draw.b[0]!.rating, 1500);
  });

  it("judges a 2v2 on team averages: both members of a team gain the same for equal RDs", () => {
    const { a } = rateTeams([member(1700), member(1300)], [member(1500), member(1500)], 1);
    const gain0 = a[0]!.rating - 1700;
    const gain1 = a[1]!.rating - 1300;
    assert.ok(Math.abs(gain0 - gain1) < 1e-9, `${gain0} vs ${gain1}`);
    const solo = rateGlicko2(member(1500), [{ opponent: { rating: 1500, rd: 200 }, score: 1 }]);
    assert.ok(Math.abs(gain0 - (solo.rating - 1500)) < 1e-9);
  });

  it("lets the uncertain member of a team move further than the settled one", () => {
    const { a } = rateTeams([member(1500, 350), member(1500, 40)], [member(1500), member(1500)], 0);
    assert.ok(1500 - a[0]!.rating > 5 * (1500 - a[1]!.rating));
  });

  it("widens an idle member's RD before rating and keeps RDs within bounds", () => {
    const idle = rateTeams([member(1500, 40, 0.06, 365)], [member(1500)], 1);
    const active = rateTeams([member(1500, 40, 0.06, 0)], [member(1500)], 1);
    assert.ok(idle.a[0]!.rating > active.a[0]!.rating);
    const settled = rateTeams([member(1500, MIN_RD)], [member(1500, MIN_RD)], 1);
    assert.ok(settled.a[0]!.rd >= MIN_RD && settled.a[0]!.rd <= MAX_RD);
  });
});
