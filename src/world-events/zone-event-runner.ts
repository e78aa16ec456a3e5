/**
 * World events in one zone room. Each second the room looks at the schedule of the events of its
 * zone; when one is announced or running, it stands for election (world-events.service.ts): the
 * winner announces the run, spawns the boss at the start, tracks contributions from the
 * simulation's notices, and when the boss dies (or the run times out) ends the run, pays the
 * rewards and tells the zone. Rooms that lose only relay what the winner publishes (the social
 * layer relays the zone channel). A winner that closes mid-run gives the run up to another room.
 */
import { randomUUID } from "node:crypto";
import { GameError } from "../errors.ts";
import type { WorldEventDef } from "../game/content/events.ts";
import {
  contributionsOf,
  createContributionLog,
  recordBossAttacked,
  recordBossDamaged,
  recordHeal,
} from "../game/events/contribution.ts";
import { EventPhase, eventTimingAt } from "../game/events/event-schedule.ts";
import { splitRewards } from "../game/events/reward-split.ts";
import type { Logger } from "../logger.ts";
import type { SimNotice, ZoneSimulation } from "../zone/zone-simulation.ts";
import { payRewardsInRoom, PayoutStatus } from "./reward-payout.ts";
import {
  WORLD_EVENT_REWARD_MESSAGE,
  WorldEventPhase,
  type WorldEventNotice,
  type WorldEventReward,
} from "./world-event-messages.ts";
import { RunOutcome } from "./world-event.repository.ts";
import { Election, type StartedRun, type WorldEvents } from "./world-events.service.ts";

export type RunnerHost = {
  readonly roomId: string;
  readonly zoneId: string;
  readonly sim: ZoneSimulation;
  readonly log: Logger;
  /** Sends to the character's session in this room, if it has one. */
  send(characterId: string, type: string, payload: unknown): void;
};

/** How often a room that lost an election tries again (the winner may have closed). */
const RETRY_ELECTION_MS = 5_000;
/** Election and end keys outlive the run by this much. */
const KEY_MARGIN_SEC = 600;

type LocalRun = {
  readonly def: WorldEventDef;
  readonly startMs: number;
  readonly endMs: number;
  readonly bossId: string;
  readonly log: ReturnType<typeof createContributionLog>;
  started: boolean;
  ended: boolean;
  runId?: Promise<string>;
  unobserve?: () => void;
};

export class ZoneEventRunner {
  private readonly host: RunnerHost;
  private readonly events: WorldEvents;
  private readonly defs: WorldEventDef[];
  private readonly runs = new Map<string, LocalRun>();
  /** Per event: the run start last stood for, and when. */
  private readonly tried = new Map<string, { startMs: number; atMs: number }>();
  private readonly electing = new Set<string>();
  /** Payouts in flight, awaited on dispose. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(host: RunnerHost, events: WorldEvents) {
    this.host = host;
    this.events = events;
    this.defs = events.eventsOfZone(host.zoneId);
  }

  get hasEvents(): boolean {
    return this.defs.length > 0;
  }

  /** Called about once a second with the wall clock (epoch ms). */
  check(nowMs: number): void {
    for (const def of this.defs) {
      const run = this.runs.get(def.id);
      if (run) {
        if (!run.started && nowMs >= run.startMs) this.start(run);
        else if (run.started && !run.ended && nowMs >= run.endMs) this.end(run, RunOutcome.EXPIRED);
        continue;
      }
      if (!this.events.scheduled) continue;
      const timing = eventTimingAt(def, nowMs);
      if (timing.phase === EventPhase.IDLE || this.electing.has(def.id)) continue;
      const last = this.tried.get(def.id);
      if (last?.startMs === timing.runStartMs && nowMs - last.atMs < RETRY_ELECTION_MS) continue;
      this.tried.set(def.id, { startMs: timing.runStartMs, atMs: nowMs });
      this.track(this.stand(def, timing.runStartMs, nowMs));
    }
  }

  /** Starts a run of `eventId` now in this room (operators); refuses while one is running here. */
  async startNow(eventId: string, nowMs: number): Promise<StartedRun> {
    const def = this.defs.find((d) => d.id === eventId);
    if (!def) throw new GameError("EVENT_NOT_FOUND", "That event does not run in this zone.");
    if (this.runs.has(def.id) || this.electing.has(def.id)) throw new GameError("EVENT_RUNNING");
    const run = await this.stand(def, nowMs, nowMs);
    if (!run) throw new GameError("EVENT_RUNNING");
    return {
      eventId: def.id,
      zone: def.zone,
      roomId: this.host.roomId,
      startedAt: new Date(run.startMs).toISOString(),
      endsAt: new Date(run.endMs).toISOString(),
    };
  }

  /** The room closes: a run not over is given up (another room of the zone may take it). */
  async dispose(): Promise<void> {
    for (const run of this.runs.values()) {
      if (run.ended) continue;
      run.ended = true;
      run.unobserve?.();
      await this.events.release(run.def.id, run.startMs).catch(() => undefined);
      if (run.runId) {
        const runId = await run.runId.catch(() => undefined);
        if (runId) await this.events.repo.endRun(runId, RunOutcome.ABANDONED, new Date());
      }
    }
    await Promise.allSettled([...this.pending]);
  }

  /** Stands for the run starting at `startMs`; the run when this room won it. */
  private async stand(def: WorldEventDef, startMs: number, nowMs: number) {
    this.electing.add(def.id);
    try {
      const endMs = startMs + def.durationMinutes * 60_000;
      const ttlSec = Math.ceil((endMs - nowMs) / 1000) + KEY_MARGIN_SEC;
      if ((await this.events.elect(def.id, startMs, ttlSec)) !== Election.WON) return undefined;
      const run: LocalRun = {
        def,
        startMs,
        endMs,
        bossId: `event:${def.id}:${startMs}`,
        log: createContributionLog(),
        started: false,
        ended: false,
      };
      this.runs.set(def.id, run);
      this.host.log.info({ eventId: def.id, startMs }, "world event run won by this room");
      if (nowMs < startMs || nowMs - startMs < 1000) this.publish(run, WorldEventPhase.ANNOUNCED);
      if (nowMs >= startMs) this.start(run);
      return run;
    } finally {
      this.electing.delete(def.id);
    }
  }

  private start(run: LocalRun): void {
    const { def, bossId } = run;
    run.started = true;
    if (!this.host.sim.spawnMob(def.mob, bossId, def.spawn.x, def.spawn.y)) {
      this.host.log.error({ eventId: def.id, bossId }, "world event boss could not spawn");
      this.end(run, RunOutcome.ABANDONED);
      return;
    }
    run.unobserve = this.host.sim.observeSteps((notices) => this.observe(run, notices));
    // Runs of this event a dead process left open ended long ago: close them.
    const staleBefore = new Date(run.startMs - def.durationMinutes * 60_000);
    this.track(this.events.repo.closeStale(def.id, staleBefore, new Date()));
    run.runId = this.events.repo.openRun({
      id: randomUUID(),
      eventId: def.id,
      zone: def.zone,
      startedAt: new Date(run.startMs),
    });
    // Told once the run is recorded, so that GET /v1/world/events lists it by then.
    const told = run.runId
      .catch((err: unknown) => this.host.log.error({ err }, "world event run not recorded"))
      .then(() => this.publish(run, WorldEventPhase.STARTED));
    this.track(told);
  }

  /** Feeds a step's notices into the run's contribution log; the boss's death ends the run. */
  private observe(run: LocalRun, notices: readonly SimNotice[]): void {
    const { bossId, log } = run;
    const sim = this.host.sim;
    const at = sim.world.timeMs;
    for (const n of notices) {
      if (n.type === "damaged" || n.type === "missed") {
        if (n.targetId === bossId && sim.has(n.sourceId)) {
          recordBossDamaged(log, n.sourceId, n.type === "damaged" ? n.amount : 0, at);
        } else if (n.sourceId === bossId) {
          recordBossAttacked(log, n.targetId, at);
        }
      } else if (n.type === "healed" && sim.has(n.sourceId)) {
        recordHeal(log, n.sourceId, n.targetId, n.amount, at);
      } else if (n.type === "died" && n.id === bossId && !run.ended) {
        this.end(run, RunOutcome.KILLED);
      }
    }
  }

  private end(run: LocalRun, outcome: RunOutcome): void {
    run.ended = true;
    run.unobserve?.();
    this.host.sim.removeMob(run.bossId);
    this.host.log.info({ eventId: run.def.id, outcome }, "world event run ended");
    this.publish(run, WorldEventPhase.ENDED, outcome);
    this.track(this.close(run, outcome));
  }

  /** Records the end and pays the rewards of a kill. */
  private async close(run: LocalRun, outcome: RunOutcome): Promise<void> {
    const { def } = run;
    try {
      const ttlSec = Math.ceil(Math.max(0, run.endMs - Date.now()) / 1000) + KEY_MARGIN_SEC;
      await this.events.markEnded(def.id, run.startMs, ttlSec);
      const runId = run.runId ? await run.runId : undefined;
      if (!runId) return;
      await this.events.repo.endRun(runId, outcome, new Date());
      if (outcome !== RunOutcome.KILLED) return;
      const shares = splitRewards(contributionsOf(run.log), def.rewards);
      const results = await payRewardsInRoom(
        this.events.payout,
        this.host.sim,
        { runId, eventId: def.id, name: def.name },
        shares,
      );
      for (const result of results) {
        const share = shares.find((s) => s.characterId === result.characterId)!;
        if (result.status === PayoutStatus.FAILED) {
          this.host.log.warn({ ...result, eventId: def.id }, "world event reward failed");
        } else if (result.status !== PayoutStatus.PAID) {
          this.host.log.info({ ...result, eventId: def.id }, "world event reward not paid");
        }
        if (result.status !== PayoutStatus.PAID) continue;
        const reward: WorldEventReward = {
          eventId: def.id,
          runId,
          contribution: share.contribution,
          share: share.share,
          rank: share.rank,
          xp: share.xp,
          gold: share.gold,
          items: share.items,
          mailed: result.mailed ?? [],
        };
        this.host.send(share.characterId, WORLD_EVENT_REWARD_MESSAGE, reward);
      }
    } finally {
      if (this.runs.get(def.id) === run) this.runs.delete(def.id);
    }
  }

  private publish(run: LocalRun, phase: WorldEventPhase, outcome?: RunOutcome): void {
    const { def } = run;
    const at = phase === WorldEventPhase.ENDED ? Date.now() : run.startMs;
    const notice: WorldEventNotice = {
      type: "worldEvent",
      id: `${def.id}:${run.startMs}:${phase}`,
      eventId: def.id,
      name: def.name,
      zone: def.zone,
      phase,
      at: new Date(at).toISOString(),
      x: def.spawn.x,
      y: def.spawn.y,
      ...(phase !== WorldEventPhase.ENDED ? { text: def.announce.text } : {}),
      ...(phase === WorldEventPhase.STARTED ? { endsAt: new Date(run.endMs).toISOString() } : {}),
      ...(outcome ? { outcome } : {}),
    };
    this.track(this.events.announce(notice));
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => {
      this.host.log.error({ err }, "world event work failed");
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}
