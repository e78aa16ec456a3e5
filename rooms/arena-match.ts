/**
 * One arena match inside its room: who plays on which team, where each came from, and the
 * phases (waiting for arrivals → countdown with actions frozen → fight → ended). The outcome
 * rules are pure (src/game/arena/match-rules.ts); at the end the match is rated and recorded in
 * one transaction, everyone hears `arenaResult`, the queue claims are released and each player
 * still here is sent home the way a portal sends them, with the hp and mp they came with.
 */
import { startPointOf } from "../src/game/arena/arena-layout.ts";
import { ServerMessage } from "../clients/js/message-names.ts";
import {
  countdownSeconds,
  decideOutcome,
  DEFAULT_ARENA_TIMING,
  type ArenaTiming,
  type MatchOutcome,
  type Team,
} from "../src/game/arena/match-rules.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { Logger } from "../src/logger.ts";
import type { ArenaMatchPlan } from "../src/arena/arena-queue-store.ts";
import type { ArenaServices } from "../src/arena/arena-services.ts";
import type { RatedParticipant } from "../src/arena/arena-ratings.service.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";

/** How long players see the result before they are sent home. */
export const RESULT_PAUSE_MS = 1_000;
const UPDATE_MS = 100;

type Origin = { zone: string; x: number; y: number; hp: number; mp: number };
type Phase = "waiting" | "countdown" | "fight" | "ended";

type Participant = {
  characterId: string;
  team: Team;
  index: number;
  arrived: boolean;
  dropped: boolean;
  left: boolean;
  origin?: Origin;
  damageDealt: number;
};

export type ArenaMatchHost = {
  readonly plan: ArenaMatchPlan;
  readonly zone: ZoneContent;
  readonly sim: ZoneSimulation;
  readonly arena: ArenaServices;
  readonly log: Logger;
  readonly timing?: ArenaTiming;
  send(characterId: string, type: string, payload: unknown): void;
  later(callback: () => void, ms: number): void;
  every(callback: () => void, ms: number): void;
};

export class ArenaMatch {
  private readonly host: ArenaMatchHost;
  private readonly timing: ArenaTiming;
  private readonly players = new Map<string, Participant>();
  private phase: Phase = "waiting";
  private fightStartedAt = 0;
  private startedAt = new Date();

  constructor(host: ArenaMatchHost) {
    this.host = host;
    this.timing = host.timing ?? DEFAULT_ARENA_TIMING;
    const teams = new Map<string, number>();
    host.plan.teams.forEach((members, team) =>
      members.forEach((m, index) => {
        teams.set(m.characterId, team);
        this.players.set(m.characterId, {
          characterId: m.characterId,
          team: team as Team,
          index,
          arrived: false,
          dropped: false,
          left: false,
          damageDealt: 0,
        });
      }),
    );
    host.sim.world.pvpTeams = teams;
    this.observeDamage();
    host.every(() => this.update(), UPDATE_MS);
    host.later(() => this.joinTimedOut(), this.timing.joinTimeoutMs);
  }

  get ids(): string[] {
    return [...this.players.keys()];
  }

  isParticipant(characterId: string): boolean {
    return this.players.has(characterId);
  }

  /** The character as loaded on arrival: where (and with what hp and mp) it goes back to. */
  rememberOrigin(record: PlayerRecord): void {
    const p = this.players.get(record.character.id);
    if (!p || p.origin) return;
    const { zone, x, y, hp, mp } = record.character;
    p.origin = { zone, x, y, hp, mp };
  }

  /** The record as saved while in the arena: the place and vitals it came with. */
  persisted(record: PlayerRecord): PlayerRecord {
    const origin = this.players.get(record.character.id)?.origin;
    if (!origin) return record;
    return { ...record, character: { ...record.character, ...origin } };
  }

  arrived(characterId: string): void {
    const p = this.players.get(characterId);
    if (!p) return;
    p.arrived = true;
    p.dropped = false;
    const size = this.host.plan.teams[p.team].length;
    const at = startPointOf(this.host.zone, p.team, p.index, size);
    this.host.sim.placePlayer(
      characterId,
      at.x,
      at.y,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    );
    this.host.sim.freeze(characterId, this.phase !== "fight");
    this.host.send(characterId, ServerMessage.arenaJoined, {
      matchId: this.host.plan.matchId,
      mode: this.host.plan.mode,
      team: p.team,
      phase: this.phase,
    });
    if (this.phase === "waiting" && [...this.players.values()].every((q) => q.arrived)) {
      this.countdown(this.timing.countdownMs);
    }
  }

  dropped(characterId: string): void {
    const p = this.players.get(characterId);
    if (!p || this.phase === "ended") return;
    p.dropped = true;
    this.host.later(() => {
      if (p.dropped && !p.left) this.forfeit(p, "dropped past the grace");
    }, this.timing.leaverGraceMs);
  }

  reconnected(characterId: string): void {
    const p = this.players.get(characterId);
    if (p) p.dropped = false;
  }

  left(characterId: string): void {
    const p = this.players.get(characterId);
    if (p && !p.left && this.phase !== "ended") this.forfeit(p, "left");
  }

  /** Ends the match unrated (the server is going down): claims released, nothing recorded. */
  abandon(why: string): void {
    if (this.phase !== "ended") this.void(why);
  }

  /** The room is going away: a match still running ends for those who are not there. */
  disposed(): void {
    if (this.phase === "ended") return;
    for (const p of this.players.values()) if (!p.arrived) p.left = true;
    this.update();
  }

  private forfeit(p: Participant, why: string): void {
    p.left = true;
    this.host.log.info({ characterId: p.characterId, why }, "arena participant forfeits");
    this.update();
  }

  private joinTimedOut(): void {
    if (this.phase !== "waiting") return;
    for (const p of this.players.values()) if (!p.arrived) p.left = true;
    this.update();
  }

  private countdown(msLeft: number): void {
    this.phase = "countdown";
    const seconds = countdownSeconds(msLeft);
    if (seconds <= 0) return this.fight();
    for (const id of this.ids) this.host.send(id, ServerMessage.arenaCountdown, { seconds });
    this.host.later(
      () => {
        if (this.phase === "countdown") this.countdown(msLeft - 1000);
      },
      Math.min(1000, msLeft),
    );
  }

  private fight(): void {
    this.phase = "fight";
    this.fightStartedAt = this.host.sim.world.timeMs;
    for (const p of this.players.values()) {
      if (this.host.sim.has(p.characterId)) this.host.sim.freeze(p.characterId, false);
      this.host.send(p.characterId, ServerMessage.arenaStarted, { fightMs: this.timing.fightMs });
    }
  }

  private observeDamage(): void {
    const sim = this.host.sim;
    const step = sim.step.bind(sim);
    sim.step = (dtMs: number) => {
      const notices = step(dtMs);
      for (const n of notices) {
        if (n.type === "damaged") {
          const source = this.players.get(n.sourceId);
          const target = this.players.get(n.targetId);
          if (source && target && source.team !== target.team) source.damageDealt += n.amount;
        } else if (n.type === "portalEntered") {
          // Right before the room hands the player over (and reads its record): the hp and mp it
          // came with, exactly, whatever this step regenerated.
          const origin = this.players.get(n.characterId)?.origin;
          const e = sim.world.players.find((q) => q.id === n.characterId);
          if (origin && e) sim.placePlayer(n.characterId, e.x, e.y, origin.hp, origin.mp);
        }
      }
      return notices;
    };
  }

  private update(): void {
    if (this.phase === "ended") return;
    const all = [...this.players.values()];
    const teams = [0, 1] as const;
    const side = (t: Team) => all.filter((p) => p.team === t);
    if (all.every((p) => p.left && !p.arrived)) return this.void("nobody came");
    const forfeited = teams.map((t) => side(t).some((p) => p.left)) as [boolean, boolean];
    if (this.phase !== "fight" && !forfeited[0] && !forfeited[1]) return;
    const world = this.host.sim.world;
    const alive = teams.map(
      (t) =>
        side(t).filter((p) => {
          const e = world.players.find((q) => q.id === p.characterId);
          return e !== undefined && !e.dead;
        }).length,
    ) as [number, number];
    const damage = teams.map((t) => side(t).reduce((s, p) => s + p.damageDealt, 0)) as [
      number,
      number,
    ];
    const elapsedMs = this.phase === "fight" ? world.timeMs - this.fightStartedAt : 0;
    const outcome = decideOutcome({ forfeited, alive, damage, elapsedMs }, this.timing);
    if (outcome) void this.finish(outcome);
  }

  private async finish(outcome: MatchOutcome): Promise<void> {
    this.phase = "ended";
    for (const id of this.ids) if (this.host.sim.has(id)) this.host.sim.freeze(id, true);
    const { plan, arena, log } = this.host;
    let rated: RatedParticipant[] = [];
    try {
      rated = await arena.ratings.recordMatch({
        matchId: plan.matchId,
        mode: plan.mode,
        startedAt: this.startedAt,
        endedAt: new Date(),
        winner: outcome.winner,
        reason: outcome.reason,
        participants: [...this.players.values()].map((p) => ({
          characterId: p.characterId,
          team: p.team,
          damageDealt: p.damageDealt,
        })),
      });
    } catch (error) {
      log.error({ err: error, matchId: plan.matchId }, "arena match could not be recorded");
    }
    log.info({ matchId: plan.matchId, ...outcome }, "arena match ended");
    for (const p of this.players.values()) {
      const mine = rated.find((r) => r.characterId === p.characterId);
      this.host.send(p.characterId, ServerMessage.arenaResult, {
        matchId: plan.matchId,
        winner: outcome.winner,
        reason: outcome.reason,
        team: p.team,
        result: mine?.result ?? null,
        ratingBefore: mine?.ratingBefore ?? null,
        ratingAfter: mine?.ratingAfter ?? null,
      });
    }
    await this.release();
  }

  /** Nobody showed up: no rating, no record. */
  private void(why: string): void {
    this.phase = "ended";
    this.host.log.info({ matchId: this.host.plan.matchId, why }, "arena match void");
    void this.release();
  }

  private async release(): Promise<void> {
    await this.host.arena.queue.releaseMatch(this.ids).catch((error: unknown) => {
      this.host.log.warn({ err: error }, "arena claims not released; they expire");
    });
    this.host.later(() => this.sendHome(), RESULT_PAUSE_MS);
  }

  private sendHome(): void {
    for (const p of this.players.values()) {
      const origin = p.origin;
      if (!origin || !this.host.sim.has(p.characterId)) continue;
      this.host.sim.freeze(p.characterId, false);
      this.host.sim.sendOut(p.characterId, origin.zone, origin.x, origin.y);
    }
  }
}
