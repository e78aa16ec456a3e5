/**
 * Area of interest with hysteresis: an entity enters a viewer's set within `radius` units and
 * leaves only beyond `exitRadius` units (or when it leaves the grid or its handle is re-inserted),
 * so entities hovering at the edge do not flicker in and out.
 */
import type { SpatialGrid } from "./spatial-grid.ts";

/** One viewer's current interest set: handles plus the grid generation each was seen with. */
export interface InterestSet {
  readonly members: number[];
  readonly generations: number[];
}

/** Per-zone scratch shared by all viewers' updates (they run one after another). */
export interface InterestScratch {
  epoch: number;
  memberMark: Uint32Array;
  seenMark: Uint32Array;
  readonly candidates: number[];
}

/** Default exit radius factor: leave at 110% of the enter radius. */
export const EXIT_RADIUS_FACTOR = 1.1;

/**
 * Rooms refresh each viewer every this many ticks, in turns: the exit margin (10% of a 400-unit
 * radius) covers two ticks of two entities walking apart, and entering one tick later does not
 * show. Halves the interest work per tick.
 */
export const INTEREST_REFRESH_TICKS = 2;

export function createInterestSet(): InterestSet {
  return { members: [], generations: [] };
}

export function createInterestScratch(capacity = 1024): InterestScratch {
  return {
    epoch: 0,
    memberMark: new Uint32Array(capacity),
    seenMark: new Uint32Array(capacity),
    candidates: [],
  };
}

/**
 * Updates `set` for a viewer at (x, y) units. Writes handles that left into `left` and handles
 * that entered into `entered` (both cleared first). Apply `left` before `entered`: a handle
 * re-inserted in the grid since the last update appears in both. `selfHandle` is never included.
 * At most `maxEntered` entities enter per update (the rest on later updates), so walking into a
 * crowd spreads its spawn burst over several patches.
 */
export function updateInterest(
  set: InterestSet,
  grid: SpatialGrid,
  selfHandle: number,
  x: number,
  y: number,
  radius: number,
  exitRadius: number,
  scratch: InterestScratch,
  entered: number[],
  left: number[],
  maxEntered = Infinity,
): void {
  const epoch = beginUpdate(set, grid, scratch, entered, left);
  const { members, generations } = set;

  const outer = Math.max(radius, exitRadius);
  const cands = scratch.candidates;
  const n = grid.queryRadius(x, y, outer, cands);
  const r2 = radius * radius;
  for (let i = 0; i < n; i++) {
    const h = cands[i] as number;
    if (h === selfHandle) continue;
    ensureCapacity(scratch, h);
    scratch.seenMark[h] = epoch;
    if (scratch.memberMark[h] === epoch || entered.length >= maxEntered) continue;
    const dx = grid.xOf(h) - x;
    const dy = grid.yOf(h) - y;
    if (dx * dx + dy * dy <= r2) {
      members.push(h);
      generations.push(grid.generation(h));
      entered.push(h);
    }
  }

  dropUnseen(set, scratch, epoch, left);
}

/**
 * First pass of an interest update (per viewer or per cell): clears `entered` and `left`, starts
 * a new epoch, moves members no longer in the grid (or re-inserted since) to `left` and marks the
 * rest as members. Returns the epoch.
 */
export function beginUpdate(
  set: InterestSet,
  grid: SpatialGrid,
  scratch: InterestScratch,
  entered: number[],
  left: number[],
): number {
  entered.length = 0;
  left.length = 0;
  const epoch = nextEpoch(scratch);
  const { members, generations } = set;
  for (let i = 0; i < members.length; i++) {
    const h = members[i] as number;
    if (!grid.has(h) || grid.generation(h) !== generations[i]) {
      left.push(h);
      swapRemove(set, i--);
      continue;
    }
    ensureCapacity(scratch, h);
    scratch.memberMark[h] = epoch;
  }
  return epoch;
}

/** Last pass of an interest update: members not seen in `epoch` move to `left`. */
export function dropUnseen(
  set: InterestSet,
  scratch: InterestScratch,
  epoch: number,
  left: number[],
): void {
  const { members } = set;
  for (let i = 0; i < members.length; i++) {
    const h = members[i] as number;
    if (scratch.seenMark[h] !== epoch) {
      left.push(h);
      swapRemove(set, i--);
    }
  }
}

/** Empties `set`, writing every member into `left` (cleared first), e.g. when a viewer leaves. */
export function clearInterest(set: InterestSet, left: number[]): void {
  left.length = 0;
  for (const h of set.members) left.push(h);
  set.members.length = 0;
  set.generations.length = 0;
}

/** Starts a new update on `scratch`: marks of earlier updates no longer count. */
export function nextEpoch(scratch: InterestScratch): number {
  scratch.epoch = (scratch.epoch + 1) >>> 0;
  if (scratch.epoch === 0) {
    // Wrapped after 2^32 updates: stale marks could collide, so start over.
    scratch.memberMark.fill(0);
    scratch.seenMark.fill(0);
    scratch.epoch = 1;
  }
  return scratch.epoch;
}

/** Grows `scratch`'s marks to cover `handle`. */
export function ensureCapacity(scratch: InterestScratch, handle: number): void {
  if (handle < scratch.memberMark.length) return;
  const cap = Math.max(handle + 1, scratch.memberMark.length * 2);
  const member = new Uint32Array(cap);
  member.set(scratch.memberMark);
  const seen = new Uint32Array(cap);
  seen.set(scratch.seenMark);
  scratch.memberMark = member;
  scratch.seenMark = seen;
}

/** Removes member `i` of `set` by moving the last member into its place. */
export function swapRemove(set: InterestSet, i: number): void {
  const lastMember = set.members.pop() as number;
  const lastGen = set.generations.pop() as number;
  if (i < set.members.length) {
    set.members[i] = lastMember;
    set.generations[i] = lastGen;
  }
}
