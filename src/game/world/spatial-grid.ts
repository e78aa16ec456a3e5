/**
 * Uniform spatial hash grid over a bounded zone. Entities are small non-negative integer handles;
 * cells are addressed by the integer key `row * cols + col` (no string keys). Points outside the
 * bounds are kept in the nearest edge cell, so queries stay exact anywhere.
 */

const ABSENT = -1;

export class SpatialGrid {
  /** Cell edge in world units. */
  readonly cellSize: number;
  readonly cols: number;
  readonly rows: number;
  private readonly cells: number[][];
  private cellOf: Int32Array;
  private slotOf: Int32Array;
  private xs: Float64Array;
  private ys: Float64Array;
  private gens: Uint32Array;
  private count = 0;

  /** Grid covering width × height units with square cells of `cellSize` units. */
  constructor(width: number, height: number, cellSize: number, capacity = 256) {
    if (!(cellSize > 0) || !(width > 0) || !(height > 0)) {
      throw new RangeError(`SpatialGrid: bad size ${width}x${height} cell ${cellSize}`);
    }
    this.cellSize = cellSize;
    this.cols = Math.max(1, Math.ceil(width / cellSize));
    this.rows = Math.max(1, Math.ceil(height / cellSize));
    this.cells = Array.from({ length: this.cols * this.rows }, () => []);
    this.cellOf = new Int32Array(capacity).fill(ABSENT);
    this.slotOf = new Int32Array(capacity);
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
    this.gens = new Uint32Array(capacity);
  }

  /** Number of entities in the grid. */
  get size(): number {
    return this.count;
  }

  has(handle: number): boolean {
    return handle >= 0 && handle < this.cellOf.length && this.cellOf[handle] !== ABSENT;
  }

  /**
   * How many times `handle` has been inserted: lets observers tell a reused or re-inserted
   * handle from the entity they saw before.
   */
  generation(handle: number): number {
    return handle < this.gens.length ? (this.gens[handle] as number) : 0;
  }

  /** Adds `handle` at (x, y) units; a handle already present is a bug and throws. */
  insert(handle: number, x: number, y: number): void {
    if (!Number.isInteger(handle) || handle < 0) throw new RangeError(`bad handle ${handle}`);
    if (handle >= this.cellOf.length) this.grow(handle + 1);
    if (this.cellOf[handle] !== ABSENT) throw new Error(`handle ${handle} already in grid`);
    this.xs[handle] = x;
    this.ys[handle] = y;
    this.gens[handle] = ((this.gens[handle] as number) + 1) >>> 0;
    this.link(handle, this.cellKey(x, y));
    this.count++;
  }

  /** Moves a present `handle` to (x, y) units; touches cell lists only when the cell changes. */
  move(handle: number, x: number, y: number): void {
    const from = this.cellOf[handle];
    if (from === undefined || from === ABSENT) throw new Error(`handle ${handle} not in grid`);
    this.xs[handle] = x;
    this.ys[handle] = y;
    const to = this.cellKey(x, y);
    if (to !== from) {
      this.unlink(handle, from);
      this.link(handle, to);
    }
  }

  /** Removes `handle`; returns false when it was not present. */
  remove(handle: number): boolean {
    if (!this.has(handle)) return false;
    this.unlink(handle, this.cellOf[handle] as number);
    this.cellOf[handle] = ABSENT;
    this.count--;
    return true;
  }

  /**
   * Writes into `out` (cleared first) every handle within distance ≤ r units of (x, y);
   * returns how many were written.
   */
  queryRadius(x: number, y: number, r: number, out: number[]): number {
    let n = 0;
    if (r >= 0) {
      const cs = this.cellSize;
      const c0 = this.clampCol(Math.floor((x - r) / cs));
      const c1 = this.clampCol(Math.floor((x + r) / cs));
      const r0 = this.clampRow(Math.floor((y - r) / cs));
      const r1 = this.clampRow(Math.floor((y + r) / cs));
      const r2 = r * r;
      const xs = this.xs;
      const ys = this.ys;
      for (let row = r0; row <= r1; row++) {
        for (let col = c0; col <= c1; col++) {
          const cell = this.cells[row * this.cols + col] as number[];
          for (let i = 0; i < cell.length; i++) {
            const h = cell[i] as number;
            const dx = (xs[h] as number) - x;
            const dy = (ys[h] as number) - y;
            if (dx * dx + dy * dy <= r2) out[n++] = h;
          }
        }
      }
    }
    out.length = n;
    return n;
  }

  /** Stored x of a present handle, in units. */
  xOf(handle: number): number {
    return this.xs[handle] as number;
  }

  /** Stored y of a present handle, in units. */
  yOf(handle: number): number {
    return this.ys[handle] as number;
  }

  private cellKey(x: number, y: number): number {
    const col = this.clampCol(Math.floor(x / this.cellSize));
    const row = this.clampRow(Math.floor(y / this.cellSize));
    return row * this.cols + col;
  }

  // NaN lands in cell 0 rather than corrupting the index.
  private clampCol(c: number): number {
    return c >= this.cols ? this.cols - 1 : c > 0 ? c : 0;
  }

  private clampRow(r: number): number {
    return r >= this.rows ? this.rows - 1 : r > 0 ? r : 0;
  }

  private link(handle: number, key: number): void {
    const cell = this.cells[key] as number[];
    this.cellOf[handle] = key;
    this.slotOf[handle] = cell.length;
    cell.push(handle);
  }

  private unlink(handle: number, key: number): void {
    const cell = this.cells[key] as number[];
    const slot = this.slotOf[handle] as number;
    const last = cell.pop() as number;
    if (last !== handle) {
      cell[slot] = last;
      this.slotOf[last] = slot;
    }
  }

  private grow(min: number): void {
    const cap = Math.max(min, this.cellOf.length * 2);
    const cellOf = new Int32Array(cap).fill(ABSENT);
    cellOf.set(this.cellOf);
    this.cellOf = cellOf;
    this.slotOf = copyInto(new Int32Array(cap), this.slotOf);
    this.xs = copyInto(new Float64Array(cap), this.xs);
    this.ys = copyInto(new Float64Array(cap), this.ys);
    this.gens = copyInto(new Uint32Array(cap), this.gens);
  }
}

function copyInto<T extends Int32Array | Float64Array | Uint32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
