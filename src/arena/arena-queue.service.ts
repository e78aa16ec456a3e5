/**
 * Arena matchmaking across processes. Queueing claims each character in the presence (so a
 * character is in at most one ticket or match, whichever process it queued through) and adds a
 * ticket; every MATCH_TICK_MS one process, elected per time slot, pairs tickets by rating
 * (src/game/arena/matchmaking.ts), takes both tickets (a HDEL only one caller wins), opens an
 * arena room with a seat for each participant and tells them on their personal channel
 * (`arenaMatchFound`). The reservation is also kept for `GET /v1/arena/queue` polling.
 */
import { randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { ServerMessage } from "../../clients/js/message-names.ts";
import { GameError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { ArenaMode, TEAM_SIZE } from "../game/arena/match-rules.ts";
import { pairTickets, ratingWindow } from "../game/arena/matchmaking.ts";
import { publishToPlayer } from "../social/realtime/realtime-message.ts";
import {
  createArenaQueueStore,
  MATCH_CLAIM_TTL_SEC,
  type ArenaMatchPlan,
  type ArenaMember,
  type ArenaTicket,
  type PlayerArenaState,
} from "./arena-queue-store.ts";

/** How often the elected process looks for pairs. */
export const MATCH_TICK_MS = 1_000;
/** A ticket still unmatched after this long leaves the queue (`arenaQueueExpired`). */
export const MAX_QUEUE_WAIT_MS = 10 * 60_000;

/** The party lookup 2v2 needs (src/social/party); the leader queues both members. */
export type ArenaPartyLookup = {
  partyOf(characterId: string): Promise<{ id: string; leader: string; members: string[] } | null>;
};

export type ArenaQueueDeps = {
  presence: Presence;
  /** The owning account of each character that exists. */
  accountsOf(characterIds: string[]): Promise<Map<string, string>>;
  /** Current ratings (the default for characters that never played). */
  ratingsOf(characterIds: string[]): Promise<Map<string, number>>;
  parties: ArenaPartyLookup;
  /** Creates the match's arena room and reserves a seat per participant, by character id. */
  openArena(plan: ArenaMatchPlan): Promise<Map<string, unknown>>;
  logger: Logger;
  now?: () => number;
};

export type ArenaQueueStatus =
  | { status: "idle" }
  | { status: "queued"; mode: ArenaMode; queuedAt: string; waitedMs: number; window: number }
  | { status: "matched"; mode: ArenaMode; matchId: string; team: number; reservation: unknown };

export function createArenaQueueService(deps: ArenaQueueDeps) {
  const { presence, logger } = deps;
  const now = deps.now ?? Date.now;
  const store = createArenaQueueStore(presence);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function assertOwned(accountId: string, characterId: string): Promise<void> {
    const accounts = await deps.accountsOf([characterId]);
    if (accounts.get(characterId) !== accountId) throw new GameError("CHARACTER_NOT_FOUND");
  }

  async function membersOf(characterId: string, mode: ArenaMode): Promise<string[]> {
    if (mode === ArenaMode.Solo) return [characterId];
    const party = await deps.parties.partyOf(characterId);
    if (!party || party.members.length !== TEAM_SIZE[mode]) {
      throw new GameError("ARENA_PARTY_REQUIRED");
    }
    if (party.leader !== characterId) throw new GameError("ARENA_NOT_LEADER");
    return party.members;
  }

  async function claimAll(ids: string[]): Promise<void> {
    const taken: string[] = [];
    for (const id of ids) {
      if (await store.claim(id)) {
        taken.push(id);
        continue;
      }
      await Promise.all(taken.map((t) => store.release(t)));
      throw new GameError("ARENA_BUSY");
    }
  }

  function statusOf(state: PlayerArenaState | undefined): ArenaQueueStatus {
    if (!state) return { status: "idle" };
    if (state.status === "matched") {
      const { mode, matchId, team, reservation } = state;
      return { status: "matched", mode, matchId, team, reservation };
    }
    const waitedMs = Math.max(0, now() - state.queuedAtMs);
    return {
      status: "queued",
      mode: state.mode,
      queuedAt: new Date(state.queuedAtMs).toISOString(),
      waitedMs,
      window: ratingWindow(waitedMs),
    };
  }

  async function tell(characterIds: string[], message: { type: string; [k: string]: unknown }) {
    await Promise.all(characterIds.map((id) => publishToPlayer(presence, id, message)));
  }

  /** Both tickets are taken: open the room, hand out seats; on failure they queue again. */
  async function startMatch(a: ArenaTicket, b: ArenaTicket): Promise<void> {
    const plan: ArenaMatchPlan = {
      matchId: randomUUID(),
      mode: a.mode,
      teams: [a.members, b.members],
      createdAtMs: now(),
    };
    try {
      await store.savePlan(plan);
      const seats = await deps.openArena(plan);
      for (const [team, members] of plan.teams.entries()) {
        for (const m of members) {
          const reservation = seats.get(m.characterId);
          const state = {
            status: "matched",
            mode: plan.mode,
            matchId: plan.matchId,
            team,
            reservation,
          };
          await store.setState(m.characterId, state as PlayerArenaState, MATCH_CLAIM_TTL_SEC);
          await tell([m.characterId], {
            type: ServerMessage.arenaMatchFound,
            matchId: plan.matchId,
            mode: plan.mode,
            team,
            reservation,
          });
        }
      }
      logger.info(
        { matchId: plan.matchId, mode: plan.mode, ratings: [a.rating, b.rating] },
        "arena match found",
      );
    } catch (error) {
      logger.error(
        { err: error, matchId: plan.matchId },
        "arena match could not start; tickets queue again",
      );
      await Promise.all([store.addTicket(a), store.addTicket(b)]);
    }
  }

  async function matchMode(mode: ArenaMode): Promise<void> {
    const at = now();
    const waiting: ArenaTicket[] = [];
    for (const ticket of await store.tickets(mode)) {
      if (at - ticket.queuedAtMs < MAX_QUEUE_WAIT_MS) {
        waiting.push(ticket);
      } else if (await store.takeTicket(mode, ticket.id)) {
        const ids = ticket.members.map((m) => m.characterId);
        await Promise.all(ids.map((id) => store.release(id)));
        await tell(ids, { type: ServerMessage.arenaQueueExpired, mode });
      }
    }
    for (const [a, b] of pairTickets(waiting, at)) {
      if (!(await store.takeTicket(mode, a.id))) continue;
      if (!(await store.takeTicket(mode, b.id))) {
        await store.addTicket(a); // b left (or another matcher took it) meanwhile: a waits on
        continue;
      }
      await startMatch(a, b);
    }
  }

  const service = {
    /** Queues a character (1v1) or its party (2v2, by the leader). */
    async enqueue(
      accountId: string,
      characterId: string,
      mode: ArenaMode,
    ): Promise<ArenaQueueStatus> {
      await assertOwned(accountId, characterId);
      if (await store.stateOf(characterId)) throw new GameError("ARENA_BUSY");
      const ids = await membersOf(characterId, mode);
      const accounts = await deps.accountsOf(ids);
      if (ids.some((id) => !accounts.has(id))) throw new GameError("ARENA_PARTY_REQUIRED");
      await claimAll(ids);
      try {
        const ratings = await deps.ratingsOf(ids);
        const members: ArenaMember[] = ids.map((id) => ({
          characterId: id,
          accountId: accounts.get(id)!,
          rating: ratings.get(id) ?? 1500,
        }));
        const queuedAtMs = now();
        const ticket: ArenaTicket = {
          id: randomUUID(),
          mode,
          members,
          rating: members.reduce((sum, m) => sum + m.rating, 0) / members.length,
          queuedAtMs,
        };
        const state: PlayerArenaState = { status: "queued", mode, ticketId: ticket.id, queuedAtMs };
        await Promise.all(ids.map((id) => store.setState(id, state)));
        await store.addTicket(ticket);
        await tell(
          ids.filter((id) => id !== characterId),
          { type: ServerMessage.arenaPartyQueued, mode, by: characterId },
        );
        return statusOf(state);
      } catch (error) {
        await Promise.all(ids.map((id) => store.release(id)));
        throw error;
      }
    },

    /** Takes the character's ticket (its whole party's) out of the queue. */
    async leave(accountId: string, characterId: string): Promise<void> {
      await assertOwned(accountId, characterId);
      const state = await store.stateOf(characterId);
      if (state?.status !== "queued") throw new GameError("ARENA_NOT_QUEUED");
      const ticket = (await store.tickets(state.mode)).find((t) => t.id === state.ticketId);
      if (!(await store.takeTicket(state.mode, state.ticketId))) {
        throw new GameError("ARENA_NOT_QUEUED", "The character was just matched.");
      }
      const ids = ticket?.members.map((m) => m.characterId) ?? [characterId];
      await Promise.all(ids.map((id) => store.release(id)));
      await tell(ids, { type: ServerMessage.arenaQueueLeft, mode: state.mode, by: characterId });
    },

    async status(accountId: string, characterId: string): Promise<ArenaQueueStatus> {
      await assertOwned(accountId, characterId);
      return statusOf(await store.stateOf(characterId));
    },

    /** One matcher pass if this process wins the current slot's election. */
    async tick(): Promise<void> {
      if (!(await store.electMatcher(Math.floor(now() / MATCH_TICK_MS)))) return;
      for (const mode of [ArenaMode.Solo, ArenaMode.Duo]) await matchMode(mode);
    },

    /** The match is over (or never started): its characters may queue again. */
    async releaseMatch(characterIds: string[]): Promise<void> {
      await Promise.all(characterIds.map((id) => store.release(id)));
    },

    /** The plan an arena room is created from, once per match. */
    takePlan: (matchId: string) => store.takePlan(matchId),

    start(): void {
      timer ??= setInterval(() => {
        if (running) return;
        running = service
          .tick()
          .catch((error: unknown) => logger.warn({ err: error }, "arena matcher pass failed"))
          .finally(() => (running = undefined));
      }, MATCH_TICK_MS);
      timer.unref();
    },

    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
  return service;
}

export type ArenaQueueService = ReturnType<typeof createArenaQueueService>;
