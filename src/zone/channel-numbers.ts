/**
 * Channel numbers, unique per zone across every process sharing the presence: a zone's numbers
 * live in one presence hash (number → the room holding it), changed only under that zone's
 * presence lock, so two rooms created at the same moment on two processes never both take
 * "channel 2". A room releases its number on dispose; the number of a room that is gone without
 * releasing it (its process died) is taken back once the room is no longer listed. Each process
 * also remembers its own rooms' numbers, to write them back (`reassert`) when the presence
 * changes store (Redis lost, or back and possibly emptied), as character locks do.
 */
import type { Presence } from "@colyseus/core";
import { lowestFreeChannel } from "../game/world/channel-placement.ts";
import { withPresenceLocks } from "../social/party/presence-lock.ts";

const numbersKey = (zoneId: string) => `mmo:channels:${zoneId}`;
const lockKey = (zoneId: string) => `mmo:channels-lock:${zoneId}`;

/**
 * A claim younger than this holds its number even though its room is not listed yet: the room
 * claims in onCreate, and the matchmaker lists it only once onCreate has returned.
 */
export const UNLISTED_CLAIM_GRACE_MS = 15_000;

type Claim = { roomId: string; atMs: number };

export type ChannelNumbersOptions = {
  presence: Presence;
  /** Which of `roomIds` the matchmaker still lists. */
  listed(roomIds: string[]): Promise<Set<string>>;
  now?: () => number;
};

export function createChannelNumbers(options: ChannelNumbersOptions) {
  const { presence, listed } = options;
  const now = options.now ?? Date.now;
  /** This process's claims: "zone#channel" → the claim. */
  const here = new Map<string, { zoneId: string; channel: number; claim: Claim }>();

  async function claims(zoneId: string): Promise<Map<number, Claim>> {
    const raw = (await presence.hgetall(numbersKey(zoneId))) ?? {};
    const out = new Map<number, Claim>();
    for (const [field, value] of Object.entries(raw)) out.set(Number(field), JSON.parse(value));
    return out;
  }

  return {
    /** Takes the lowest free channel number of `zoneId` for `roomId`. */
    claim(zoneId: string, roomId: string): Promise<number> {
      return withPresenceLocks(presence, [lockKey(zoneId)], async () => {
        const held = await claims(zoneId);
        const alive = await listed([...held.values()].map((c) => c.roomId));
        const used: number[] = [];
        for (const [channel, claim] of held) {
          if (alive.has(claim.roomId) || now() - claim.atMs < UNLISTED_CLAIM_GRACE_MS) {
            used.push(channel);
          } else {
            await presence.hdel(numbersKey(zoneId), String(channel));
          }
        }
        const channel = lowestFreeChannel(used);
        const claim: Claim = { roomId, atMs: now() };
        here.set(`${zoneId}#${channel}`, { zoneId, channel, claim });
        await presence.hset(numbersKey(zoneId), String(channel), JSON.stringify(claim));
        return channel;
      });
    },
    /** Frees `channel` of `zoneId` if `roomId` still holds it. */
    release(zoneId: string, channel: number, roomId: string): Promise<void> {
      if (here.get(`${zoneId}#${channel}`)?.claim.roomId === roomId) {
        here.delete(`${zoneId}#${channel}`);
      }
      return withPresenceLocks(presence, [lockKey(zoneId)], async () => {
        const raw = await presence.hget(numbersKey(zoneId), String(channel));
        if (raw && (JSON.parse(raw) as Claim).roomId === roomId) {
          await presence.hdel(numbersKey(zoneId), String(channel));
        }
      });
    },
    /** Writes this process's claims into `store`. */
    async reassert(store: Presence): Promise<void> {
      await Promise.all(
        [...here.values()].map(({ zoneId, channel, claim }) =>
          store.hset(numbersKey(zoneId), String(channel), JSON.stringify(claim)),
        ),
      );
    },
  };
}

export type ChannelNumbers = ReturnType<typeof createChannelNumbers>;
