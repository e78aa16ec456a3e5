import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import type { AutoAttack, Skill } from "../content/skills.ts";
import { mobAutoAttack, mobCombatStats } from "./combat-stats.ts";
import { resolveAutoAttack, resolveSkill, selectAreaTargets } from "./resolve-skill.ts";
import { scriptedRng, statsOf } from "./test-helpers.ts";

const content = testContent();
const skill = (id: string) => content.skills.get(id) as Skill;
const caster = { id: "p1", stats: statsOf({ attack_power: 50, magic_power: 40 }) };
const NO_CRIT = [0, 0.5, 0.99];

describe("selectAreaTargets", () => {
  it("keeps only candidates within the radius, in input order", () => {
    const picked = selectAreaTargets(0, 0, 3, [
      { id: "a", x: 3, y: 0 },
      { id: "b", x: 2.2, y: 2.2 },
      { id: "c", x: -1, y: 1 },
    ]);
    assert.deepEqual(
      picked.map((c) => c.id),
      ["a", "c"],
    );
  });
});

describe("resolveSkill", () => {
  it("damages every target with threat scaled by amount when the skill deals damage", () => {
    const targets = [
      { id: "m1", stats: statsOf() },
      { id: "m2", stats: statsOf({ defense: 100 }) },
    ];
    const out = resolveSkill(skill("cleave"), caster, targets, scriptedRng(NO_CRIT), 0);
    assert.deepEqual(out, [
      { type: "damage", targetId: "m1", hit: true, crit: false, amount: 50, threat: 50 },
      { type: "damage", targetId: "m2", hit: true, crit: false, amount: 25, threat: 25 },
    ]);
  });

  it("heals by magic power when the skill heals", () => {
    const out = resolveSkill(skill("mend"), caster, [caster], scriptedRng([0.5, 0.99]), 0);
    assert.deepEqual(out, [{ type: "heal", targetId: "p1", crit: false, amount: 60 }]);
  });

  it("returns an effect expiring after the duration when the skill debuffs", () => {
    const [o] = resolveSkill(
      skill("weaken"),
      caster,
      [{ id: "m1", stats: statsOf() }],
      scriptedRng([0]),
      500,
    );
    assert.ok(o?.type === "effect");
    assert.equal(o.effect.expiresAtMs, 3500);
    assert.equal(o.effect.sourceId, "p1");
    assert.equal(o.threat, 10);
  });

  it("resolves a mob's auto-attack from its template stats", () => {
    const rat = content.mobs.get("rat");
    assert.ok(rat);
    const stats = mobCombatStats(rat);
    const strike = content.autoAttacks.get("strike") as AutoAttack;
    const o = resolveAutoAttack(strike, { id: "rat", stats }, caster, scriptedRng(NO_CRIT));
    assert.deepEqual([o.hit, o.amount, o.threat], [true, 5, 5]);
  });

  it("builds a mob's auto-attack from its AI range and cooldown", () => {
    const rat = content.mobs.get("rat");
    assert.ok(rat);
    assert.deepEqual(mobAutoAttack(rat), {
      id: "rat_attack",
      name: "Rat",
      range: 2,
      intervalMs: 1000,
      scaling: "attack_power",
      factor: 1,
    });
  });
});
