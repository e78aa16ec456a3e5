/**
 * Seeded pseudo-random numbers for game rules: sfc32 (Chris Doty-Humphrey's Small Fast Counter),
 * seeded through splitmix32. 128 bits of state, passes PractRand, no allocation per call.
 */

/** Saved generator state: four unsigned 32-bit words. */
export type RngState = readonly [number, number, number, number];

/** The randomness source every rule takes as an argument. */
export type Rng = {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** Copy of the current state, to save with a replay or a snapshot. */
  getState(): RngState;
  /** Continue from a state returned by getState(). */
  setState(state: RngState): void;
};

const TWO_POW_32 = 4294967296;

class Sfc32 implements Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(state: RngState) {
    this.setState(state);
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  }

  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`rng.int: bad range [${min}, ${max}]`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("rng.pick: empty array");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  getState(): RngState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  setState(state: RngState): void {
    this.a = state[0] | 0;
    this.b = state[1] | 0;
    this.c = state[2] | 0;
    this.d = state[3] | 0;
  }
}

/** Expand a 32-bit seed into a well-mixed sfc32 state (splitmix32, then 12 warm-up rounds). */
export function seedState(seed: number): RngState {
  let s = seed >>> 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    words.push((z ^ (z >>> 16)) >>> 0);
  }
  const rng = new Sfc32(words as unknown as RngState);
  for (let i = 0; i < 12; i++) rng.next();
  return rng.getState();
}

/** Create a generator from a 32-bit integer seed (same seed, same sequence). */
export function createRng(seed: number): Rng {
  return new Sfc32(seedState(seed));
}

/** Create a generator that continues from a saved state. */
export function restoreRng(state: RngState): Rng {
  return new Sfc32(state);
}
