import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import type { AutoAttack, Skill } from "../content/skills.ts";
import { simulateDuel, type Duelist } from "./duel.ts";
import { statsOf } from "./test-helpers.ts";

const content = testContent();
const skillsOf = (jobId: string) =>
  (content.jobs.get(jobId)?.skills ?? []).map((id) => content.skills.get(id) as Skill);

const warrior: Duelist = {
  id: "warrior",
  jobId: "warrior",
  stats: statsOf({
    hp_max: 900,
    attack_power: 60,
    defense: 40,
    crit_rate: 0.2,
    hit_rate: 0.95,
    dodge_rate: 0.05,
  }),
  x: 0,
  y: 0,
  autoAttack: content.autoAttacks.get("strike") as AutoAttack,
  skills: skillsOf("warrior"),
};
const mage: Duelist = {
  id: "mage",
  jobId: "mage",
  stats: statsOf({
    hp_max: 700,
    mp_max: 300,
    magic_power: 70,
    defense: 10,
    crit_rate: 0.15,
    hit_rate: 0.95,
    dodge_rate: 0.05,
  }),
  x: 2,
  y: 0,
  autoAttack: content.autoAttacks.get("bolt") as AutoAttack,
  skills: skillsOf("mage"),
};

describe("simulateDuel", () => {
  it("replays an identical log when run twice with the same seed", () => {
    const a = simulateDuel(warrior, mage, { seed: 1234 });
    const b = simulateDuel(warrior, mage, { seed: 1234 });
    assert.ok(a.log.length > 20, `log too short: ${a.log.length}`);
    assert.deepEqual(b.log, a.log);
    assert.equal(b.winner, a.winner);
    assert.notEqual(a.winner, null);
  });

  it("produces a different log when the seed differs", () => {
    const a = simulateDuel(warrior, mage, { seed: 1234 });
    const b = simulateDuel(warrior, mage, { seed: 4321 });
    assert.notDeepEqual(b.log, a.log);
  });

  it("uses skills, casts, buffs and heals when the fight runs long enough", () => {
    const { log } = simulateDuel(warrior, mage, { seed: 7 });
    const text = log.join("\n");
    for (const needle of [
      "uses slash",
      "uses guard",
      "begins fire",
      "mage fire warrior",
      "strike",
      "died",
    ]) {
      assert.ok(text.includes(needle), `missing "${needle}" in:\n${text}`);
    }
    // The mage only heals itself below half hp and dies eventually: it must have tried.
    assert.match(text, /mage mend mage \+\d+/);
  });
});
