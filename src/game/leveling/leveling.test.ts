import { strict as assert } from "node:assert";
import fc from "fast-check";
import { testContent } from "../content/test-content.ts";
import {
  addXp,
  LevelingEventType,
  realmForLevel,
  totalXpForLevel,
  xpForLevel,
} from "./leveling.ts";
import { jobContributions, raceContributions, realmCapContributions } from "./contributions.ts";

const content = testContent();
const leveling = content.leveling; // cap 20, base 100, exponent 1.5, realms 1-10 and 11-20

describe("xpForLevel", () => {
  it("follows the curve when below the cap", () => {
    assert.equal(xpForLevel(1, leveling), 100);
    assert.equal(xpForLevel(4, leveling), 800);
    assert.equal(xpForLevel(19, leveling), Math.floor(100 * 19 ** 1.5));
  });

  it("returns 0 when at the cap", () => {
    assert.equal(xpForLevel(20, leveling), 0);
  });

  it("grows strictly when the level rises", () => {
    for (let l = 1; l < 19; l++) assert.ok(xpForLevel(l + 1, leveling) > xpForLevel(l, leveling));
  });

  it("throws when the level is below 1", () => {
    assert.throws(() => xpForLevel(0, leveling), RangeError);
  });

  it("sums the levels below when asked for a total", () => {
    assert.equal(totalXpForLevel(1, leveling), 0);
    assert.equal(totalXpForLevel(3, leveling), 100 + Math.floor(100 * 2 ** 1.5));
  });
});

describe("realmForLevel", () => {
  it("maps levels to tiers when on either side of a boundary", () => {
    assert.equal(realmForLevel(1, leveling).id, "mortal");
    assert.equal(realmForLevel(10, leveling).id, "mortal");
    assert.equal(realmForLevel(11, leveling).id, "qi_condensation");
    assert.equal(realmForLevel(20, leveling).id, "qi_condensation");
  });
});

describe("addXp", () => {
  it("stays at the level when xp is below the threshold", () => {
    const r = addXp({ level: 1, xp: 0 }, 99, leveling);
    assert.deepEqual([r.level, r.xp, r.levelsGained, r.restoreHpMp], [1, 99, 0, false]);
    assert.deepEqual(r.events, []);
  });

  it("carries overflow over when several levels are gained at once", () => {
    const r = addXp({ level: 1, xp: 50 }, 50 + 282 + 519 + 10, leveling);
    assert.equal(r.level, 4);
    assert.equal(r.xp, 10);
    assert.equal(r.levelsGained, 3);
    assert.equal(r.restoreHpMp, true);
    assert.deepEqual(
      r.events.map((e) => e.type),
      ["leveledUp", "leveledUp", "leveledUp"],
    );
  });

  it("emits realmAdvanced when crossing a tier boundary", () => {
    const r = addXp({ level: 10, xp: 0 }, xpForLevel(10, leveling), leveling);
    assert.equal(r.level, 11);
    assert.equal(r.realm.id, "qi_condensation");
    assert.deepEqual(r.events, [
      { type: LevelingEventType.LEVELED_UP, level: 11 },
      {
        type: LevelingEventType.REALM_ADVANCED,
        realm: "qi_condensation",
        from: "mortal",
        level: 11,
      },
    ]);
  });

  it("clamps xp to 0 and reports the rest as discarded when the cap is reached", () => {
    const need = xpForLevel(19, leveling);
    const r = addXp({ level: 19, xp: 0 }, need + 500, leveling);
    assert.deepEqual([r.level, r.xp, r.xpDiscarded], [20, 0, 500]);
    assert.equal(r.events.at(-1)?.type, LevelingEventType.LEVEL_CAP_REACHED);
    const again = addXp({ level: 20, xp: 0 }, 1000, leveling);
    assert.deepEqual(
      [again.level, again.xp, again.xpDiscarded, again.levelsGained],
      [20, 0, 1000, 0],
    );
    assert.deepEqual(again.events, []);
  });

  it("throws when the amount is negative or fractional", () => {
    assert.throws(() => addXp({ level: 1, xp: 0 }, -1, leveling), RangeError);
    assert.throws(() => addXp({ level: 1, xp: 0 }, 1.5, leveling), RangeError);
  });

  it("conserves total xp and never lowers the level when amounts are arbitrary", () => {
    const cap = leveling.levelCap;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: cap }),
        fc.array(fc.nat({ max: 20_000 }), { maxLength: 20 }),
        (startLevel, amounts) => {
          let state = { level: startLevel, xp: 0 };
          let discarded = 0;
          const before = totalXpForLevel(startLevel, leveling);
          for (const amount of amounts) {
            const r = addXp(state, amount, leveling);
            assert.ok(r.level >= state.level);
            assert.ok(r.level <= cap);
            assert.ok(
              r.xp >= 0 && (r.level === cap ? r.xp === 0 : r.xp < xpForLevel(r.level, leveling)),
            );
            discarded += r.xpDiscarded;
            state = { level: r.level, xp: r.xp };
          }
          const after = totalXpForLevel(state.level, leveling) + state.xp;
          const added = amounts.reduce((a, b) => a + b, 0);
          assert.equal(after - before + discarded, added);
        },
      ),
    );
  });
});

describe("contributions", () => {
  it("tags realm caps with system realm and scope REALM", () => {
    const [cap] = realmCapContributions(realmForLevel(11, leveling));
    assert.deepEqual(cap, {
      system: "realm",
      dimension: "strength",
      mode: "HARD_MAX",
      kind: "max",
      value: 200,
      scope: "REALM",
      realm: "qi_condensation",
    });
  });

  it("grows race and job primaries with level when levelled", () => {
    const race = content.races.get("human");
    const job = content.jobs.get("warrior");
    assert.ok(race && job);
    const r5 = raceContributions(race, 5);
    assert.deepEqual(r5[0], { dimension: "strength", bucket: "FLAT", value: 14, system: "race" });
    assert.equal(r5.length, 5);
    const j3 = jobContributions(job, 3);
    assert.equal(j3[0]?.value, 9);
    assert.deepEqual(j3.at(-1), { dimension: "level", bucket: "FLAT", value: 3, system: "job" });
  });
});
