import assert from "node:assert/strict";
import { patchDuty } from "../../rooms/patch-schedule.ts";

const duties = (every: number) =>
  Array.from({ length: 2 * every }, (_, i) => patchDuty(i + 1, every));

describe("patch schedule (rooms/patch-schedule.ts)", () => {
  it("patches every step at 20 Hz, the patch refreshing the views itself", () => {
    assert.deepEqual(duties(1), ["patch", "patch"]);
  });

  it("refreshes the views on the step before each patch below 20 Hz", () => {
    assert.deepEqual(duties(2), ["refreshViews", "patch", "refreshViews", "patch"]);
    assert.deepEqual(duties(4).slice(0, 4), ["none", "none", "refreshViews", "patch"]);
  });
});
