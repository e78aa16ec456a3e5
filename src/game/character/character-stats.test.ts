import assert from "node:assert/strict";
import items from "../../../content/items.json" with { type: "json" };
import jobs from "../../../content/jobs.json" with { type: "json" };
import leveling from "../../../content/leveling.json" with { type: "json" };
import loot from "../../../content/loot.json" with { type: "json" };
import mobs from "../../../content/mobs.json" with { type: "json" };
import quests from "../../../content/quests.json" with { type: "json" };
import races from "../../../content/races.json" with { type: "json" };
import skills from "../../../content/skills.json" with { type: "json" };
import type { ActiveEffect } from "../combat/effects.ts";
import { validateContent, type Content } from "../content/content.ts";
import { createEquipment, type Equipment } from "../items/equipment.ts";
import { DEFAULT_DERIVED_FORMULAS } from "../stats/stats.ts";
import {
  createCharacterStatsModel,
  type CharacterStatRules,
  type CharacterStatsInput,
} from "./character-stats.ts";

function realContent(): Content {
  const result = validateContent({ races, jobs, skills, items, mobs, loot, quests, leveling });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.content;
}

const rules: CharacterStatRules = { content: realContent(), formulas: DEFAULT_DERIVED_FORMULAS };
const model = createCharacterStatsModel(rules);

const warrior = (over: Partial<CharacterStatsInput> = {}): CharacterStatsInput => ({
  race: "human",
  job: "warrior",
  level: 1,
  equipment: createEquipment(),
  effects: [],
  zone: "town",
  ...over,
});

const wielding = (itemId: string): Equipment => ({ ...createEquipment(), weapon: itemId });

const mightyBuff = (strength: number): ActiveEffect => ({
  id: "giant_strength",
  sourceId: "test",
  kind: "buff",
  modifiers: [{ dimension: "strength", bucket: "FLAT", value: strength }],
  appliedAtMs: 0,
  expiresAtMs: 60_000,
});

describe("character stats", () => {
  it("gives a level-1 human warrior the hp_max and attack_power computed by hand from content", () => {
    // human 10 in every stat + warrior (str 8, agi 4, int 1, vit 8, spi 2), level 1:
    // str 18, agi 14, vit 18; hp_max = 50 + 10*18 + 2*18 + 5*1; attack_power = 5 + 2*18 + 0.5*14 + 1
    const stats = model.compute(warrior());
    assert.equal(stats.snapshot.Primary.strength, 18);
    assert.equal(stats.snapshot.Primary.level, 1);
    assert.equal(stats.snapshot.Derived.hp_max, 271);
    assert.equal(stats.snapshot.Derived.attack_power, 49);
    assert.equal(stats.combat.hp_max, 271);
    assert.equal(stats.combat.attack_power, 49);
    assert.equal(stats.realm, "mortal");
  });

  it("raises attack_power by the weapon's attack when a rusty sword (+8) is equipped", () => {
    const bare = model.compute(warrior());
    const armed = model.compute(warrior({ equipment: wielding("rusty_sword") }));
    assert.equal(
      armed.snapshot.Derived.attack_power,
      (bare.snapshot.Derived.attack_power ?? 0) + 8,
    );
    assert.ok(
      armed.contributions.some(
        (c) => c.system === "equipment" && c.dimension === "attack_power" && c.value === 8,
      ),
    );
  });

  it("bounds primary stats by the realm cap, which rises with the realm", () => {
    const mortal = model.compute(warrior({ effects: [mightyBuff(500)] }));
    assert.equal(mortal.snapshot.Primary.strength, 120);
    assert.deepEqual(mortal.snapshot.CapsUsed.strength, { Min: 0, Max: 120 });
    // Formulas read the capped value: hp_max = 50 + 10*18 + 2*120 + 5.
    assert.equal(mortal.snapshot.Derived.hp_max, 475);
    const condensed = model.compute(warrior({ level: 11, effects: [mightyBuff(500)] }));
    assert.equal(condensed.realm, "qi_condensation");
    assert.equal(condensed.snapshot.Primary.strength, 220);
  });

  it("lists every contribution by system, formula results included, for tooltips", () => {
    const stats = model.compute(
      warrior({ equipment: wielding("rusty_sword"), effects: [mightyBuff(5)] }),
    );
    const systems = new Set(stats.contributions.map((c) => c.system));
    assert.deepEqual([...systems].sort(), ["base", "effects", "equipment", "job", "race"]);
    const strength = stats.contributions.filter((c) => c.dimension === "strength");
    assert.equal(
      strength.reduce((sum, c) => sum + c.value, 0),
      stats.snapshot.Primary.strength,
    );
    const attack = stats.contributions.filter((c) => c.dimension === "attack_power");
    assert.equal(
      attack.reduce((sum, c) => sum + c.value, 0),
      stats.snapshot.Derived.attack_power,
    );
    assert.ok(stats.caps.every((c) => c.system === "realm" && c.scope === "REALM"));
    assert.ok(stats.caps.some((c) => c.dimension === "strength" && c.value === 120));
  });

  it("recomputes only when an input changes", () => {
    const cache = model.createCache();
    const first = cache.resolve(warrior());
    assert.equal(cache.resolve(warrior()), first, "equal inputs in new objects");
    assert.equal(cache.recomputes, 1);

    const buff = mightyBuff(5);
    const buffed = cache.resolve(warrior({ effects: [buff] }));
    assert.equal(buffed.snapshot.Primary.strength, 23);
    assert.equal(cache.resolve(warrior({ effects: [buff] })), buffed);
    assert.equal(cache.recomputes, 2);

    assert.equal(cache.resolve(warrior()).snapshot.Primary.strength, 18, "buff expired");
    cache.resolve(warrior({ equipment: wielding("rusty_sword") }));
    cache.resolve(warrior({ equipment: wielding("rusty_sword"), level: 2 }));
    cache.resolve(warrior({ equipment: wielding("rusty_sword"), level: 2, zone: "field" }));
    assert.equal(cache.recomputes, 6);
  });

  it("gives a kept cache the same stats as a fresh compute through buff, weapon and level changes", () => {
    const cache = model.createCache();
    const buffs = [[mightyBuff(5)], [mightyBuff(5), mightyBuff(500)], []];
    const weapons = [wielding("rusty_sword"), createEquipment(), wielding("rusty_sword")];
    for (let i = 0; i < 30; i++) {
      const input = warrior({
        level: 9 + (i % 4), // crosses the realm change at 11
        effects: buffs[i % 3] ?? [],
        equipment: weapons[(i >> 1) % 3] ?? createEquipment(),
      });
      const kept = cache.resolve(input);
      const fresh = model.compute(input);
      assert.deepStrictEqual(kept.snapshot, { ...fresh.snapshot, Version: kept.snapshot.Version });
      assert.deepStrictEqual(kept.combat, fresh.combat);
      assert.deepStrictEqual(kept.contributions, fresh.contributions);
      assert.deepStrictEqual(kept.caps, fresh.caps);
      assert.equal(kept.realm, fresh.realm);
    }
  });

  it("does not see an equipment object mutated after the call", () => {
    const cache = model.createCache();
    const equipment = { ...createEquipment() } as Record<string, string | null>;
    const bare = cache.resolve(warrior({ equipment: equipment as Equipment }));
    equipment.weapon = "rusty_sword";
    const armed = cache.resolve(warrior({ equipment: equipment as Equipment }));
    assert.notEqual(armed, bare);
    assert.equal(armed.snapshot.Derived.attack_power, 57);
  });

  it("throws on a race or job that content does not define", () => {
    assert.throws(() => model.compute(warrior({ race: "dragon" })), /unknown race dragon/);
    assert.throws(() => model.compute(warrior({ job: "bard" })), /unknown job bard/);
  });
});
