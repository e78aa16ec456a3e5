/** One problem in the content files, located precisely enough to fix. */
export type ContentError = {
  /** File name, e.g. "items.json". */
  file: string;
  /** Path inside the file, e.g. "items[3].stats[0].dimension". */
  path: string;
  /** Id of the entry the problem is in, when it has one. */
  id?: string;
  message: string;
};

/** Render a path such as ["items", 3, "stats"] as items[3].stats. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One line per problem: `items.json items[3] (iron_sword).stats[0]: unknown dimension "x"`. */
export function formatContentError(error: ContentError): string {
  const where = error.path === "" ? "" : ` ${error.path}`;
  const id = error.id === undefined ? "" : ` (id ${error.id})`;
  return `${error.file}${where}${id}: ${error.message}`;
}
