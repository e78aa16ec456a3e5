import type { ServerMessage } from "../../../clients/js/message-names.ts";
import type { MemberStatus, StoredParty } from "./party-store.ts";

/** A member as every member's client sees it. */
export type PartyMemberView = {
  name: string;
  level: number;
  hpRatio: number;
  zone: string;
  online: boolean;
};

/** The client's `party` message (null when the player is in no party). */
export type PartyView = { id: string; leader: string; members: PartyMemberView[] };

/**
 * A party change as it travels between rooms (personal channels for membership changes, the
 * party channel for status): the client view plus what rooms need to route it.
 */
export type PartyNotice = {
  type: typeof ServerMessage.party;
  id: string;
  partyId: string;
  /** The party's membership version: rooms ignore a notice older than one they relayed. */
  version: number;
  /** Null once the party is gone. */
  party: PartyView | null;
  /** Character ids in the order of `party.members`. */
  memberIds: string[];
  /** Members offline now, with when their grace ends (epoch ms). */
  graceEnds: { characterId: string; atMs: number }[];
};

export function partyView(
  party: StoredParty,
  statuses: Readonly<Record<string, MemberStatus>>,
): PartyView {
  const leader = party.members.find((m) => m.characterId === party.leader);
  return {
    id: party.id,
    leader: leader?.name ?? "",
    members: party.members.map((m) => {
      const s = statuses[m.characterId];
      return {
        name: m.name,
        level: s?.level ?? 1,
        hpRatio: s?.hpRatio ?? 1,
        zone: s?.zone ?? "",
        online: s?.online ?? false,
      };
    }),
  };
}
