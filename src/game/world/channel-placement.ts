/**
 * Zone channels: when an open-world zone is crowded it runs several copies ("channels") of
 * itself, numbered 1, 2, ... These rules say how full a channel may get, where a joining
 * character goes (next to its party, else its guild, else the least-full channel, else a new
 * one) and whether a player may switch to another channel. Pure: the caller lists the channels.
 */

/**
 * `soft`: new joins stop there; `hard`: the room's seat limit, the headroom above `soft` kept for
 * party and guild mates steered into a channel that is already at `soft`.
 */
export type ChannelCapacity = { readonly soft: number; readonly hard: number };

/** One channel of a zone as the matchmaker lists it. */
export type ChannelLoad = {
  readonly channel: number;
  readonly roomId: string;
  /** Players in it, seats reserved included. */
  readonly players: number;
  /** Closed to joins (shutting down, or at its hard capacity). */
  readonly locked?: boolean;
};

/** Where the joiner's party members and guild mates are: one room id per online mate in the zone. */
export type Mates = {
  readonly partyRooms: readonly string[];
  readonly guildRooms: readonly string[];
};

export type Placement =
  | { kind: "join"; roomId: string; channel: number; reason: "party" | "guild" | "leastFull" }
  | { kind: "open" };

export type SwitchRefusal = "UNKNOWN_CHANNEL" | "SAME_CHANNEL" | "CHANNEL_FULL";
export type SwitchCheck = { ok: true; roomId: string } | { ok: false; code: SwitchRefusal };

/** Seats above the soft capacity, in players: a tenth of it, at least one. */
export function channelHeadroom(soft: number): number {
  return Math.max(1, Math.ceil(soft / 10));
}

/** The capacity of a channel whose soft capacity is `soft` players (a zone's maxPlayers). */
export function channelCapacity(soft: number): ChannelCapacity {
  return { soft, hard: soft + channelHeadroom(soft) };
}

/** The lowest channel number (from 1) not in `used`. */
export function lowestFreeChannel(used: Iterable<number>): number {
  const taken = new Set(used);
  let channel = 1;
  while (taken.has(channel)) channel += 1;
  return channel;
}

const byChannel = (a: ChannelLoad, b: ChannelLoad) => a.channel - b.channel;

/** Whether one more player fits in `load` under `limit` players. */
function hasSeat(load: ChannelLoad, limit: number): boolean {
  return !load.locked && load.players < limit;
}

/**
 * The channel with the most of `rooms` (mates' rooms) that still has a seat under `limit`;
 * ties go to the lower channel number.
 */
function mostMates(
  channels: readonly ChannelLoad[],
  rooms: readonly string[],
  limit: number,
): ChannelLoad | undefined {
  const count = new Map<string, number>();
  for (const roomId of rooms) count.set(roomId, (count.get(roomId) ?? 0) + 1);
  let best: ChannelLoad | undefined;
  let bestCount = 0;
  for (const load of [...channels].sort(byChannel)) {
    const n = count.get(load.roomId) ?? 0;
    if (n > bestCount && hasSeat(load, limit)) {
      best = load;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Where a character joining a zone goes: the channel of most party members with a seat under
 * the hard capacity, else of most guild mates (same), else the least-full channel under the
 * soft capacity (ties: the lower number), else a new channel.
 */
export function choosePlacement(
  channels: readonly ChannelLoad[],
  capacity: ChannelCapacity,
  mates: Mates,
): Placement {
  const party = mostMates(channels, mates.partyRooms, capacity.hard);
  if (party) return { kind: "join", roomId: party.roomId, channel: party.channel, reason: "party" };
  const guild = mostMates(channels, mates.guildRooms, capacity.hard);
  if (guild) return { kind: "join", roomId: guild.roomId, channel: guild.channel, reason: "guild" };
  let least: ChannelLoad | undefined;
  for (const load of [...channels].sort(byChannel)) {
    if (hasSeat(load, capacity.soft) && (!least || load.players < least.players)) least = load;
  }
  if (least)
    return { kind: "join", roomId: least.roomId, channel: least.channel, reason: "leastFull" };
  return { kind: "open" };
}

/**
 * Whether a player in room `fromRoomId` may move to channel `target`: it must exist, be another
 * channel, and have a seat under the soft capacity, or under the hard one when a party member
 * of the player is there.
 */
export function checkChannelSwitch(
  channels: readonly ChannelLoad[],
  capacity: ChannelCapacity,
  fromRoomId: string,
  target: number,
  partyRooms: readonly string[],
): SwitchCheck {
  const load = channels.find((c) => c.channel === target);
  if (!load) return { ok: false, code: "UNKNOWN_CHANNEL" };
  if (load.roomId === fromRoomId) return { ok: false, code: "SAME_CHANNEL" };
  const limit = partyRooms.includes(load.roomId) ? capacity.hard : capacity.soft;
  if (!hasSeat(load, limit)) return { ok: false, code: "CHANNEL_FULL" };
  return { ok: true, roomId: load.roomId };
}
