import type { z } from "zod";
import type { AutoAttack, Skill } from "./skills.ts";
import { skillsFileSchema } from "./skills.ts";
import type { Item } from "./items.ts";
import { itemsFileSchema } from "./items.ts";
import type { Job } from "./jobs.ts";
import { jobsFileSchema } from "./jobs.ts";
import type { Leveling } from "./leveling.ts";
import { levelingFileSchema } from "./leveling.ts";
import type { LootTable } from "./loot.ts";
import { lootFileSchema } from "./loot.ts";
import type { Mob } from "./mobs.ts";
import { mobsFileSchema } from "./mobs.ts";
import type { Quest } from "./quests.ts";
import { questsFileSchema } from "./quests.ts";
import type { Race } from "./races.ts";
import { racesFileSchema } from "./races.ts";
import { checkReferences, type ParsedFiles } from "./cross-refs.ts";
import { formatPath, type ContentError } from "./content-error.ts";

export type { ContentError } from "./content-error.ts";
export { formatContentError } from "./content-error.ts";

/** The content files, by base name: content/<name>.json. */
export const CONTENT_FILES = [
  "races",
  "jobs",
  "skills",
  "items",
  "mobs",
  "loot",
  "quests",
  "leveling",
] as const;
export type ContentFile = (typeof CONTENT_FILES)[number];

/** Parsed-but-unchecked JSON of each file, keyed by base name. */
export type RawContent = Partial<Record<ContentFile, unknown>>;

/** Validated, cross-checked, frozen game content: lookups by id. */
export type Content = {
  readonly races: ReadonlyMap<string, Race>;
  readonly jobs: ReadonlyMap<string, Job>;
  readonly skills: ReadonlyMap<string, Skill>;
  readonly autoAttacks: ReadonlyMap<string, AutoAttack>;
  readonly items: ReadonlyMap<string, Item>;
  readonly mobs: ReadonlyMap<string, Mob>;
  readonly lootTables: ReadonlyMap<string, LootTable>;
  readonly quests: ReadonlyMap<string, Quest>;
  readonly leveling: Leveling;
};

export type ValidateContentOptions = {
  /** Known zone ids; when given, quest visit objectives must name one of them. */
  zoneIds?: readonly string[];
};

export type ContentResult =
  { ok: true; content: Content } | { ok: false; errors: readonly ContentError[] };

const SCHEMAS = {
  races: racesFileSchema,
  jobs: jobsFileSchema,
  skills: skillsFileSchema,
  items: itemsFileSchema,
  mobs: mobsFileSchema,
  loot: lootFileSchema,
  quests: questsFileSchema,
  leveling: levelingFileSchema,
} as const satisfies Record<ContentFile, z.ZodType>;

/** Validate every file's shape, then every cross-reference; returns all problems found. */
export function validateContent(
  raw: RawContent,
  options: ValidateContentOptions = {},
): ContentResult {
  const errors: ContentError[] = [];
  const parsed: Partial<ParsedFiles> = {};
  for (const file of CONTENT_FILES) {
    const data = raw[file];
    if (data === undefined) {
      errors.push({ file: `${file}.json`, path: "", message: "file is missing" });
      continue;
    }
    const result = SCHEMAS[file].safeParse(data);
    if (result.success) {
      (parsed as Record<string, unknown>)[file] = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      errors.push({
        file: `${file}.json`,
        path: formatPath(issue.path),
        id: findOwnerId(data, issue.path),
        message: issue.message,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const files = parsed as ParsedFiles;
  const refErrors = checkReferences(files, options.zoneIds);
  if (refErrors.length > 0) return { ok: false, errors: refErrors };

  const content: Content = {
    races: byId(files.races.races),
    jobs: byId(files.jobs.jobs),
    skills: byId(files.skills.skills),
    autoAttacks: byId(files.skills.autoAttacks),
    items: byId(files.items.items),
    mobs: byId(files.mobs.mobs),
    lootTables: byId(files.loot.lootTables),
    quests: byId(files.quests.quests),
    leveling: files.leveling,
  };
  deepFreeze(files);
  return { ok: true, content: Object.freeze(content) };
}

function byId<T extends { id: string }>(list: readonly T[]): ReadonlyMap<string, T> {
  return new Map(list.map((entry) => [entry.id, entry]));
}

/** The id of the deepest object along the path that has one (the entry the problem is in). */
function findOwnerId(data: unknown, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = data;
  let id: string | undefined;
  for (const key of path) {
    if (node === null || typeof node !== "object") break;
    const value = (node as Record<PropertyKey, unknown>)[key];
    if (value !== null && typeof value === "object" && "id" in value) {
      const candidate = (value as { id: unknown }).id;
      if (typeof candidate === "string") id = candidate;
    }
    node = value;
  }
  return id;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
