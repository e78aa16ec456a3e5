import { refusalCodeOf } from "../../rooms/room-refusals.ts";
import { matchMaker, ServerError } from "@colyseus/core";
import { Router } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import type { GameData } from "../content/load-game-data.ts";
import { GameError } from "../errors.ts";
import { outsideTrace, traceOptions } from "../infra/tracing.ts";
import { accountOf, requireAuth } from "../http/require-auth.ts";
import { WorldJoinBody } from "../http/api-schemas.ts";
import { validate } from "../http/validate.ts";
import type { CharacterLocks } from "../session/character-lock.ts";
import { isChannelled, ZONE_ROOM, type ChannelDirectory } from "./channel-directory.ts";

/**
 * `POST /v1/world/join` matchmakes server-side into the zone where the character stands and
 * answers with a seat reservation (`client.consumeSeatReservation(reservation)`), in the channel
 * the channel directory places it (next to its party or guild, else the least full);
 * `GET /v1/world/zones` lists zones with their population and channels.
 */
export function worldRoutes(deps: {
  signer: TokenSigner;
  /**
   * The zone the account's character is saved in; CHARACTER_NOT_FOUND for anyone else's. One
   * indexed read: the room loads the whole progress when the seat is taken, and loading it here
   * as well doubled the database work of every join (a burst of joins ran out of connections).
   */
  zoneOf(accountId: string, characterId: string): Promise<string>;
  locks: CharacterLocks;
  data: GameData;
  /** Unset: one room per zone (joinOrCreate), no channels. */
  channels?: ChannelDirectory;
}): Router {
  const router = Router();

  router.get("/zones", async (_req, res) => {
    const [rooms, channels] = await Promise.all([
      matchMaker.query({}),
      deps.channels?.list() ?? Promise.resolve([]),
    ]);
    const population = new Map<string, { players: number; rooms: number }>();
    for (const room of rooms) {
      const zone = (room.metadata as { zone?: string } | undefined)?.zone;
      if (!zone) continue;
      const p = population.get(zone) ?? { players: 0, rooms: 0 };
      p.players += room.clients;
      p.rooms += 1;
      population.set(zone, p);
    }
    res.json({
      zones: [...deps.data.zones.values()].map((z) => ({
        id: z.id,
        name: z.name,
        kind: z.kind,
        safe: z.safe,
        maxPlayers: z.maxPlayers,
        players: population.get(z.id)?.players ?? 0,
        rooms: population.get(z.id)?.rooms ?? 0,
        channels: channels
          .filter((c) => c.zone === z.id)
          .map((c) => ({
            channel: c.channel,
            players: c.players,
            capacity: deps.channels?.capacityOf(z).soft ?? z.maxPlayers,
          })),
      })),
    });
  });

  router.post("/join", requireAuth(deps.signer), async (req, res) => {
    const { characterId } = validate(WorldJoinBody, req.body);
    const accountId = accountOf(req);
    const zoneId = await deps.zoneOf(accountId, characterId);
    const token = (req.headers.authorization ?? "").slice("Bearer ".length);
    try {
      if (await deps.locks.holderOf(characterId)) throw new GameError("CHARACTER_ONLINE");
      // The room's auth and join continue this request's trace through the traceparent option.
      const options = { zone: zoneId, characterId, ...traceOptions() };
      const auth = { token, ip: req.ip, headers: new Headers() };
      const zone = deps.data.zones.get(zoneId);
      const reservation = await outsideTrace(() =>
        deps.channels && zone && isChannelled(zone)
          ? deps.channels.reserve(zone, characterId, options, auth)
          : matchMaker.joinOrCreate(ZONE_ROOM, options, auth),
      );
      res.json({ zone: zoneId, reservation });
    } catch (error) {
      throw toGameError(error);
    }
  });

  return router;
}

/** Room refusals (catalogue codes, rooms/room-refusals.ts) as API errors. */
function toGameError(error: unknown): unknown {
  if (error instanceof GameError) return error;
  // Presence or matchmaking down (e.g. Redis unreachable): the world is unavailable, not broken.
  if (!(error instanceof ServerError))
    return new GameError("UNAVAILABLE", "The world is not reachable right now.", { cause: error });
  const code = refusalCodeOf(error);
  if (code) return new GameError(code, error.message.slice(code.length + 2), { cause: error });
  switch (error.code) {
    case 401:
      return new GameError("INVALID_TOKEN");
    case 404:
      return new GameError("CHARACTER_NOT_FOUND");
    case 409:
      return new GameError("CHARACTER_ONLINE", error.message);
    default:
      return new GameError("UNAVAILABLE", "The world is not reachable right now.", {
        cause: error,
      });
  }
}
