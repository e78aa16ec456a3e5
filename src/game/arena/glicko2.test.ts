import { strict as assert } from "node:assert";
import { inflateForInactivity, MAX_RD, rateGlicko2 } from "./glicko2.ts";

describe("glicko2", () => {
  it("matches Glickman's worked example (1500/200/0.06 vs 1400/30 W, 1550/100 L, 1700/300 L)", () => {
    const rated = rateGlicko2({ rating: 1500, rd: 200, volatility: 0.06 }, [
      { opponent: { rating: 1400, rd: 30 }, score: 1 },
      { opponent: { rating: 1550, rd: 100 }, score: 0 },
      { opponent: { rating: 1700, rd: 300 }, score: 0 },
    ]);
    // The paper rounds its intermediate values; unrounded maths gives 1464.0506.
    assert.ok(Math.abs(rated.rating - 1464.06) < 0.015, `rating ${rated.rating}`);
    assert.equal(rated.rd.toFixed(2), "151.52");
    assert.ok(Math.abs(rated.volatility - 0.05999) < 0.00001, `volatility ${rated.volatility}`);
  });

  it("widens the RD when no game was played in the period", () => {
    const rated = rateGlicko2({ rating: 1600, rd: 50, volatility: 0.06 }, []);
    assert.equal(rated.rating, 1600);
    assert.equal(rated.rd.toFixed(4), Math.sqrt(50 ** 2 + (0.06 * 173.7178) ** 2).toFixed(4));
  });

  it("moves an uncertain rating more than a settled one for the same result", () => {
    const opponent = { rating: 1500, rd: 100 };
    const fresh = rateGlicko2({ rating: 1500, rd: 350, volatility: 0.06 }, [
      { opponent, score: 1 },
    ]);
    const veteran = rateGlicko2({ rating: 1500, rd: 50, volatility: 0.06 }, [
      { opponent, score: 1 },
    ]);
    assert.ok(fresh.rating - 1500 > 4 * (veteran.rating - 1500));
    assert.ok(veteran.rating > 1500);
    assert.ok(fresh.rd < 350 && veteran.rd < 60);
  });

  it("inflates an idle player's RD per period, up to MAX_RD", () => {
    const vet = { rating: 1800, rd: 40, volatility: 0.06 };
    assert.deepEqual(inflateForInactivity(vet, 0), vet);
    const month = inflateForInactivity(vet, 30);
    assert.equal(month.rd.toFixed(3), Math.sqrt(40 ** 2 + 30 * (0.06 * 173.7178) ** 2).toFixed(3));
    assert.equal(inflateForInactivity(vet, 1e6).rd, MAX_RD);
  });
});
