/**
 * The arena's parts as the composition root builds them: the presence-backed queue (its matcher
 * runs on every process; one per slot does the work), the ratings service, the REST routes, and
 * how a match's room is opened: `matchMaker.createRoom("arena", { matchId })` on the least
 * loaded process, then a seat per participant reserved with that player's own access token
 * (the room's onAuth checks it, as for a portal hand-over).
 */
import { matchMaker, type AuthContext, type Presence } from "@colyseus/core";
import type { Express } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import type { PrismaClient } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { ArenaMatchPlan } from "./arena-queue-store.ts";
import { createArenaQueueService, type ArenaPartyLookup } from "./arena-queue.service.ts";
import { createArenaRatingsService } from "./arena-ratings.service.ts";
import { arenaRoutes } from "./arena.routes.ts";
import { createPartyStore } from "../social/party/party-store.ts";

/** The room kind arena matches run in (rooms/ArenaRoom.ts). */
export const ARENA_ROOM = "arena";

/** 2v2 parties as the party service keeps them in the presence (src/social/party). */
export function partyLookupOn(presence: Presence): ArenaPartyLookup {
  const store = createPartyStore(presence);
  return {
    async partyOf(characterId) {
      const partyId = await store.partyOf(characterId);
      const party = partyId ? await store.read(partyId) : undefined;
      if (!party) return null;
      return {
        id: party.id,
        leader: party.leader,
        members: party.members.map((m) => m.characterId),
      };
    },
  };
}

/**
 * `mount` adds the routes and gives the services the token signer that seats are reserved with
 * (the HTTP app owns it); the matcher starts after that, with `queue.start()`.
 */
export function createArenaServices(deps: {
  prisma: PrismaClient;
  presence: Presence;
  parties: ArenaPartyLookup;
  logger: Logger;
}) {
  const ratings = createArenaRatingsService(deps.prisma);
  const logger = deps.logger.child({ component: "arena" });
  let signer: TokenSigner | undefined;

  async function openArena(plan: ArenaMatchPlan): Promise<Map<string, unknown>> {
    if (!signer) throw new Error("arena services are not mounted");
    const room = await matchMaker.createRoom(ARENA_ROOM, { matchId: plan.matchId });
    const seats = new Map<string, unknown>();
    for (const m of plan.teams.flat()) {
      const token = await signer.signAccess(m.accountId);
      const auth: AuthContext = { token, ip: undefined, headers: new Headers() };
      const reservation = await matchMaker.joinById(
        room.roomId,
        { characterId: m.characterId },
        auth,
      );
      seats.set(m.characterId, reservation);
    }
    return seats;
  }

  const queue = createArenaQueueService({
    presence: deps.presence,
    accountsOf: (ids) => ratings.accountsOf(ids),
    ratingsOf: (ids) => ratings.ratingsOf(ids),
    parties: deps.parties,
    openArena,
    logger,
  });

  return {
    queue,
    ratings,
    mount(app: Express, tokens: TokenSigner): void {
      signer = tokens;
      app.use("/v1", arenaRoutes({ signer: tokens, queue, ratings }));
    },
  };
}

export type ArenaServices = ReturnType<typeof createArenaServices>;
