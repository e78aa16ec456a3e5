import { z } from "zod";
import { ARENA_MODES } from "../game/arena/match-rules.ts";

export const ArenaQueueBody = z.strictObject({
  characterId: z.uuid(),
  mode: z.enum(ARENA_MODES),
});

/** `DELETE /v1/arena/queue` takes the id in the body or as `?characterId=`. */
export const ArenaCharacterBody = z.object({ characterId: z.uuid() });

const Reservation = z.unknown().describe("Seat reservation: client.consumeSeatReservation(it)");

export const ArenaQueueStatusResponse = z.discriminatedUnion("status", [
  z.object({ status: z.literal("idle") }),
  z.object({
    status: z.literal("queued"),
    mode: z.enum(ARENA_MODES),
    queuedAt: z.string(),
    waitedMs: z.number(),
    window: z.number().describe("Rating difference currently accepted (± points)"),
  }),
  z.object({
    status: z.literal("matched"),
    mode: z.enum(ARENA_MODES),
    matchId: z.uuid(),
    team: z.number(),
    reservation: Reservation,
  }),
]);

const HistoryPlayer = z.object({
  characterId: z.uuid(),
  name: z.string().nullable(),
  ratingBefore: z.number(),
  ratingAfter: z.number(),
});

export const ArenaProfileResponse = z.object({
  rating: z.number(),
  rd: z.number(),
  volatility: z.number(),
  wins: z.number(),
  losses: z.number(),
  draws: z.number(),
  history: z.array(
    z.object({
      matchId: z.uuid(),
      mode: z.enum(ARENA_MODES),
      startedAt: z.string(),
      endedAt: z.string(),
      reason: z.enum(["death", "timeout", "leaver"]),
      team: z.number(),
      result: z.enum(["win", "loss", "draw"]),
      ratingBefore: z.number(),
      ratingAfter: z.number(),
      damageDealt: z.number(),
      teammates: z.array(HistoryPlayer),
      opponents: z.array(HistoryPlayer),
    }),
  ),
});
