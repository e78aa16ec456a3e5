import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import type { EffectSkill } from "../content/skills.ts";
import {
  applyEffect,
  effectContributions,
  effectFromSkill,
  removeEffect,
  tickEffects,
} from "./effects.ts";

const content = testContent();
const guard = content.skills.get("guard") as EffectSkill;
const weaken = content.skills.get("weaken") as EffectSkill;

describe("effects", () => {
  it("expires at cast time plus duration when created from a skill", () => {
    const e = effectFromSkill(guard, "p1", 1000);
    assert.deepEqual([e.id, e.kind, e.appliedAtMs, e.expiresAtMs], ["guard", "buff", 1000, 6000]);
  });

  it("refreshes rather than stacks when the same source reapplies", () => {
    let list = applyEffect([], effectFromSkill(guard, "p1", 0));
    list = applyEffect(list, effectFromSkill(guard, "p1", 2000));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.expiresAtMs, 7000);
  });

  it("stacks when different sources apply the same skill", () => {
    let list = applyEffect([], effectFromSkill(weaken, "p1", 0));
    list = applyEffect(list, effectFromSkill(weaken, "p2", 0));
    assert.equal(list.length, 2);
  });

  it("returns the same list and changed=false when nothing expired", () => {
    const list = applyEffect([], effectFromSkill(guard, "p1", 0));
    const r = tickEffects(list, 4999);
    assert.equal(r.changed, false);
    assert.equal(r.effects, list);
  });

  it("drops expired effects and reports changed when expiry is reached", () => {
    let list = applyEffect([], effectFromSkill(guard, "p1", 0)); // until 5000
    list = applyEffect(list, effectFromSkill(weaken, "p2", 0)); // until 3000
    const r = tickEffects(list, 3000);
    assert.equal(r.changed, true);
    assert.deepEqual(
      r.effects.map((e) => e.id),
      ["guard"],
    );
  });

  it("removes a skill's effects when dispelled", () => {
    const list = applyEffect([], effectFromSkill(guard, "p1", 0));
    assert.equal(removeEffect(list, "guard").effects.length, 0);
    assert.equal(removeEffect(list, "weaken").changed, false);
  });

  it("emits one contribution per modifier with system effects", () => {
    const list = applyEffect([], effectFromSkill(guard, "p1", 0));
    assert.deepEqual(effectContributions(list), [
      { dimension: "defense", bucket: "MULT", value: 0.5, system: "effects" },
    ]);
  });
});
