/**
 * content/events.json: timed world events (a world boss that spawns in a zone on a schedule).
 * Checked at start-up against the zones, mobs and items it names (validateEvents).
 */
import { z } from "zod";
import { scheduleProblem } from "../events/event-schedule.ts";
import type { ItemIndex } from "../items/inventory.ts";
import { isBlockedInContent, ZoneKind, type ZoneContent } from "../world/zone-content.ts";
import { formatPath, type ContentError } from "./content-error.ts";
import { idSchema, nameSchema, positiveIntSchema } from "./common.ts";

const FILE = "events.json";
const MINUTES_PER_DAY = 24 * 60;

const stackSchema = z.strictObject({ itemId: idSchema, qty: positiveIntSchema });

export const worldEventSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  /** Zone id (content/zones): an open-world zone that is not safe. */
  zone: z.string().min(1),
  /** Mob template id (content/mobs.json) of the boss. */
  mob: idSchema,
  /** Where the boss appears, in world units. */
  spawn: z.strictObject({ x: z.number().finite(), y: z.number().finite() }),
  /** UTC: runs start at every multiple of everyMinutes since the epoch, plus offsetMinutes. */
  schedule: z.strictObject({
    everyMinutes: z
      .int()
      .min(1)
      .max(7 * MINUTES_PER_DAY),
    offsetMinutes: z.int().min(0),
  }),
  /** The boss leaves (outcome "expired") if not killed within this time. */
  durationMinutes: z.int().min(1),
  announce: z.strictObject({
    /** The zone hears of the run this long before it starts (0: at the start). */
    beforeSec: z.int().min(0),
    text: z.string().min(1).max(300),
  }),
  rewards: z.strictObject({
    /** Full xp and gold for a participant with at least an even share of the contribution. */
    xp: z.int().min(0),
    gold: z.int().min(0),
    items: z.array(stackSchema).default([]),
    /** Share of the total contribution (0..1) below which a participant gets nothing. */
    minContributionShare: z.number().min(0).max(1),
    /** Extra items for the largest contributors. */
    top: z
      .strictObject({ count: positiveIntSchema, items: z.array(stackSchema).min(1) })
      .optional(),
  }),
});
export type WorldEventDef = z.infer<typeof worldEventSchema>;

export const eventsFileSchema = z.strictObject({ events: z.array(worldEventSchema) });

export type EventRefs = {
  readonly zones: ReadonlyMap<string, ZoneContent>;
  readonly mobIds: ReadonlySet<string>;
  readonly items: ItemIndex;
};

export type EventsResult =
  { ok: true; events: ReadonlyMap<string, WorldEventDef> } | { ok: false; errors: ContentError[] };

/** Parses content/events.json and checks every id and point it names; lists every problem. */
export function validateEvents(raw: unknown, refs: EventRefs): EventsResult {
  const parsed = eventsFileSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        file: FILE,
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  }
  const errors: ContentError[] = [];
  const events = new Map<string, WorldEventDef>();
  parsed.data.events.forEach((event, i) => {
    const err = (path: string, message: string) =>
      errors.push({ file: FILE, path: `events[${i}]${path}`, id: event.id, message });
    if (events.has(event.id)) err(".id", "duplicate event id");
    events.set(event.id, event);
    const zone = refs.zones.get(event.zone);
    if (!zone) {
      err(".zone", `zone "${event.zone}" does not exist`);
    } else {
      if (zone.safe) err(".zone", `zone "${zone.id}" is safe: nothing can be fought there`);
      if (zone.kind === ZoneKind.Instance || zone.kind === ZoneKind.Arena) {
        err(".zone", `zone "${zone.id}" is an ${zone.kind}: events run in open-world zones`);
      }
      const { x, y } = event.spawn;
      if (!(x >= 0 && y >= 0 && x <= zone.width && y <= zone.height)) {
        err(".spawn", `(${x}, ${y}) is outside zone "${zone.id}"`);
      } else if (isBlockedInContent(zone, x, y)) {
        err(".spawn", `(${x}, ${y}) is on a blocked tile of zone "${zone.id}"`);
      }
    }
    if (!refs.mobIds.has(event.mob)) err(".mob", `unknown mob "${event.mob}"`);
    const stacks = [
      ...event.rewards.items.map((s, k) => [`.rewards.items[${k}]`, s] as const),
      ...(event.rewards.top?.items ?? []).map((s, k) => [`.rewards.top.items[${k}]`, s] as const),
    ];
    for (const [path, stack] of stacks) {
      if (!refs.items.has(stack.itemId)) err(`${path}.itemId`, `unknown item "${stack.itemId}"`);
    }
    const problem = scheduleProblem(event);
    if (problem) err("", problem);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, events };
}
