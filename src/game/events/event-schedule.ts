/**
 * When a timed world event runs. Runs start every `everyMinutes` from the Unix epoch shifted by
 * `offsetMinutes` (UTC), so every process computes the same starts from the clock alone.
 */

export type EventSchedule = { readonly everyMinutes: number; readonly offsetMinutes: number };

/** What the schedule maths needs of an event definition. */
export type ScheduledEvent = {
  readonly schedule: EventSchedule;
  readonly durationMinutes: number;
  readonly announce: { readonly beforeSec: number };
};

export const EventPhase = {
  /** Nothing running, next start further away than the announcement lead. */
  IDLE: "idle",
  /** Within `announce.beforeSec` of the next start. */
  ANNOUNCED: "announced",
  /** Between a start and its start + duration. */
  ACTIVE: "active",
} as const;
export type EventPhase = (typeof EventPhase)[keyof typeof EventPhase];

export type EventTiming = {
  readonly phase: EventPhase;
  /** The run the phase belongs to (announced: the coming one; active: the current one), epoch ms. */
  readonly runStartMs: number;
  /** End of that run (start + duration), epoch ms. */
  readonly runEndMs: number;
  /** The first start strictly after `nowMs`, epoch ms. */
  readonly nextStartMs: number;
};

const MINUTE_MS = 60_000;

/** Start (epoch ms) of the latest scheduled run starting at or before `nowMs` (epoch ms). */
export function lastRunStartMs(schedule: EventSchedule, nowMs: number): number {
  const every = schedule.everyMinutes * MINUTE_MS;
  const offset = schedule.offsetMinutes * MINUTE_MS;
  return Math.floor((nowMs - offset) / every) * every + offset;
}

/** Start (epoch ms) of the first scheduled run strictly after `nowMs` (epoch ms). */
export function nextRunStartMs(schedule: EventSchedule, nowMs: number): number {
  return lastRunStartMs(schedule, nowMs) + schedule.everyMinutes * MINUTE_MS;
}

/** Which phase the event is in at `nowMs` (epoch ms), and for which run. */
export function eventTimingAt(event: ScheduledEvent, nowMs: number): EventTiming {
  const durationMs = event.durationMinutes * MINUTE_MS;
  const last = lastRunStartMs(event.schedule, nowMs);
  const next = nextRunStartMs(event.schedule, nowMs);
  if (nowMs < last + durationMs) {
    return {
      phase: EventPhase.ACTIVE,
      runStartMs: last,
      runEndMs: last + durationMs,
      nextStartMs: next,
    };
  }
  const phase =
    nowMs >= next - event.announce.beforeSec * 1000 ? EventPhase.ANNOUNCED : EventPhase.IDLE;
  const runStartMs = phase === EventPhase.ANNOUNCED ? next : last;
  return { phase, runStartMs, runEndMs: runStartMs + durationMs, nextStartMs: next };
}

/**
 * Why a schedule cannot work, or null: runs must not overlap, and an announcement must not begin
 * while the previous run may still be going.
 */
export function scheduleProblem(event: ScheduledEvent): string | null {
  const { everyMinutes, offsetMinutes } = event.schedule;
  if (offsetMinutes >= everyMinutes) return "schedule.offsetMinutes must be < everyMinutes";
  if (event.durationMinutes >= everyMinutes)
    return "durationMinutes must be < schedule.everyMinutes";
  if (event.announce.beforeSec * 1000 > (everyMinutes - event.durationMinutes) * MINUTE_MS) {
    return "announce.beforeSec must fit between two runs (everyMinutes - durationMinutes)";
  }
  return null;
}
