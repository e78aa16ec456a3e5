/**
 * What step `tickCount` of a zone room that patches every `every` steps does after simulating:
 * send the patch, refresh the interest views ahead of the next patch, or neither. Below 20 Hz
 * the views are refreshed on the step before the patch's, so that refreshing and encoding do not
 * land on one 50 ms step; at 20 Hz (`every` 1) the patch refreshes them itself (onBeforePatch).
 */
export function patchDuty(tickCount: number, every: number): "patch" | "refreshViews" | "none" {
  const phase = tickCount % every;
  if (phase === 0) return "patch";
  return phase === every - 1 ? "refreshViews" : "none";
}
