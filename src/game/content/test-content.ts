import { validateContent, type Content, type RawContent } from "./content.ts";

const stats = (v: number) => ({ strength: v, agility: v, intelligence: v, vitality: v, spirit: v });
const aiOf = { aggroRadius: 5, leashRadius: 20, moveSpeed: 3, attackRange: 2 };

/** A small, stable content set for unit tests (fresh copy on every call, safe to mutate). */
export function testRawContent(): RawContent {
  return structuredClone({
    races: {
      races: [{ id: "human", name: "Human", baseStats: stats(10), growthPerLevel: stats(1) }],
    },
    jobs: {
      jobs: [
        {
          id: "warrior",
          name: "Warrior",
          baseStats: stats(5),
          growthPerLevel: stats(2),
          weaponTypes: ["sword"],
          autoAttack: "strike",
          skills: ["slash", "cleave", "guard", "weaken"],
        },
        {
          id: "mage",
          name: "Mage",
          baseStats: stats(5),
          growthPerLevel: stats(2),
          weaponTypes: ["staff"],
          autoAttack: "bolt",
          skills: ["fire", "mend"],
        },
      ],
    },
    skills: {
      autoAttacks: [
        {
          id: "strike",
          name: "Strike",
          range: 2,
          intervalMs: 1000,
          scaling: "attack_power",
          factor: 1,
        },
        {
          id: "bolt",
          name: "Bolt",
          range: 10,
          intervalMs: 2000,
          scaling: "magic_power",
          factor: 1,
        },
      ],
      skills: [
        skill("slash", "warrior", "damage", {
          range: 2,
          cooldownMs: 4000,
          mpCost: 10,
          scaling: "attack_power",
          factor: 2,
        }),
        skill("cleave", "warrior", "damage", {
          range: 0,
          cooldownMs: 6000,
          mpCost: 20,
          target: { type: "area", radius: 3 },
          scaling: "attack_power",
          factor: 1,
        }),
        skill("guard", "warrior", "buff", {
          range: 0,
          cooldownMs: 10000,
          mpCost: 5,
          target: { type: "self" },
          modifiers: [{ dimension: "defense", bucket: "MULT", value: 0.5 }],
          durationMs: 5000,
        }),
        skill("weaken", "warrior", "debuff", {
          range: 5,
          cooldownMs: 8000,
          mpCost: 5,
          modifiers: [{ dimension: "attack_power", bucket: "FLAT", value: -10 }],
          durationMs: 3000,
        }),
        skill("fire", "mage", "damage", {
          range: 10,
          cooldownMs: 3000,
          mpCost: 15,
          castTimeMs: 1000,
          scaling: "magic_power",
          factor: 2,
        }),
        skill("mend", "mage", "heal", {
          range: 10,
          cooldownMs: 2000,
          mpCost: 10,
          scaling: "magic_power",
          factor: 1.5,
        }),
      ],
    },
    items: {
      items: [
        {
          id: "sword",
          name: "Sword",
          type: "weapon",
          weaponType: "sword",
          rarity: "common",
          jobs: ["warrior"],
          stats: [{ dimension: "attack_power", bucket: "FLAT", value: 10 }],
        },
        {
          id: "big_sword",
          name: "Big Sword",
          type: "weapon",
          weaponType: "sword",
          rarity: "rare",
          levelReq: 10,
          stats: [{ dimension: "attack_power", bucket: "MULT", value: 0.2 }],
        },
        {
          id: "staff",
          name: "Staff",
          type: "weapon",
          weaponType: "staff",
          rarity: "common",
          jobs: ["mage"],
          stats: [],
        },
        {
          id: "helm",
          name: "Helm",
          type: "armor",
          slot: "head",
          rarity: "common",
          stats: [{ dimension: "defense", bucket: "FLAT", value: 5 }],
        },
        {
          id: "ring",
          name: "Ring",
          type: "accessory",
          slot: "ring",
          rarity: "uncommon",
          stats: [{ dimension: "strength", bucket: "FLAT", value: 2 }],
        },
        {
          id: "potion",
          name: "Potion",
          type: "consumable",
          rarity: "common",
          maxStack: 5,
          restore: { hp: 50 },
          cooldownMs: 1000,
          cooldownGroup: "potion",
        },
        {
          id: "ether",
          name: "Ether",
          type: "consumable",
          rarity: "common",
          maxStack: 5,
          restore: { mp: 30 },
          cooldownMs: 1000,
          cooldownGroup: "ether",
        },
        { id: "herb", name: "Herb", type: "material", rarity: "common", maxStack: 10 },
        { id: "pelt", name: "Pelt", type: "material", rarity: "common", maxStack: 3 },
      ],
    },
    mobs: {
      mobs: [
        {
          id: "rat",
          name: "Rat",
          level: 1,
          hp: 30,
          attack_power: 5,
          defense: 0,
          xp: 10,
          gold: { min: 1, max: 3 },
          lootTable: "rat_loot",
          ai: { ...aiOf, attackCooldownMs: 1000, wanderRadius: 3, respawnMs: 5000 },
        },
        {
          id: "wolf",
          name: "Wolf",
          level: 3,
          hp: 80,
          attack_power: 12,
          defense: 10,
          xp: 30,
          gold: { min: 2, max: 6 },
          lootTable: "rat_loot",
          ai: { ...aiOf, attackCooldownMs: 1500, wanderRadius: 5, respawnMs: 8000 },
        },
      ],
    },
    loot: {
      lootTables: [
        {
          id: "rat_loot",
          rolls: 2,
          nothingWeight: 50,
          entries: [
            { item: "herb", weight: 30, min: 1, max: 2 },
            { item: "potion", weight: 20, min: 1, max: 1 },
          ],
        },
      ],
    },
    quests: {
      quests: [
        {
          id: "rats",
          name: "Rats",
          objectives: [{ type: "kill", mob: "rat", count: 2 }],
          rewards: { xp: 50, gold: 5 },
        },
        {
          id: "herbs",
          name: "Herbs",
          minLevel: 2,
          prerequisites: ["rats"],
          objectives: [
            { type: "collect", item: "herb", count: 3 },
            { type: "kill", mob: "wolf", count: 1 },
          ],
          rewards: {
            xp: 100,
            gold: 10,
            items: [
              { item: "sword", qty: 1 },
              { item: "potion", qty: 3 },
            ],
          },
        },
        {
          id: "scout",
          name: "Scout",
          objectives: [{ type: "visit", zone: "field", x: 100, y: 100, radius: 10 }],
          rewards: { xp: 20 },
        },
      ],
    },
    leveling: {
      levelCap: 20,
      xpCurve: { base: 100, exponent: 1.5 },
      realms: [
        {
          id: "mortal",
          name: "Mortal",
          minLevel: 1,
          maxLevel: 10,
          caps: [{ dimension: "strength", mode: "HARD_MAX", kind: "max", value: 100 }],
        },
        {
          id: "qi_condensation",
          name: "Qi Condensation",
          minLevel: 11,
          maxLevel: 20,
          caps: [{ dimension: "strength", mode: "HARD_MAX", kind: "max", value: 200 }],
        },
      ],
    },
  });
}

function skill(id: string, job: string, kind: string, fields: Record<string, unknown>) {
  return { id, name: id, job, kind, castTimeMs: 0, target: { type: "single" }, ...fields };
}

/** testRawContent() validated; throws if the fixture itself is broken. */
export function testContent(): Content {
  const result = validateContent(testRawContent(), { zoneIds: ["field"] });
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.content;
}
