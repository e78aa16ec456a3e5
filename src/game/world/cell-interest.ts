/**
 * Interest cells: the zone is cut into square cells, and every viewer standing in a cell shares
 * one interest set, the entities within `reach` units of the cell's square (entering within
 * `reach`, leaving beyond `exitReach`). A room keeps one StateView per occupied cell, so the
 * patch is encoded once per cell instead of once per viewer (issue 13).
 *
 * Geometry, for an area-of-interest radius R: cells of R/2 units and a reach of 3R/4, so a viewer
 * at a cell's centre sees R units along the axes and any viewer in its cell at least 3R/4, and the
 * region covers about 1.1 times the area of the R-circle it replaces. A viewer keeps its cell
 * until it is `margin` (R/8) units past the cell's edge, so walking along a border does not flip
 * it between two cells; it then still sees 5R/8 ahead.
 */
import {
  beginUpdate,
  dropUnseen,
  ensureCapacity,
  EXIT_RADIUS_FACTOR,
  type InterestScratch,
  type InterestSet,
} from "./interest.ts";
import type { SpatialGrid } from "./spatial-grid.ts";

export interface CellGeometry {
  /** Side of a cell, units. */
  readonly size: number;
  /** An entity enters a cell's set within this many units of the cell's square. */
  readonly reach: number;
  /** ... and leaves it beyond this many. */
  readonly exitReach: number;
  /** A viewer changes cell once this many units past its cell's edge. */
  readonly margin: number;
}

/** Cell keys are `row * CELL_KEY_STRIDE + column`; zones are far narrower than 65,536 cells. */
export const CELL_KEY_STRIDE = 65_536;

/** The cells for an area-of-interest radius of `aoiRadius` units (see the file comment). */
export function cellGeometry(aoiRadius: number): CellGeometry {
  const size = aoiRadius / 2;
  const reach = (aoiRadius * 3) / 4;
  return { size, reach, exitReach: reach * EXIT_RADIUS_FACTOR, margin: size / 4 };
}

/** The key of the cell holding (x, y) units (coordinates below 0 count as 0). */
export function cellAt(geometry: CellGeometry, x: number, y: number): number {
  const col = Math.max(0, Math.floor(x / geometry.size));
  const row = Math.max(0, Math.floor(y / geometry.size));
  return row * CELL_KEY_STRIDE + col;
}

/**
 * The cell of a viewer at (x, y) units that was in cell `current`: `current` while the viewer is
 * less than `margin` units past its edge, else the cell it stands in.
 */
export function cellWithHysteresis(
  geometry: CellGeometry,
  current: number,
  x: number,
  y: number,
): number {
  const { size, margin } = geometry;
  const col = current % CELL_KEY_STRIDE;
  const row = Math.floor(current / CELL_KEY_STRIDE);
  const inside =
    x >= col * size - margin &&
    x < (col + 1) * size + margin &&
    y >= row * size - margin &&
    y < (row + 1) * size + margin;
  return inside ? current : cellAt(geometry, x, y);
}

/** Squared distance in units² from (x, y) to cell `key`'s square (0 inside it). */
export function distanceSqToCell(geometry: CellGeometry, key: number, x: number, y: number) {
  const size = geometry.size;
  const minX = (key % CELL_KEY_STRIDE) * size;
  const minY = Math.floor(key / CELL_KEY_STRIDE) * size;
  const dx = x < minX ? minX - x : x > minX + size ? x - minX - size : 0;
  const dy = y < minY ? minY - y : y > minY + size ? y - minY - size : 0;
  return dx * dx + dy * dy;
}

/**
 * Updates cell `key`'s interest `set`, as updateInterest does for one viewer: handles that left
 * go to `left`, handles that entered to `entered` (both cleared first; apply `left` first). At
 * most `maxEntered` entities enter per update, except `pinned` ones (the viewers' own
 * characters), which always enter.
 */
export function updateCellInterest(
  set: InterestSet,
  grid: SpatialGrid,
  geometry: CellGeometry,
  key: number,
  scratch: InterestScratch,
  entered: number[],
  left: number[],
  maxEntered = Infinity,
  pinned: readonly number[] = [],
): void {
  const epoch = beginUpdate(set, grid, scratch, entered, left);
  const { members, generations } = set;

  for (const h of pinned) {
    if (!grid.has(h)) continue;
    ensureCapacity(scratch, h);
    scratch.seenMark[h] = epoch;
    if (scratch.memberMark[h] === epoch) continue;
    scratch.memberMark[h] = epoch;
    members.push(h);
    generations.push(grid.generation(h));
    entered.push(h);
  }

  const half = geometry.size / 2;
  const centreX = (key % CELL_KEY_STRIDE) * geometry.size + half;
  const centreY = Math.floor(key / CELL_KEY_STRIDE) * geometry.size + half;
  const cands = scratch.candidates;
  const n = grid.queryRadius(centreX, centreY, half * Math.SQRT2 + geometry.exitReach, cands);
  const enter2 = geometry.reach * geometry.reach;
  const exit2 = geometry.exitReach * geometry.exitReach;
  let admitted = 0;
  for (let i = 0; i < n; i++) {
    const h = cands[i] as number;
    const d2 = distanceSqToCell(geometry, key, grid.xOf(h), grid.yOf(h));
    if (d2 > exit2) continue;
    ensureCapacity(scratch, h);
    scratch.seenMark[h] = epoch;
    if (scratch.memberMark[h] === epoch || admitted >= maxEntered || d2 > enter2) continue;
    scratch.memberMark[h] = epoch;
    members.push(h);
    generations.push(grid.generation(h));
    entered.push(h);
    admitted += 1;
  }

  dropUnseen(set, scratch, epoch, left);
}
