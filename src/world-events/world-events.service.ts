/**
 * World events across rooms and processes: which room runs a run (an election in presence),
 * announcements to a zone, the public list of upcoming and running events, and starting one now
 * for operators. The room side is zone-event-runner.ts.
 */
import { matchMaker, type Presence } from "@colyseus/core";
import { sendRoomCommand } from "../../rooms/room-commands.ts";
import type { GameData } from "../content/load-game-data.ts";
import type { PrismaClient } from "../db/database.ts";
import { GameError } from "../errors.ts";
import type { WorldEventDef } from "../game/content/events.ts";
import { eventTimingAt } from "../game/events/event-schedule.ts";
import { Channels } from "../infra/channels.ts";
import type { Logger } from "../logger.ts";
import type { ProgressStore } from "../session/player-record.ts";
import type { PayoutDeps } from "./reward-payout.ts";
import type { WorldEventNotice } from "./world-event-messages.ts";
import { createWorldEventRepository } from "./world-event.repository.ts";

/** What a room answers when an operator starts an event there. */
export type StartedRun = {
  eventId: string;
  zone: string;
  roomId: string;
  startedAt: string;
  endsAt: string;
};

declare module "../../rooms/room-commands.ts" {
  interface RoomCommandTypes {
    /** Starts a run of the event now in this room (src/world-events). */
    worldEventStart: { command: { eventId: string }; result: StartedRun };
  }
}

export type WorldEventsDeps = {
  prisma: PrismaClient;
  presence: Presence;
  data: GameData;
  store: ProgressStore;
  logger: Logger;
  /** To pay participants who went offline before the kill (reward-payout.ts). */
  locks?: PayoutDeps["locks"];
  online?: PayoutDeps["online"];
  /** False: runs start only when an operator starts them (default true). */
  scheduled?: boolean;
};

/** The election of one run: the room whose incr comes back 1 runs it. */
const runKey = (eventId: string, runStartMs: number) => `mmo:event:${eventId}:${runStartMs}`;
/** Set when a run ended, so no room takes it over again. */
const endedKey = (eventId: string, runStartMs: number) => `${runKey(eventId, runStartMs)}:ended`;

export const Election = { WON: "won", LOST: "lost", ENDED: "ended" } as const;
export type Election = (typeof Election)[keyof typeof Election];

export function createWorldEvents(deps: WorldEventsDeps) {
  const { presence, data } = deps;
  const repo = createWorldEventRepository(deps.prisma);
  const payout: PayoutDeps = {
    store: deps.store,
    rules: { items: data.content.items, questItems: new Set() },
    leveling: data.content.leveling,
    locks: deps.locks,
    online: deps.online,
  };

  return {
    repo,
    payout,
    logger: deps.logger,
    scheduled: deps.scheduled ?? true,

    /** The events that run in `zoneId`. */
    eventsOfZone(zoneId: string): WorldEventDef[] {
      return [...data.events.values()].filter((e) => e.zone === zoneId);
    },

    /**
     * Tries to become the room running the run of `eventId` starting at `runStartMs` (epoch ms);
     * the key lives `ttlSec`, past the run's end.
     */
    async elect(eventId: string, runStartMs: number, ttlSec: number): Promise<Election> {
      if (await presence.exists(endedKey(eventId, runStartMs))) return Election.ENDED;
      const n = await presence.incr(runKey(eventId, runStartMs));
      if (n !== 1) return Election.LOST;
      await presence.expire(runKey(eventId, runStartMs), ttlSec);
      return Election.WON;
    },

    /** The winner closes before the run ended: another room of the zone may take it over. */
    async release(eventId: string, runStartMs: number): Promise<void> {
      await presence.del(runKey(eventId, runStartMs));
    },

    async markEnded(eventId: string, runStartMs: number, ttlSec: number): Promise<void> {
      await presence.setex(endedKey(eventId, runStartMs), "1", ttlSec);
    },

    /** Tells every room of `zone`, on every process, which relay it to their players. */
    async announce(notice: WorldEventNotice): Promise<void> {
      await presence.publish(Channels.zone(notice.zone), notice);
    },

    /** Every event with its phase and next start, and the runs open in the database. */
    async list(nowMs: number) {
      const open = await repo.openRuns();
      return {
        now: new Date(nowMs).toISOString(),
        events: [...data.events.values()].map((e) => {
          const timing = eventTimingAt(e, nowMs);
          const durationMs = e.durationMinutes * 60_000;
          // A run a dead process left open stops counting at its scheduled end.
          const runs = open.filter(
            (r) => r.eventId === e.id && r.startedAt.getTime() + durationMs > nowMs,
          );
          return {
            id: e.id,
            name: e.name,
            zone: e.zone,
            mob: e.mob,
            x: e.spawn.x,
            y: e.spawn.y,
            schedule: e.schedule,
            durationMinutes: e.durationMinutes,
            announceBeforeSec: e.announce.beforeSec,
            phase: timing.phase,
            nextStartAt: new Date(timing.nextStartMs).toISOString(),
            running: runs.map((r) => ({
              runId: r.id,
              startedAt: r.startedAt.toISOString(),
              endsAt: new Date(r.startedAt.getTime() + durationMs).toISOString(),
            })),
            rewards: e.rewards,
          };
        }),
      };
    },

    /** Starts a run of `eventId` now, in the fullest room of its zone (operators, tests). */
    async startNow(eventId: string): Promise<StartedRun> {
      const event = data.events.get(eventId);
      if (!event) throw new GameError("EVENT_NOT_FOUND");
      const rooms = (await matchMaker.query({ name: "zone" })).filter(
        (r) => (r.metadata as { zone?: string } | undefined)?.zone === event.zone,
      );
      rooms.sort((a, b) => b.clients - a.clients);
      if (rooms.length === 0) throw new GameError("EVENT_ZONE_EMPTY");
      return sendRoomCommand(rooms[0]!.roomId, { type: "worldEventStart", eventId });
    },
  };
}

export type WorldEvents = ReturnType<typeof createWorldEvents>;
