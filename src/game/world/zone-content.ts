/**
 * Zone content: the zod schema for `content/zones/*.json` and cross-zone validation
 * (portal targets exist, points inside bounds and off blocked tiles).
 */
import { z } from "zod";

/**
 * What a zone is used for; `instance` zones are templates for private dungeon copies, `arena`
 * zones for rated PvP matches (rooms/ArenaRoom.ts): players of different teams fight, nobody
 * respawns, and nobody is ever saved there.
 */
export const ZoneKind = {
  Town: "town",
  Field: "field",
  Instance: "instance",
  Arena: "arena",
} as const;
export type ZoneKind = (typeof ZoneKind)[keyof typeof ZoneKind];

/** Character in a `tiles` row that marks a blocked tile; any other character is walkable. */
export const BLOCKED_TILE = "#";

const idPattern = /^[a-z][a-z0-9_-]*$/;
const id = z.string().regex(idPattern, "must be lower-case letters, digits, '-' or '_'");
const coord = z.number();
const positive = z.number().positive();

export const PortalSchema = z.strictObject({
  id,
  x: coord,
  y: coord,
  radius: positive,
  targetZone: id,
  targetX: coord,
  targetY: coord,
});
export type Portal = z.infer<typeof PortalSchema>;

export const MobSpawnSchema = z.strictObject({
  id,
  mobId: id,
  x: coord,
  y: coord,
  count: z.int().min(1).max(500),
  radius: z.number().min(0),
});
export type MobSpawn = z.infer<typeof MobSpawnSchema>;

export const NpcSchema = z.strictObject({
  id,
  name: z.string().min(1).max(64),
  x: coord,
  y: coord,
});
export type Npc = z.infer<typeof NpcSchema>;

export const ZoneContentSchema = z.strictObject({
  id,
  name: z.string().min(1).max(64),
  kind: z.enum([ZoneKind.Town, ZoneKind.Field, ZoneKind.Instance, ZoneKind.Arena]),
  safe: z.boolean(),
  maxPlayers: z.int().min(1).max(5000),
  width: positive,
  height: positive,
  tileSize: positive,
  spawn: z.strictObject({ x: coord, y: coord }),
  portals: z.array(PortalSchema),
  mobSpawns: z.array(MobSpawnSchema),
  npcs: z.array(NpcSchema),
  tiles: z.array(z.string()).min(1),
});
/** One zone as authored in `content/zones/<id>.json`; sizes and positions in world units. */
export type ZoneContent = z.infer<typeof ZoneContentSchema>;

export type ZoneValidation = { ok: true; zones: ZoneContent[] } | { ok: false; errors: string[] };

export interface ValidateZonesOptions {
  /** Mob template ids known to the content tables; when given, unknown `mobId`s are errors. */
  knownMobIds?: ReadonlySet<string>;
}

/** Whether world point (x, y) in units falls on a blocked tile of `zone` (false when out of bounds). */
export function isBlockedInContent(zone: ZoneContent, x: number, y: number): boolean {
  const row = zone.tiles[Math.floor(y / zone.tileSize)];
  return row !== undefined && row[Math.floor(x / zone.tileSize)] === BLOCKED_TILE;
}

function isInside(zone: ZoneContent, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x <= zone.width && y <= zone.height;
}

/** Parses and cross-checks raw zone documents; every problem is reported with zone id and field. */
export function validateZones(
  raw: readonly unknown[],
  options: ValidateZonesOptions = {},
): ZoneValidation {
  const errors: string[] = [];
  const zones: ZoneContent[] = [];
  raw.forEach((doc, index) => {
    const parsed = ZoneContentSchema.safeParse(doc);
    if (parsed.success) {
      zones.push(parsed.data);
      return;
    }
    const label = describeDoc(doc, index);
    for (const issue of parsed.error.issues) {
      errors.push(`zone ${label}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
  });

  const byId = new Map<string, ZoneContent>();
  for (const zone of zones) {
    if (byId.has(zone.id)) errors.push(`zone "${zone.id}": id: duplicate zone id`);
    byId.set(zone.id, zone);
  }
  for (const zone of zones) checkZone(zone, byId, options, errors);
  return errors.length === 0 ? { ok: true, zones } : { ok: false, errors };
}

function describeDoc(doc: unknown, index: number): string {
  const docId = (doc as { id?: unknown } | null)?.id;
  return typeof docId === "string" ? `"${docId}"` : `#${index}`;
}

function checkZone(
  zone: ZoneContent,
  byId: ReadonlyMap<string, ZoneContent>,
  options: ValidateZonesOptions,
  errors: string[],
): void {
  const err = (field: string, message: string) =>
    errors.push(`zone "${zone.id}": ${field}: ${message}`);
  const cols = Math.ceil(zone.width / zone.tileSize);
  const rows = Math.ceil(zone.height / zone.tileSize);
  if (zone.tiles.length !== rows) err("tiles", `expected ${rows} rows, got ${zone.tiles.length}`);
  zone.tiles.forEach((row, r) => {
    if (row.length !== cols) err(`tiles[${r}]`, `expected ${cols} columns, got ${row.length}`);
  });

  const checkPoint = (field: string, target: ZoneContent, x: number, y: number) => {
    if (!isInside(target, x, y)) {
      err(field, `(${x}, ${y}) is outside zone "${target.id}" (${target.width}x${target.height})`);
    } else if (isBlockedInContent(target, x, y)) {
      err(field, `(${x}, ${y}) is on a blocked tile of zone "${target.id}"`);
    }
  };

  checkPoint("spawn", zone, zone.spawn.x, zone.spawn.y);
  checkUniqueIds("portals", zone.portals, err);
  checkUniqueIds("mobSpawns", zone.mobSpawns, err);
  checkUniqueIds("npcs", zone.npcs, err);

  zone.portals.forEach((portal, i) => {
    checkPoint(`portals[${i}] (${portal.id})`, zone, portal.x, portal.y);
    const target = byId.get(portal.targetZone);
    if (!target) {
      err(`portals[${i}].targetZone`, `zone "${portal.targetZone}" does not exist`);
    } else {
      checkPoint(`portals[${i}].target (${portal.id})`, target, portal.targetX, portal.targetY);
    }
  });

  if (zone.safe && zone.mobSpawns.length > 0) err("mobSpawns", "a safe zone cannot spawn mobs");
  if (zone.kind === ZoneKind.Arena && zone.safe) err("safe", "an arena cannot be safe");
  zone.portals.forEach((portal, i) => {
    if (byId.get(portal.targetZone)?.kind === ZoneKind.Arena) {
      err(`portals[${i}].targetZone`, "arenas are entered through the arena queue, not portals");
    }
  });
  zone.mobSpawns.forEach((spawn, i) => {
    checkPoint(`mobSpawns[${i}] (${spawn.id})`, zone, spawn.x, spawn.y);
    if (options.knownMobIds && !options.knownMobIds.has(spawn.mobId)) {
      err(`mobSpawns[${i}].mobId`, `unknown mob "${spawn.mobId}"`);
    }
  });
  zone.npcs.forEach((npc, i) => checkPoint(`npcs[${i}] (${npc.id})`, zone, npc.x, npc.y));
}

function checkUniqueIds(
  field: string,
  items: readonly { id: string }[],
  err: (field: string, message: string) => void,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) err(`${field}[${i}].id`, `duplicate id "${item.id}"`);
    seen.add(item.id);
  });
}
