import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  CONTENT_FILES,
  formatContentError,
  validateContent,
  type Content,
  type ContentError,
  type RawContent,
} from "../game/content/content.ts";

/** Thrown when the content directory does not load; `errors` lists every problem. */
export class ContentLoadError extends Error {
  readonly errors: readonly ContentError[];

  constructor(dir: string, errors: readonly ContentError[]) {
    const lines = errors.map((e) => `  - ${formatContentError(e)}`);
    super(`content in ${dir} is invalid (${errors.length} problem(s)):\n${lines.join("\n")}`);
    this.name = "ContentLoadError";
    this.errors = errors;
  }
}

export type LoadContentOptions = {
  /**
   * Zone ids quest visit objectives may name. Default: the `id` of each zones/*.json under the
   * content directory (its file name when it has none); null skips the check.
   */
  zoneIds?: readonly string[] | null;
};

/** Read content/*.json from `dir`, validate it, and return it; throws ContentLoadError listing every problem. */
export async function loadContent(dir: string, options: LoadContentOptions = {}): Promise<Content> {
  const errors: ContentError[] = [];
  const raw: RawContent = {};
  await Promise.all(
    CONTENT_FILES.map(async (name) => {
      const file = `${name}.json`;
      const data = await readJson(path.join(dir, file), file, errors);
      if (data !== undefined) raw[name] = data;
    }),
  );
  const zoneIds =
    options.zoneIds === undefined
      ? await readZoneIds(path.join(dir, "zones"), errors)
      : options.zoneIds;
  if (errors.length > 0) throw new ContentLoadError(dir, sortErrors(errors));

  const result = validateContent(raw, zoneIds === null ? {} : { zoneIds });
  if (!result.ok) throw new ContentLoadError(dir, result.errors);
  return result.content;
}

async function readJson(filePath: string, file: string, errors: ContentError[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(filePath, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    errors.push({ file, path: "", message: code === "ENOENT" ? "file is missing" : String(cause) });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    errors.push({ file, path: "", message: `invalid JSON: ${(cause as Error).message}` });
    return undefined;
  }
}

/** Zone ids from zones/*.json; null when there is no zones directory (the check is skipped). */
async function readZoneIds(zonesDir: string, errors: ContentError[]): Promise<string[] | null> {
  let names: string[];
  try {
    names = (await readdir(zonesDir)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return null;
  }
  const ids: string[] = [];
  for (const name of names) {
    const data = await readJson(path.join(zonesDir, name), `zones/${name}`, errors);
    const id = (data as { id?: unknown } | undefined)?.id;
    ids.push(typeof id === "string" ? id : name.slice(0, -".json".length));
  }
  return ids;
}

function sortErrors(errors: ContentError[]): ContentError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file));
}
