/**
 * The CI cut of the soak, run in a process of its own by test/load/soak.test.ts; prints the
 * result as JSON on its last line. Its bots decode state with the SDK: in the test runner's
 * process, which has already hosted in-process game servers and SDK clients of earlier tests,
 * they logged `"refId" not found` (reproduced with test/rooms/patch-rate.test.ts run before the
 * soak, at this commit and at 9f238c8), which a client never shares a process with a server to
 * do; alone, the same soak decodes cleanly.
 */
import { runSoak, SOAK_DEFAULTS } from "../../loadtest/soak.ts";

const BOTS = 40;

const result = await runSoak({
  ...SOAK_DEFAULTS,
  bots: BOTS,
  durationSec: 22,
  rampSec: 4,
  warmupSec: 6,
  sampleSec: 1,
  disruptEverySec: 3,
  dropFraction: 0.1,
  leaveFraction: 0.05,
  spareHandoverMs: 2000,
  quietTailSec: 5,
  portalChance: 0.3,
  memory: { maxSlopeMiBPerHour: Infinity, endTolerance: 0.25, windowSec: 4 },
  gcEverySec: 2,
  pin: false,
});
process.stdout.write(`\n${JSON.stringify(result)}\n`);
process.exit(0);
