import { strict as assert } from "node:assert";
import { formatContentError, validateContent, type RawContent } from "./content.ts";
import { testContent, testRawContent } from "./test-content.ts";

type Loose = Record<string, Record<string, Record<string, unknown>[]>>;
const loose = (raw: RawContent) => raw as unknown as Loose;
const first = <T>(list: T[] | undefined): T => list?.[0] as T;

function errorsOf(raw: RawContent, zoneIds?: string[]) {
  const result = validateContent(raw, zoneIds === undefined ? {} : { zoneIds });
  assert.equal(result.ok, false, "expected content to be refused");
  return result.ok ? [] : result.errors.map(formatContentError);
}

describe("validateContent", () => {
  it("returns maps by id when the content is valid", () => {
    const content = testContent();
    assert.deepEqual([...content.jobs.keys()], ["warrior", "mage"]);
    assert.equal(content.items.get("sword")?.type, "weapon");
    assert.equal(content.items.get("helm")?.levelReq, 1, "defaults applied");
    assert.equal(content.leveling.levelCap, 20);
    assert.ok(Object.isFrozen(content.items.get("sword")));
  });

  it("names the file, path and id when a stat dimension is misspelled", () => {
    const raw = testRawContent();
    const sword = first(loose(raw).items?.items);
    sword.stats = [{ dimension: "atack_power", bucket: "FLAT", value: 1 }];
    const errors = errorsOf(raw);
    assert.deepEqual(errors, [
      'items.json items[0].stats[0].dimension (id sword): unknown dimension "atack_power"',
    ]);
  });

  it("reports every missing file when files are absent", () => {
    const errors = errorsOf({ races: testRawContent().races });
    assert.equal(errors.length, 7);
    assert.ok(errors.includes("leveling.json: file is missing"));
  });

  it("refuses an unknown field when an entry has a typo in a key", () => {
    const raw = testRawContent();
    first(loose(raw).mobs?.mobs).lootTabel = "rat_loot";
    const errors = errorsOf(raw);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^mobs\.json mobs\[0\] \(id rat\): .*lootTabel/);
  });

  it("names the mob when its loot table does not exist", () => {
    const raw = testRawContent();
    first(loose(raw).mobs?.mobs).lootTable = "no_such_table";
    assert.deepEqual(errorsOf(raw), [
      'mobs.json mobs[0].lootTable (id rat): unknown loot table "no_such_table"',
    ]);
  });

  it("names the table when a loot entry names an unknown item", () => {
    const raw = testRawContent();
    const table = first(loose(raw).loot?.lootTables);
    (table.entries as Record<string, unknown>[])[1]!.item = "elixir";
    assert.deepEqual(errorsOf(raw), [
      'loot.json lootTables[0].entries[1].item (id rat_loot): unknown item "elixir"',
    ]);
  });

  it("names the quest when an objective or reward names unknown ids", () => {
    const raw = testRawContent();
    const herbs = loose(raw).quests?.quests?.[1] as Record<string, unknown>;
    herbs.objectives = [
      { type: "kill", mob: "dragon", count: 1 },
      { type: "collect", item: "gem", count: 1 },
    ];
    herbs.rewards = { items: [{ item: "crown", qty: 1 }] };
    herbs.prerequisites = ["nope"];
    assert.deepEqual(errorsOf(raw), [
      'quests.json quests[1].prerequisites[0] (id herbs): unknown quest "nope"',
      'quests.json quests[1].objectives[0].mob (id herbs): unknown mob "dragon"',
      'quests.json quests[1].objectives[1].item (id herbs): unknown item "gem"',
      'quests.json quests[1].rewards.items[0].item (id herbs): unknown item "crown"',
    ]);
  });

  it("refuses a visit objective when the zone is not among the known zones", () => {
    const errors = errorsOf(testRawContent(), ["town"]);
    assert.deepEqual(errors, [
      'quests.json quests[2].objectives[0].zone (id scout): unknown zone "field"',
    ]);
  });

  it("refuses quests when prerequisites form a cycle", () => {
    const raw = testRawContent();
    const quests = loose(raw).quests?.quests ?? [];
    quests[0]!.prerequisites = ["herbs"];
    const errors = errorsOf(raw);
    assert.equal(errors.length, 2);
    assert.ok(errors.every((e) => e.endsWith("prerequisites form a cycle")));
  });

  it("refuses job and skill links when they disagree", () => {
    const raw = testRawContent();
    const jobs = loose(raw).jobs?.jobs ?? [];
    jobs[0]!.skills = ["slash", "cleave", "guard", "weaken", "fire", "ghost"];
    jobs[1]!.autoAttack = "punch";
    const errors = errorsOf(raw);
    assert.deepEqual(errors, [
      'jobs.json jobs[0].skills[4] (id warrior): skill "fire" belongs to job "mage"',
      'jobs.json jobs[0].skills[5] (id warrior): unknown skill "ghost"',
      'jobs.json jobs[1].autoAttack (id mage): unknown auto-attack "punch"',
    ]);
  });

  it("refuses a weapon when a listed job cannot wield its type", () => {
    const raw = testRawContent();
    first(loose(raw).items?.items).jobs = ["mage"];
    assert.deepEqual(errorsOf(raw), [
      'items.json items[0].jobs[0] (id sword): job "mage" cannot wield a sword',
    ]);
  });

  it("refuses duplicate ids when two entries share one", () => {
    const raw = testRawContent();
    const items = loose(raw).items?.items ?? [];
    items[1]!.id = "sword";
    assert.deepEqual(errorsOf(raw), ['items.json items[1].id (id sword): duplicate id "sword"']);
  });

  it("refuses realms when they leave a gap in the levels", () => {
    const raw = testRawContent();
    const leveling = raw.leveling as { realms: { minLevel: number }[] };
    leveling.realms[1]!.minLevel = 12;
    const errors = errorsOf(raw);
    assert.ok(
      errors.includes(
        "leveling.json realms[1].minLevel (id qi_condensation): realm qi_condensation must start at level 11",
      ),
      errors.join("\n"),
    );
  });

  it("refuses equipment when maxStack is above 1", () => {
    const raw = testRawContent();
    first(loose(raw).items?.items).maxStack = 5;
    assert.deepEqual(errorsOf(raw), [
      "items.json items[0].maxStack (id sword): equipment must have maxStack 1",
    ]);
  });
});
