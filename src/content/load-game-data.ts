import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Content } from "../game/content/content.ts";
import { formatContentError } from "../game/content/content-error.ts";
import { validateEvents, type WorldEventDef } from "../game/content/events.ts";
import { parseDerivedFormulas, type DerivedFormulas } from "../game/stats/stats.ts";
import { validateZones, type ZoneContent } from "../game/world/zone-content.ts";
import { loadContent } from "./load-content.ts";

export const CONTENT_DIR = fileURLToPath(new URL("../../content", import.meta.url));

/** Everything designers edit, validated: rules content, zones and stat formulas. */
export type GameData = {
  readonly content: Content;
  readonly zones: ReadonlyMap<string, ZoneContent>;
  readonly formulas: DerivedFormulas;
  /** Timed world events (content/events.json; none when the file is absent). */
  readonly events: ReadonlyMap<string, WorldEventDef>;
};

/** Loads and cross-checks the whole content directory; throws one error listing every problem. */
export async function loadGameData(dir: string = CONTENT_DIR): Promise<GameData> {
  const content = await loadContent(dir);
  const zoneDir = path.join(dir, "zones");
  const files = (await readdir(zoneDir)).filter((f) => f.endsWith(".json")).sort();
  const rawZones = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(path.join(zoneDir, f), "utf8")) as unknown),
  );
  const zones = validateZones(rawZones, { knownMobIds: new Set(content.mobs.keys()) });
  if (!zones.ok) throw new Error(`content/zones is invalid:\n  - ${zones.errors.join("\n  - ")}`);

  const formulasFile = path.join(dir, "stats", "derived-formulas.json");
  const formulas = parseDerivedFormulas(JSON.parse(await readFile(formulasFile, "utf8")));
  if (!formulas.ok) {
    throw new Error(`${formulasFile} is invalid:\n  - ${formulas.issues.join("\n  - ")}`);
  }
  const zoneMap = new Map(zones.zones.map((z) => [z.id, z]));
  return {
    content,
    zones: zoneMap,
    formulas: formulas.value,
    events: await loadEvents(path.join(dir, "events.json"), content, zoneMap),
  };
}

async function loadEvents(
  file: string,
  content: Content,
  zones: ReadonlyMap<string, ZoneContent>,
): Promise<ReadonlyMap<string, WorldEventDef>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return new Map();
    throw error;
  }
  const events = validateEvents(JSON.parse(text), {
    zones,
    mobIds: new Set(content.mobs.keys()),
    items: content.items,
  });
  if (!events.ok) {
    const lines = events.errors.map((e) => `  - ${formatContentError(e)}`);
    throw new Error(`${file} is invalid:\n${lines.join("\n")}`);
  }
  return events.events;
}
