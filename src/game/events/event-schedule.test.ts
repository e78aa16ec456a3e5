import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  EventPhase,
  eventTimingAt,
  lastRunStartMs,
  nextRunStartMs,
  scheduleProblem,
} from "./event-schedule.ts";

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const boss = {
  schedule: { everyMinutes: 120, offsetMinutes: 30 },
  durationMinutes: 20,
  announce: { beforeSec: 300 },
};

describe("event schedule", () => {
  it("starts runs every everyMinutes from the UTC epoch shifted by offsetMinutes", () => {
    assert.equal(
      lastRunStartMs(boss.schedule, at("2026-12-03T07:00:00Z")),
      at("2026-12-03T06:30:00Z"),
    );
    assert.equal(
      nextRunStartMs(boss.schedule, at("2026-12-03T07:00:00Z")),
      at("2026-12-03T08:30:00Z"),
    );
    // A start itself is the last run, and the next one is a period later.
    assert.equal(
      lastRunStartMs(boss.schedule, at("2026-12-03T08:30:00Z")),
      at("2026-12-03T08:30:00Z"),
    );
    assert.equal(
      nextRunStartMs(boss.schedule, at("2026-12-03T08:30:00Z")),
      at("2026-12-03T10:30:00Z"),
    );
  });

  it("is idle, then announced beforeSec ahead, then active for durationMinutes", () => {
    const t = (iso: string) => eventTimingAt(boss, at(iso));
    assert.deepEqual(t("2026-12-03T08:00:00Z"), {
      phase: EventPhase.IDLE,
      runStartMs: at("2026-12-03T06:30:00Z"),
      runEndMs: at("2026-12-03T06:50:00Z"),
      nextStartMs: at("2026-12-03T08:30:00Z"),
    });
    assert.equal(t("2026-12-03T08:24:59.999Z").phase, EventPhase.IDLE);
    const announced = t("2026-12-03T08:25:00Z");
    assert.equal(announced.phase, EventPhase.ANNOUNCED);
    assert.equal(announced.runStartMs, at("2026-12-03T08:30:00Z"));
    const active = t("2026-12-03T08:49:59.999Z");
    assert.equal(active.phase, EventPhase.ACTIVE);
    assert.equal(active.runStartMs, at("2026-12-03T08:30:00Z"));
    assert.equal(active.runEndMs, at("2026-12-03T08:50:00Z"));
    assert.equal(active.nextStartMs, at("2026-12-03T10:30:00Z"));
    assert.equal(t("2026-12-03T08:50:00Z").phase, EventPhase.IDLE);
  });

  it("gives every process the same run for any clock reading within it (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 * 60 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        (every, rawOffset, now) => {
          const schedule = { everyMinutes: every, offsetMinutes: rawOffset % every };
          const last = lastRunStartMs(schedule, now);
          assert.ok(last <= now && now < last + every * MIN);
          assert.ok((last - schedule.offsetMinutes * MIN) % (every * MIN) === 0);
          assert.equal(lastRunStartMs(schedule, last + every * MIN - 1), last);
          assert.equal(nextRunStartMs(schedule, now), last + every * MIN);
        },
      ),
    );
  });

  it("refuses schedules whose runs or announcements would overlap", () => {
    assert.equal(scheduleProblem(boss), null);
    assert.match(scheduleProblem({ ...boss, durationMinutes: 120 })!, /durationMinutes/);
    assert.match(
      scheduleProblem({ ...boss, schedule: { everyMinutes: 60, offsetMinutes: 60 } })!,
      /offsetMinutes/,
    );
    assert.match(scheduleProblem({ ...boss, announce: { beforeSec: 100 * 60 + 1 } })!, /beforeSec/);
    assert.equal(scheduleProblem({ ...boss, announce: { beforeSec: 100 * 60 } }), null);
  });
});
