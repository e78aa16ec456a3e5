/** OpenAPI path and schema of the world event list (merged by src/http/openapi.ts). */
import { z } from "zod";

type Json = Record<string, unknown>;

const iso = z.iso.datetime({ offset: true });
const stack = z.object({ itemId: z.string(), qty: z.int().positive() });

/** `GET /v1/world/events`, as answered by world-events.service.ts `list`. */
export const WorldEventList = z.object({
  now: iso,
  events: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      zone: z.string(),
      mob: z.string().meta({ description: "The boss's mob template id" }),
      x: z.number(),
      y: z.number(),
      schedule: z.object({
        everyMinutes: z.int(),
        offsetMinutes: z.int().meta({ description: "Runs start at k*everyMinutes+offset, UTC" }),
      }),
      durationMinutes: z.int(),
      announceBeforeSec: z.int(),
      phase: z.enum(["idle", "announced", "active"]).meta({ description: "By the schedule" }),
      nextStartAt: iso.meta({ description: "The next scheduled start after now" }),
      running: z
        .array(z.object({ runId: z.uuid(), startedAt: iso, endsAt: iso }))
        .meta({ description: "Runs open now, scheduled or started by an operator" }),
      rewards: z.object({
        xp: z.int(),
        gold: z.int(),
        items: z.array(stack),
        minContributionShare: z.number(),
        top: z.object({ count: z.int(), items: z.array(stack) }).optional(),
      }),
    }),
  ),
});

export function worldEventsOpenApi(): { schemas: Json; paths: Json } {
  return {
    schemas: {
      WorldEventList: z.toJSONSchema(WorldEventList, {
        target: "draft-2020-12",
        io: "output",
        unrepresentable: "any",
      }) as Json,
    },
    paths: {
      "/v1/world/events": {
        get: {
          summary: "World events: upcoming and running, with next start times (public)",
          description:
            "Players in an event's zone get `worldEvent` room messages (announced, started, ended) " +
            "and each rewarded participant a `worldEventReward`; see the README.",
          responses: {
            "200": {
              description: "Every world event",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/WorldEventList" } },
              },
            },
          },
        },
      },
    },
  };
}
