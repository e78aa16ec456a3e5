/** Compiled zone geometry: bounds and a flat blocked-tile bitmap for hot-path collision checks. */
import { BLOCKED_TILE, type ZoneContent } from "./zone-content.ts";

export interface ZoneGeometry {
  /** Zone width in world units; valid x is [0, width]. */
  readonly width: number;
  /** Zone height in world units; valid y is [0, height]. */
  readonly height: number;
  /** Tile edge in world units. */
  readonly tileSize: number;
  readonly cols: number;
  readonly rows: number;
  /** 1 = blocked, indexed by `row * cols + col`. */
  readonly blocked: Uint8Array;
}

/** Builds the collision bitmap from authored tile rows ('#' = blocked; missing cells are free). */
export function compileGeometry(
  zone: Pick<ZoneContent, "width" | "height" | "tileSize" | "tiles">,
): ZoneGeometry {
  const cols = Math.ceil(zone.width / zone.tileSize);
  const rows = Math.ceil(zone.height / zone.tileSize);
  const blocked = new Uint8Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const line = zone.tiles[r] ?? "";
    for (let c = 0; c < cols; c++) blocked[r * cols + c] = line[c] === BLOCKED_TILE ? 1 : 0;
  }
  return { width: zone.width, height: zone.height, tileSize: zone.tileSize, cols, rows, blocked };
}

/** Open geometry without obstacles, width × height units (tests and benchmarks). */
export function openGeometry(width: number, height: number, tileSize = 64): ZoneGeometry {
  return compileGeometry({ width, height, tileSize, tiles: [] });
}

/** Whether the tile under (x, y) in units is blocked; points outside the zone count as blocked. */
export function isBlocked(geo: ZoneGeometry, x: number, y: number): boolean {
  if (!(x >= 0 && y >= 0 && x <= geo.width && y <= geo.height)) return true;
  const c = Math.min(geo.cols - 1, Math.floor(x / geo.tileSize));
  const r = Math.min(geo.rows - 1, Math.floor(y / geo.tileSize));
  return geo.blocked[r * geo.cols + c] === 1;
}

/** Clamps a coordinate in units to [0, max]. */
export function clampCoord(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value;
}
