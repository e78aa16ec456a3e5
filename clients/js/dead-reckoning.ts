/**
 * Where to draw an entity. The server sends a moving entity's position rarely: `x`/`y` where it
 * was at server tick `posTick` (8 bits) and its velocity `vx`/`vy` in units/s, re-sent only when
 * extrapolating from them would be off by more than a few units. `extrapolate` (the same code the
 * server uses to decide when a correction is due) gives the position at the state's `tick`
 * (16 bits, in every patch) plus the time since that patch arrived; `Track` smooths the jumps
 * corrections cause by drawing a little in the past between known samples.
 */
export {
  extrapolate,
  msUntilTick,
  ticksSince,
  TICK_MS,
  type Motion,
  type Point,
} from "../../schema/motion.ts";
export { INTERPOLATION_DELAY_MS, Track } from "./interpolation.ts";
