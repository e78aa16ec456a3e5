/**
 * Smooth motion between state patches: every entity keeps the positions it had at the last few
 * patches, and is drawn where it was `INTERPOLATION_DELAY_MS` ago, between two known samples.
 * Two patch intervals of delay (patches arrive at 20 Hz) hide one late or lost patch.
 */
import type { Point } from "../../schema/motion.ts";

export type { Point };

export const INTERPOLATION_DELAY_MS = 100;
/** Beyond this gap (teleport, respawn, re-entering view) snap instead of gliding across. */
const SNAP_DISTANCE = 160;
const MAX_SAMPLES = 8;
/** The server's patch interval (20 Hz). */
const PATCH_INTERVAL_MS = 50;

type Sample = { t: number; x: number; y: number };

export class Track {
  private readonly samples: Sample[] = [];

  /** Records where the entity is at patch time `t` (ms, performance.now()). */
  push(t: number, x: number, y: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && Math.hypot(x - last.x, y - last.y) > SNAP_DISTANCE) this.samples.length = 0;
    if (last && last.t === t) {
      last.x = x;
      last.y = y;
      return;
    }
    if (last && t - last.t > 2 * PATCH_INTERVAL_MS) {
      // Patches only come when something changed: the entity stood still until one patch ago.
      this.samples.push({ t: t - PATCH_INTERVAL_MS, x: last.x, y: last.y });
    }
    this.samples.push({ t, x, y });
    while (this.samples.length > MAX_SAMPLES) this.samples.shift();
  }

  /** The position to draw at time `now` (ms), written into `out`. */
  sample(now: number, out: Point): Point {
    const samples = this.samples;
    const renderAt = now - INTERPOLATION_DELAY_MS;
    const first = samples[0];
    if (!first) return out;
    if (samples.length === 1 || renderAt <= first.t) {
      out.x = first.x;
      out.y = first.y;
      return out;
    }
    for (let i = samples.length - 1; i > 0; i--) {
      const a = samples[i - 1]!;
      const b = samples[i]!;
      if (renderAt >= a.t) {
        const span = b.t - a.t;
        const k = span > 0 ? Math.min(1, (renderAt - a.t) / span) : 1;
        out.x = a.x + (b.x - a.x) * k;
        out.y = a.y + (b.y - a.y) * k;
        return out;
      }
    }
    out.x = first.x;
    out.y = first.y;
    return out;
  }
}
