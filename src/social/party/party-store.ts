import type { Presence } from "@colyseus/core";
import type { Party } from "../../game/social/party-rules.ts";

/** A party as stored: `version` goes up with every membership change (under the party lock). */
export type StoredParty = Party & { readonly version: number };

/** What a member's room reports about it; written without the lock (each member its own field). */
export type MemberStatus = {
  level: number;
  /** hp / hpMax, 0..1, two decimals. */
  hpRatio: number;
  zone: string;
  online: boolean;
  /** Epoch ms of the disconnect while `online` is false. */
  offlineSince?: number;
};

const PARTIES = "mmo:parties";
const PARTY_OF = "mmo:party-of";
const statusKey = (partyId: string) => `mmo:party-status:${partyId}`;
export const partyLockKey = (partyId: string) => `mmo:party-lock:${partyId}`;
export const memberLockKey = (characterId: string) => `mmo:party-lock:char:${characterId}`;

/**
 * Parties in the presence (Redis with REDIS_URL), so any process can change them: a hash of
 * party JSON by id, a hash of party id by character id, and one status hash per party.
 */
export function createPartyStore(presence: Presence) {
  return {
    async read(partyId: string): Promise<StoredParty | undefined> {
      const raw = await presence.hget(PARTIES, partyId);
      return raw ? (JSON.parse(raw) as StoredParty) : undefined;
    },
    async write(party: StoredParty): Promise<void> {
      await presence.hset(PARTIES, party.id, JSON.stringify(party));
    },
    async remove(partyId: string): Promise<void> {
      await presence.hdel(PARTIES, partyId);
      await presence.del(statusKey(partyId));
    },
    async partyOf(characterId: string): Promise<string | undefined> {
      return (await presence.hget(PARTY_OF, characterId)) ?? undefined;
    },
    async setPartyOf(characterId: string, partyId: string | undefined): Promise<void> {
      if (partyId) await presence.hset(PARTY_OF, characterId, partyId);
      else await presence.hdel(PARTY_OF, characterId);
    },
    async statuses(partyId: string): Promise<Record<string, MemberStatus>> {
      const raw = (await presence.hgetall(statusKey(partyId))) ?? {};
      const out: Record<string, MemberStatus> = {};
      for (const [id, value] of Object.entries(raw)) out[id] = JSON.parse(value) as MemberStatus;
      return out;
    },
    async statusOf(partyId: string, characterId: string): Promise<MemberStatus | undefined> {
      const raw = await presence.hget(statusKey(partyId), characterId);
      return raw ? (JSON.parse(raw) as MemberStatus) : undefined;
    },
    async setStatus(partyId: string, characterId: string, status: MemberStatus): Promise<void> {
      await presence.hset(statusKey(partyId), characterId, JSON.stringify(status));
    },
    async removeStatus(partyId: string, characterId: string): Promise<void> {
      await presence.hdel(statusKey(partyId), characterId);
    },
  };
}

export type PartyStore = ReturnType<typeof createPartyStore>;
