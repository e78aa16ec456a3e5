/**
 * The matchmaker's side of zone channels (src/game/world/channel-placement.ts): which channels
 * each zone has, on any process (the room listings), where a joining character's party members
 * and guild mates are (the online list), and seat reservations placed by the rules: a world
 * join and a portal arrival go to the chosen channel, or open a new one. New channels open under
 * a per-zone presence lock, so a burst of joins into a full zone opens one channel, not one per
 * join. Rooms claim and release their numbers through it (channel-numbers.ts).
 */
import {
  ErrorCode,
  matchMaker,
  ServerError,
  type AuthContext,
  type IRoomCache,
  type Presence,
} from "@colyseus/core";
import {
  channelCapacity,
  choosePlacement,
  type ChannelCapacity,
  type ChannelLoad,
  type Mates,
} from "../game/world/channel-placement.ts";
import { ZoneKind, type ZoneContent } from "../game/world/zone-content.ts";
import type { OnlinePlayers } from "../session/online-players.ts";
import { PresenceLockBusy, withPresenceLocks } from "../social/party/presence-lock.ts";
import { createChannelNumbers } from "./channel-numbers.ts";

type ISeatReservation = matchMaker.ISeatReservation;

/** The room type channels are rooms of (src/server.ts). */
export const ZONE_ROOM = "zone";
/** A placement whose seat went meanwhile (room full, locked or gone) is made again this often. */
const PLACEMENT_ATTEMPTS = 4;
/** Guild mates looked up per join at most (each is one presence read). */
const MAX_GUILD_MATES = 100;

const openLockKey = (zoneId: string) => `mmo:channel-open:${zoneId}`;

/** A zone room's listing metadata (rooms/ZoneRoom.ts sets it at creation). */
export type ZoneRoomMetadata = { zone: string; kind: string; group?: string; channel?: number };

export type ChannelInfo = ChannelLoad & { readonly zone: string };

export type ChannelDirectoryOptions = {
  presence: Presence;
  online: Pick<OnlinePlayers, "get">;
  /** ZONE_CHANNEL_CAPACITY: every zone's soft capacity; unset: each zone's maxPlayers. */
  capacityOverride?: number;
  /** The character's party members (itself included or not), none when it has no party. */
  partyMembersOf(characterId: string): Promise<readonly string[]>;
  /** The character's guild mates, none when it has no guild. */
  guildMatesOf(characterId: string): Promise<readonly string[]>;
  /** A party or guild lookup failed: the character is placed as if it had none. */
  onLookupError?(error: unknown): void;
};

/** Whether a zone runs in channels: open-world zones do; instances and arenas do not. */
export function isChannelled(zone: Pick<ZoneContent, "kind">): boolean {
  return zone.kind === ZoneKind.Town || zone.kind === ZoneKind.Field;
}

export function createChannelDirectory(options: ChannelDirectoryOptions) {
  const { presence, online } = options;
  const numbers = createChannelNumbers({
    presence,
    async listed(roomIds) {
      return new Set((await matchMaker.findRoomsByIds(roomIds)).keys());
    },
  });

  function capacityOf(zone: Pick<ZoneContent, "maxPlayers">): ChannelCapacity {
    return channelCapacity(options.capacityOverride ?? zone.maxPlayers);
  }

  /** The channels of `zoneId` (every zone when unset), by zone and number. */
  async function list(zoneId?: string): Promise<ChannelInfo[]> {
    const rooms: IRoomCache<ZoneRoomMetadata>[] = await matchMaker.query({ name: ZONE_ROOM });
    const out: ChannelInfo[] = [];
    for (const room of rooms) {
      const meta = room.metadata;
      if (!meta?.channel || (zoneId !== undefined && meta.zone !== zoneId)) continue;
      out.push({
        zone: meta.zone,
        channel: meta.channel,
        roomId: room.roomId,
        players: room.clients,
        locked: room.locked,
      });
    }
    return out.sort((a, b) => a.zone.localeCompare(b.zone) || a.channel - b.channel);
  }

  /** The rooms of `zoneId` where the character's online party members and guild mates are. */
  async function matesOf(characterId: string, zoneId: string): Promise<Mates> {
    const roomsOf = async (ids: readonly string[]) => {
      const others = ids.filter((id) => id !== characterId);
      const players = await Promise.all(others.map((id) => online.get(id)));
      return players.flatMap((p) => (p && p.zone === zoneId ? [p.roomId] : []));
    };
    const lookup = (find: () => Promise<readonly string[]>) =>
      find().catch((error: unknown) => {
        options.onLookupError?.(error);
        return [];
      });
    const partyRooms = await roomsOf(await lookup(() => options.partyMembersOf(characterId)));
    // The guild is asked only when no party member is in the zone: the party wins anyway.
    const guildRooms =
      partyRooms.length > 0
        ? []
        : await roomsOf(
            (await lookup(() => options.guildMatesOf(characterId))).slice(0, MAX_GUILD_MATES),
          );
    return { partyRooms, guildRooms };
  }

  /**
   * A room of `zone` for the joiner: the placement's channel, or a new channel, opened under the
   * zone's lock after placing once more (someone may have opened one meanwhile).
   */
  async function placeIn(zone: ZoneContent, mates: Mates): Promise<string> {
    const capacity = capacityOf(zone);
    const placed = choosePlacement(await list(zone.id), capacity, mates);
    if (placed.kind === "join") return placed.roomId;
    const openOrJoin = async () => {
      const again = choosePlacement(await list(zone.id), capacity, mates);
      if (again.kind === "join") return again.roomId;
      return (await matchMaker.createRoom(ZONE_ROOM, { zone: zone.id })).roomId;
    };
    try {
      return await withPresenceLocks(presence, [openLockKey(zone.id)], openOrJoin);
    } catch (error) {
      // Openers ahead were slow (a loaded or dying process): open one more channel rather than
      // fail the join.
      if (!(error instanceof PresenceLockBusy)) throw error;
      return openOrJoin();
    }
  }

  return {
    capacityOf,
    list,
    matesOf,
    /** Takes the lowest free channel number of the zone for a room being created. */
    claim: numbers.claim,
    release: numbers.release,
    /** Writes this process's channel numbers into `store` (see channel-numbers.ts). */
    reassert: numbers.reassert,

    /**
     * Reserves a seat for `characterId` in a channel of `zone` (the rules' placement), with the
     * player's auth context so the room's onAuth runs. `options` are the room's join options.
     */
    async reserve(
      zone: ZoneContent,
      characterId: string,
      joinOptions: Record<string, unknown>,
      auth: AuthContext,
    ): Promise<ISeatReservation> {
      const mates = await matesOf(characterId, zone.id);
      let lastError: unknown;
      for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
        const roomId = await placeIn(zone, mates);
        try {
          return await matchMaker.joinById(roomId, joinOptions, auth);
        } catch (error) {
          if (!isSeatGone(error)) throw error;
          lastError = error;
        }
      }
      throw lastError;
    },
  };
}

export type ChannelDirectory = ReturnType<typeof createChannelDirectory>;

/**
 * The chosen room filled up, locked or closed between the listing and the reservation. Colyseus'
 * "full" error is not exported: it is the one that is not a ServerError; the room's own refusals
 * (token, character, ban) are ServerErrors with a catalogue status and are passed on.
 */
function isSeatGone(error: unknown): boolean {
  return !(error instanceof ServerError) || error.code === ErrorCode.MATCHMAKE_INVALID_ROOM_ID;
}
