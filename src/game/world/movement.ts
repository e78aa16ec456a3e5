/**
 * Movement integration. Speeds are in world units per second (the character's `move_speed`
 * stat is read as units/s; with 64-unit field tiles, 160 units/s is 2.5 tiles/s).
 */
import { clampCoord, isBlocked, type ZoneGeometry } from "./zone-geometry.ts";

/**
 * Length of (dx, dy). Math.hypot guards against overflow this world never reaches and allocates
 * its arguments on every call in V8: in the per-tick paths it showed as ~4% of all allocation.
 */
export function distance(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}

/** Mutable position in world units. */
export interface Position {
  x: number;
  y: number;
}

/** Upper bound on a sub-step, as a fraction of a tile, so fast moves cannot tunnel through walls. */
const SUBSTEP_TILE_FRACTION = 0.45;
/** Distance in units under which a mover counts as arrived (absorbs float rounding). */
const ARRIVAL_EPSILON = 1e-6;

/**
 * Normalises a client direction to unit length into `out`; returns false (out untouched) for
 * NaN, Infinity, non-numbers or the zero vector.
 */
export function normalizeDirection(dx: unknown, dy: unknown, out: Position): boolean {
  if (typeof dx !== "number" || typeof dy !== "number") return false;
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) return false;
  const len = Math.hypot(dx, dy);
  if (!(len > 0) || !Number.isFinite(len)) return false;
  out.x = dx / len;
  out.y = dy / len;
  return true;
}

/**
 * Moves `pos` along unit direction (ux, uy) for `dtMs` at `speedPerSec` units/s, clamped to the
 * zone bounds. A blocked destination tile stops the move, sliding along whichever single axis is
 * still free. Never travels more than speed × dt. Returns the distance travelled in units.
 */
export function integrateMove(
  pos: Position,
  ux: number,
  uy: number,
  speedPerSec: number,
  dtMs: number,
  geo: ZoneGeometry,
): number {
  if (!(speedPerSec > 0) || !(dtMs > 0) || !Number.isFinite(speedPerSec * dtMs)) return 0;
  if (!Number.isFinite(ux) || !Number.isFinite(uy)) return 0;
  const len = distance(ux, uy);
  if (!(len > 0)) return 0;
  if (len > 1) {
    ux /= len;
    uy /= len;
  }
  const budget = (speedPerSec * dtMs) / 1000;
  const maxStep = geo.tileSize * SUBSTEP_TILE_FRACTION;
  const steps = Math.min(1024, Math.ceil(budget / maxStep));
  const sx = (ux * budget) / steps;
  const sy = (uy * budget) / steps;
  // Standing on a blocked tile (bad spawn, content change) must not trap the entity.
  const escaping = isBlocked(geo, pos.x, pos.y);
  let x = pos.x;
  let y = pos.y;
  for (let i = 0; i < steps; i++) {
    const nx = clampCoord(x + sx, geo.width);
    const ny = clampCoord(y + sy, geo.height);
    if (escaping || !isBlocked(geo, nx, ny)) {
      x = nx;
      y = ny;
    } else if (sx !== 0 && !isBlocked(geo, nx, y)) {
      x = nx;
    } else if (sy !== 0 && !isBlocked(geo, x, ny)) {
      y = ny;
    } else {
      break;
    }
  }
  const travelled = distance(x - pos.x, y - pos.y);
  pos.x = x;
  pos.y = y;
  return travelled;
}

/**
 * Moves `pos` toward (tx, ty) at `speedPerSec` units/s for `dtMs`, stopping on arrival and
 * respecting bounds and blocked tiles. Returns the remaining distance to the target in units.
 */
export function moveToward(
  pos: Position,
  tx: number,
  ty: number,
  speedPerSec: number,
  dtMs: number,
  geo: ZoneGeometry,
): number {
  const dx = tx - pos.x;
  const dy = ty - pos.y;
  const dist = distance(dx, dy);
  if (!(dist > 0)) return 0;
  if (!(dtMs > 0)) return dist;
  integrateMove(pos, dx / dist, dy / dist, Math.min(speedPerSec, (dist * 1000) / dtMs), dtMs, geo);
  const remaining = distance(tx - pos.x, ty - pos.y);
  if (remaining < ARRIVAL_EPSILON && !isBlocked(geo, tx, ty)) {
    pos.x = clampCoord(tx, geo.width);
    pos.y = clampCoord(ty, geo.height);
    return 0;
  }
  return remaining;
}
