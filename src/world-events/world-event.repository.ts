import type { ItemStack } from "../game/items/inventory.ts";
import type { Db } from "../progression/progress.repository.ts";

/** How a run ended. */
export const RunOutcome = {
  KILLED: "killed",
  EXPIRED: "expired",
  /** The room running it closed before the end (another room of the zone may take it over). */
  ABANDONED: "abandoned",
} as const;
export type RunOutcome = (typeof RunOutcome)[keyof typeof RunOutcome];

export type RewardRow = {
  runId: string;
  characterId: string;
  contribution: number;
  share: number;
  xp: number;
  gold: number;
  items: readonly ItemStack[];
  opId: string;
};

export function createWorldEventRepository(db: Db) {
  return {
    /**
     * Opens the run of `eventId` starting at `startedAt`, or reopens it (a room taking over a run
     * whose room closed): one row per event and start. Returns the run id.
     */
    async openRun(run: {
      id: string;
      eventId: string;
      zone: string;
      startedAt: Date;
    }): Promise<string> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        INSERT INTO world_event_runs (id, event_id, zone, started_at)
        VALUES (${run.id}::uuid, ${run.eventId}, ${run.zone}, ${run.startedAt})
        ON CONFLICT (event_id, started_at)
          DO UPDATE SET ended_at = NULL, outcome = NULL, zone = EXCLUDED.zone
        RETURNING id::text AS id`;
      return rows[0]!.id;
    },

    /** Ends an open run; false when it had already ended. */
    async endRun(runId: string, outcome: RunOutcome, endedAt: Date): Promise<boolean> {
      const ended = await db.worldEventRun.updateMany({
        where: { id: runId, endedAt: null },
        data: { outcome, endedAt },
      });
      return ended.count === 1;
    },

    /** Closes as abandoned the runs of `eventId` still open that started before `before`. */
    async closeStale(eventId: string, before: Date, endedAt: Date): Promise<number> {
      const closed = await db.worldEventRun.updateMany({
        where: { eventId, endedAt: null, startedAt: { lt: before } },
        data: { outcome: RunOutcome.ABANDONED, endedAt },
      });
      return closed.count;
    },

    /** Runs not ended yet (running somewhere, or left open by a process that died). */
    openRuns() {
      return db.worldEventRun.findMany({
        where: { endedAt: null },
        orderBy: { startedAt: "asc" },
        select: { id: true, eventId: true, zone: true, startedAt: true },
      });
    },

    /**
     * Records a participant's reward in the paying transaction; false when the run already paid
     * this character (the caller rolls the payment back).
     */
    async insertReward(row: RewardRow): Promise<boolean> {
      const inserted = await db.$executeRaw`
        INSERT INTO world_event_rewards
          (run_id, character_id, contribution, share, xp, gold, items, op_id)
        VALUES (${row.runId}::uuid, ${row.characterId}::uuid, ${row.contribution}, ${row.share},
          ${row.xp}, ${row.gold}, ${JSON.stringify(row.items)}::jsonb, ${row.opId}::uuid)
        ON CONFLICT (run_id, character_id) DO NOTHING`;
      return inserted === 1;
    },

    rewardsOf(runId: string) {
      return db.worldEventReward.findMany({
        where: { runId },
        orderBy: { contribution: "desc" },
        select: {
          characterId: true,
          contribution: true,
          share: true,
          xp: true,
          gold: true,
          items: true,
          opId: true,
          paidAt: true,
        },
      });
    },
  };
}

export type WorldEventRepository = ReturnType<typeof createWorldEventRepository>;
