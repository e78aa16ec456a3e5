/**
 * Interns names (dimensions, systems) to dense integer ids and keeps each id's rank in ascending
 * name order, so the resolver sorts by "system asc" or "dimension asc" with integer compares only.
 * Growing the table is the only mutation; ids never change, ranks are recomputed on growth.
 */
export class NameTable {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  private ranks = new Int32Array(16);
  private sorted = new Int32Array(16);

  /** Names in id order. */
  get names(): readonly string[] {
    return this.list;
  }

  /** Number of interned names. */
  get size(): number {
    return this.list.length;
  }

  /** Rank of every id in ascending name order; read it after any intern (it may be replaced). */
  get rank(): Int32Array {
    return this.ranks;
  }

  /** Ids in ascending name order; read it after any intern (it may be replaced). */
  get byRank(): Int32Array {
    return this.sorted;
  }

  /** Id of `name`, or -1 when it has not been interned. */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  /** Id of `name`, interning it first when new. */
  intern(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const id = this.list.length;
    this.list.push(name);
    this.ids.set(name, id);
    this.onGrow(id + 1);
    this.recomputeRanks();
    return id;
  }

  /** Hook for subclasses that keep per-id arrays. */
  protected onGrow(_size: number): void {}

  private recomputeRanks(): void {
    if (this.ranks.length < this.list.length) {
      this.ranks = new Int32Array(this.ranks.length * 2);
      this.sorted = new Int32Array(this.sorted.length * 2);
    }
    const order = this.list.map((_, id) => id);
    order.sort((a, b) => compareNames(this.list[a] as string, this.list[b] as string));
    for (let r = 0; r < order.length; r++) {
      this.ranks[order[r] as number] = r;
      this.sorted[r] = order[r] as number;
    }
  }
}

/** Ascending code-unit order, the order the golden vectors and the Actor Core docs assume. */
export function compareNames(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
