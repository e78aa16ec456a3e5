/**
 * The arena queue in the presence (Redis with REDIS_URL, so every process sees one queue):
 * one hash of tickets per mode, one hash per queued or matched character (its claim counter and
 * its state), the match descriptions the arena rooms load, and one key per matcher slot.
 */
import type { Presence } from "@colyseus/core";
import type { ArenaMode } from "../game/arena/match-rules.ts";

/** One participant as the match needs it: the account signs its seat, the rating seeds pairing. */
export type ArenaMember = { characterId: string; accountId: string; rating: number };

/** A queued player (1v1) or party (2v2), rated at its members' average. */
export type ArenaTicket = {
  id: string;
  mode: ArenaMode;
  members: ArenaMember[];
  rating: number;
  queuedAtMs: number;
};

/** What the arena room of a match is created from; kept in the presence until the room takes it. */
export type ArenaMatchPlan = {
  matchId: string;
  mode: ArenaMode;
  teams: [ArenaMember[], ArenaMember[]];
  createdAtMs: number;
};

export type PlayerArenaState =
  | { status: "queued"; mode: ArenaMode; ticketId: string; queuedAtMs: number }
  | { status: "matched"; mode: ArenaMode; matchId: string; team: number; reservation: unknown };

/** A claim outlives the longest queue wait plus a match: a crashed process cannot lock anyone out for longer. */
export const CLAIM_TTL_SEC = 15 * 60;
/** A matched character's claim lasts as long as a match can (join, countdown, fight, results). */
export const MATCH_CLAIM_TTL_SEC = 5 * 60;
const PLAN_TTL_SEC = 120;
const SLOT_TTL_SEC = 5;

const queueKey = (mode: ArenaMode) => `mmo:arena:queue:${mode}`;
const playerKey = (characterId: string) => `mmo:arena:player:${characterId}`;
const planKey = (matchId: string) => `mmo:arena:match:${matchId}`;
const slotKey = (slot: number) => `mmo:arena:matcher:${slot}`;

export function createArenaQueueStore(presence: Presence) {
  return {
    /**
     * Claims a character for the queue: true for whoever takes its counter from nothing to 1
     * (presence has no SET-IF-ABSENT; HINCRBY with an expiry is atomic).
     */
    async claim(characterId: string): Promise<boolean> {
      return (await presence.hincrbyex(playerKey(characterId), "n", 1, CLAIM_TTL_SEC)) === 1;
    },
    async release(characterId: string): Promise<void> {
      await presence.del(playerKey(characterId));
    },
    async stateOf(characterId: string): Promise<PlayerArenaState | undefined> {
      const raw = await presence.hget(playerKey(characterId), "state");
      return raw ? (JSON.parse(raw) as PlayerArenaState) : undefined;
    },
    async setState(characterId: string, state: PlayerArenaState, ttlSec?: number): Promise<void> {
      await presence.hset(playerKey(characterId), "state", JSON.stringify(state));
      if (ttlSec !== undefined) await presence.expire(playerKey(characterId), ttlSec);
    },
    async addTicket(ticket: ArenaTicket): Promise<void> {
      await presence.hset(queueKey(ticket.mode), ticket.id, JSON.stringify(ticket));
    },
    /** True for the one caller that removed it (a matcher, or the player leaving). */
    async takeTicket(mode: ArenaMode, ticketId: string): Promise<boolean> {
      return presence.hdel(queueKey(mode), ticketId);
    },
    async tickets(mode: ArenaMode): Promise<ArenaTicket[]> {
      const raw = (await presence.hgetall(queueKey(mode))) ?? {};
      return Object.values(raw).map((v) => JSON.parse(v) as ArenaTicket);
    },
    async savePlan(plan: ArenaMatchPlan): Promise<void> {
      await presence.setex(planKey(plan.matchId), JSON.stringify(plan), PLAN_TTL_SEC);
    },
    /** The plan of a match, once: the room that takes it is the only room of that match. */
    async takePlan(matchId: string): Promise<ArenaMatchPlan | undefined> {
      const taken = await presence.hincrbyex(`${planKey(matchId)}:taken`, "n", 1, PLAN_TTL_SEC);
      if (taken !== 1) return undefined;
      const raw = (await presence.get(planKey(matchId))) as string | null | undefined;
      return raw ? (JSON.parse(raw) as ArenaMatchPlan) : undefined;
    },
    /** True on exactly one process per slot: that process runs the matcher for the slot. */
    async electMatcher(slot: number): Promise<boolean> {
      return (await presence.hincrbyex(slotKey(slot), "n", 1, SLOT_TTL_SEC)) === 1;
    },
  };
}

export type ArenaQueueStore = ReturnType<typeof createArenaQueueStore>;
