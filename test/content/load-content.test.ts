import { strict as assert } from "node:assert";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ContentLoadError, loadContent } from "../../src/content/load-content.ts";
import { PRIMARY_STATS } from "../../src/game/content/common.ts";

const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../content");

describe("loadContent", () => {
  let scratch: string;

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "content-"));
    await cp(CONTENT_DIR, scratch, { recursive: true });
  });

  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function editJson(file: string, edit: (data: Record<string, unknown[]>) => void) {
    const filePath = path.join(scratch, file);
    const data = JSON.parse(await readFile(filePath, "utf8")) as Record<string, unknown[]>;
    edit(data);
    await writeFile(filePath, JSON.stringify(data));
  }

  async function loadError(): Promise<ContentLoadError> {
    try {
      await loadContent(scratch);
    } catch (error) {
      assert.ok(error instanceof ContentLoadError, String(error));
      return error;
    }
    assert.fail("expected loadContent to throw");
  }

  it("loads the real content directory when it is valid", async () => {
    const content = await loadContent(CONTENT_DIR);
    assert.ok(content.races.size >= 3);
    assert.ok(content.jobs.size >= 3);
    for (const job of content.jobs.values()) assert.ok(job.skills.length >= 3, job.id);
    assert.equal(content.leveling.levelCap, 60);
    assert.equal(content.leveling.realms.length, 6);
    assert.ok(content.mobs.has("wolf"));
  });

  it("has a mob template for every mob the zones spawn", async () => {
    const content = await loadContent(CONTENT_DIR);
    const zoneFiles = (await readdir(path.join(CONTENT_DIR, "zones"))).filter((f) =>
      f.endsWith(".json"),
    );
    assert.ok(zoneFiles.length > 0);
    for (const file of zoneFiles) {
      const data = JSON.parse(await readFile(path.join(CONTENT_DIR, "zones", file), "utf8"));
      for (const spawn of (data.mobSpawns ?? []) as { mobId: string }[]) {
        assert.ok(content.mobs.has(spawn.mobId), `${file} spawns unknown mob ${spawn.mobId}`);
      }
    }
  });

  it("keeps every race and job under its realm's primary caps when levelled to the realm's top", async () => {
    const content = await loadContent(CONTENT_DIR);
    for (const realm of content.leveling.realms) {
      for (const race of content.races.values()) {
        for (const job of content.jobs.values()) {
          for (const stat of PRIMARY_STATS) {
            const cap = realm.caps.find((c) => c.dimension === stat && c.mode === "HARD_MAX");
            if (cap === undefined) continue;
            const level = realm.maxLevel;
            const value =
              race.baseStats[stat] +
              job.baseStats[stat] +
              (level - 1) * (race.growthPerLevel[stat] + job.growthPerLevel[stat]);
            assert.ok(
              value < cap.value,
              `${race.id}/${job.id} ${stat} ${value} >= ${cap.value} at ${level}`,
            );
          }
        }
      }
    }
  });

  it("throws naming the item when a loot table refers to a missing item", async () => {
    await editJson("loot.json", (data) => {
      const table = data.lootTables?.[0] as { entries: { item: string }[] };
      table.entries[0]!.item = "phantom_blade";
    });
    const error = await loadError();
    assert.match(
      error.message,
      /loot\.json lootTables\[0\]\.entries\[0\]\.item \(id slime_loot\): unknown item "phantom_blade"/,
    );
    assert.equal(error.errors.length, 1);
  });

  it("lists every problem in one error when several files are broken", async () => {
    await editJson("mobs.json", (data) => {
      (data.mobs?.[1] as { lootTable: string }).lootTable = "ghost_table";
    });
    await editJson("items.json", (data) => {
      (data.items?.[0] as { rarity: string }).rarity = "mythic";
    });
    await editJson("quests.json", (data) => {
      const quest = data.quests?.[1] as { objectives: { zone?: string }[] };
      quest.objectives[0]!.zone = "atlantis";
    });
    const error = await loadError();
    // Shape errors stop before cross-references, so fix-up is in two rounds; both are named.
    assert.match(error.message, /items\.json items\[0\]\.rarity \(id rusty_sword\)/);
    await editJson("items.json", (data) => {
      (data.items?.[0] as { rarity: string }).rarity = "common";
    });
    const second = await loadError();
    assert.match(
      second.message,
      /mobs\.json mobs\[1\]\.lootTable \(id wolf\): unknown loot table "ghost_table"/,
    );
    assert.match(
      second.message,
      /quests\.json quests\[1\]\.objectives\[0\]\.zone \(id report_to_the_scout\): unknown zone "atlantis"/,
    );
    assert.equal(second.errors.length, 2);
  });

  it("throws naming the file when it is missing or not JSON", async () => {
    await rm(path.join(scratch, "races.json"));
    await writeFile(path.join(scratch, "jobs.json"), "{ not json");
    const error = await loadError();
    assert.match(error.message, /jobs\.json: invalid JSON/);
    assert.match(error.message, /races\.json: file is missing/);
  });
});
