/**
 * Dead reckoning, shared by the server (which decides when a correction is due) and every client
 * (which extrapolates). A moving entity's `x`/`y` are where it was at server tick `posTick`, and
 * it keeps going at `vx`/`vy` units per second until the next correction; the state's `tick` says
 * which tick the latest patch is from. Pure: no schema or Colyseus import, so the browser bundle
 * and the bots can use it.
 */

/** Server step length: ticks run at 20 Hz. */
export const TICK_MS = 50;
/** `posTick` is 8 bits on the wire (12.8 s of ticks): ticks are compared modulo this. */
const POS_TICK_MODULO = 0x100;
export const POS_TICK_MASK = POS_TICK_MODULO - 1;
/**
 * A moving entity gets a correction at least this often (10 s) even when its extrapolation is
 * exact, so `posTick` never falls a whole modulo behind the state's tick.
 */
export const POS_TICK_REFRESH = 200;

/**
 * Velocities travel as one byte per axis (issue 13: two of the ~18 bytes of every correction):
 * 254 steps of 3 u/s over ±381 u/s, zero exact. Faster than any mob (leashing at 285 u/s) and
 * than players but at the move_speed clamp (384 u/s), who are stepped down and corrected more.
 */
export const VELOCITY_STEP = 3;
export const MAX_WIRE_SPEED = 127 * VELOCITY_STEP;

/** `v` units/s as the wire carries it: the nearest step, within ±MAX_WIRE_SPEED. */
export function wireVelocity(v: number): number {
  const stepped = Math.round(v / VELOCITY_STEP) * VELOCITY_STEP;
  return Math.max(-MAX_WIRE_SPEED, Math.min(MAX_WIRE_SPEED, stepped)) || 0;
}

/** Velocity is unset on the wire until an entity first moves: unset reads as 0. */
export type Motion = { x: number; y: number; vx?: number; vy?: number; posTick: number };
export type Point = { x: number; y: number };

/** Ticks from `posTick` (8 bits) to the state's `tick` (16 bits), modulo 2^8. */
export function ticksSince(posTick: number, tick: number): number {
  return (((tick - posTick) % POS_TICK_MODULO) + POS_TICK_MODULO) % POS_TICK_MODULO;
}

/** The state's `tick` is the server tick modulo this (16 bits on the wire). */
export const STATE_TICK_MASK = 0xffff;

/**
 * Milliseconds until the state tick `readyTick` (a cooldown's, 16 bits), seen from state tick
 * `tick` plus `extraMs` since that tick's patch arrived; 0 once it has passed. Differences are
 * taken modulo 2^16 as signed, so cooldowns up to ~27 minutes read right.
 */
export function msUntilTick(readyTick: number, tick: number, extraMs = 0): number {
  const ticks = ((((readyTick - tick) & STATE_TICK_MASK) + 0x8000) & STATE_TICK_MASK) - 0x8000;
  return Math.max(0, ticks * TICK_MS - extraMs);
}

/**
 * Where `m` is at server tick `tick`, plus `extraMs` (time since that tick's patch arrived, for
 * smooth drawing between patches). Written into `out`.
 */
export function extrapolate(m: Motion, tick: number, out: Point, extraMs = 0): Point {
  const seconds = (ticksSince(m.posTick, tick) * TICK_MS + extraMs) / 1000;
  out.x = m.x + (m.vx ?? 0) * seconds;
  out.y = m.y + (m.vy ?? 0) * seconds;
  return out;
}
