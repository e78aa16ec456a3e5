/**
 * Parties across processes: state in the presence (party-store.ts), changes serialised by short
 * presence locks, transitions from src/game/social/party-rules.ts. Membership changes reach every
 * member (and whoever was removed) on their personal channel; status changes (hp, level, zone,
 * online) go on the party channel. A member who disconnects keeps their place for the grace.
 */
import { randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { ServerMessage } from "../../../clients/js/message-names.ts";
import { Channels } from "../../infra/channels.ts";
import {
  acceptPartyInvite,
  createParty,
  declinePartyInvite,
  inviteToParty,
  isPartyGraceOver,
  kickFromParty,
  leaveParty,
  PARTY_DISCONNECT_GRACE_MS,
  promotePartyLeader,
  type Party,
  type PartyLeaveResult,
  type PartyRefusal,
} from "../../game/social/party-rules.ts";
import type { OnlinePlayers } from "../../session/online-players.ts";
import { withPresenceLocks } from "./presence-lock.ts";
import { newMessageId, publishToPlayer } from "../realtime/realtime-message.ts";
import type { SocialDirectory } from "../realtime/social-directory.ts";
import { partyView, type PartyNotice } from "./party-notice.ts";
import {
  createPartyStore,
  memberLockKey,
  partyLockKey,
  type MemberStatus,
  type StoredParty,
} from "./party-store.ts";

/** Party refusals, plus lookups the rules do not know about. */
export type PartyErrorCode = PartyRefusal | "NOT_FOUND" | "NOT_ONLINE" | "BLOCKED" | "INVALID";
export type PartyOutcome = { ok: true; partyId?: string } | { ok: false; code: PartyErrorCode };

const refuse = (code: PartyErrorCode) => ({ ok: false, code }) as const;

export type PartyServiceOptions = {
  presence: Presence;
  online: OnlinePlayers;
  directory: SocialDirectory;
  now?: () => number;
  graceMs?: number;
  onError?(error: unknown): void;
};

export function createPartyService(options: PartyServiceOptions) {
  const { presence, online, directory } = options;
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? PARTY_DISCONNECT_GRACE_MS;
  const store = createPartyStore(presence);
  const timers = new Set<NodeJS.Timeout>();

  async function notice(party: StoredParty | null, partyId: string, version: number) {
    const statuses = party ? await store.statuses(partyId) : {};
    const message: PartyNotice = {
      type: ServerMessage.party,
      id: newMessageId(),
      partyId,
      version,
      party: party ? partyView(party, statuses) : null,
      memberIds: party ? party.members.map((m) => m.characterId) : [],
      graceEnds: Object.entries(statuses)
        .filter(([, s]) => !s.online && s.offlineSince !== undefined)
        .map(([characterId, s]) => ({ characterId, atMs: (s.offlineSince ?? 0) + graceMs })),
    };
    return message;
  }

  /** Every member, and everyone just removed, hears the new membership on their own channel. */
  async function announce(
    party: StoredParty | null,
    partyId: string,
    version: number,
    removed: string[],
  ) {
    const message = await notice(party, partyId, version);
    const to = new Set([...message.memberIds, ...removed]);
    await Promise.all([...to].map((id) => presence.publish(Channels.player(id), message)));
  }

  /** Changes a party under its lock (and the locks of `characterIds`); saves and announces it. */
  async function change(
    partyId: string,
    characterIds: string[],
    transition: (party: StoredParty) => Promise<PartyLeaveResult> | PartyLeaveResult,
  ): Promise<PartyOutcome> {
    const keys = [partyLockKey(partyId), ...characterIds.map(memberLockKey)];
    const applied = await withPresenceLocks(presence, keys, async () => {
      const party = await store.read(partyId);
      if (!party) return refuse("NO_PARTY_INVITE");
      const result = await transition(party);
      if (!result.ok) return result;
      const version = party.version + 1;
      const next = result.party ? { ...result.party, version } : null;
      const before = new Set(party.members.map((m) => m.characterId));
      const after = new Set(next?.members.map((m) => m.characterId) ?? []);
      const removed = [...before].filter((id) => !after.has(id));
      const added = [...after].filter((id) => !before.has(id));
      if (next) await store.write(next);
      else await store.remove(partyId);
      for (const id of removed) {
        await store.setPartyOf(id, undefined);
        if (next) await store.removeStatus(partyId, id);
      }
      for (const id of added) await store.setPartyOf(id, partyId);
      return { ok: true as const, next, removed, version };
    });
    if (!applied.ok) return applied;
    await announce(applied.next, partyId, applied.version, applied.removed);
    return { ok: true, partyId };
  }

  async function named(name: unknown) {
    if (typeof name !== "string" || name.length === 0 || name.length > 32) return undefined;
    return directory.characterByName(name);
  }

  async function leaveIfGraceOver(partyId: string, characterId: string): Promise<void> {
    const status = await store.statusOf(partyId, characterId);
    if (!status || status.online || status.offlineSince === undefined) return;
    if (!isPartyGraceOver(status.offlineSince, now(), graceMs)) return;
    await change(partyId, [characterId], (party) => leaveParty(party, characterId));
  }

  return {
    partyOf: (characterId: string) => store.partyOf(characterId),

    async invite(
      inviter: { characterId: string; name: string },
      inviteeName: unknown,
    ): Promise<PartyOutcome> {
      const target = await named(inviteeName);
      if (!target) return refuse("NOT_FOUND");
      if (target.id === inviter.characterId) return refuse("CANNOT_TARGET_SELF");
      if (!(await online.get(target.id))) return refuse("NOT_ONLINE");
      if (await directory.isBlocked(target.id, inviter.characterId)) return refuse("BLOCKED");
      let partyId = await store.partyOf(inviter.characterId);
      let created = false;
      if (!partyId) {
        created = true;
        partyId = await withPresenceLocks(
          presence,
          [memberLockKey(inviter.characterId)],
          async () => {
            const existing = await store.partyOf(inviter.characterId);
            if (existing) return existing;
            const party = {
              ...createParty(randomUUID(), {
                characterId: inviter.characterId,
                name: inviter.name,
              }),
              version: 0,
            };
            await store.write(party);
            await store.setPartyOf(inviter.characterId, party.id);
            return party.id;
          },
        );
      }
      const at = now();
      const outcome = await change(partyId, [target.id], async (party) =>
        inviteToParty(
          party,
          inviter.characterId,
          target.id,
          (await store.partyOf(target.id)) !== undefined,
          at,
        ),
      );
      if (!outcome.ok && created) {
        // Nobody to lead: the party made for this invite goes with it.
        await change(partyId, [], (party) =>
          party.members.length === 1 && party.invites.length === 0
            ? leaveParty(party, inviter.characterId)
            : { ok: true, party },
        );
      }
      if (outcome.ok) {
        await publishToPlayer(presence, target.id, {
          type: ServerMessage.partyInvited,
          partyId,
          from: inviter.name,
        });
      }
      return outcome;
    },

    async accept(
      member: { characterId: string; name: string },
      partyId: unknown,
    ): Promise<PartyOutcome> {
      if (typeof partyId !== "string" || partyId.length > 64) return refuse("INVALID");
      const at = now();
      return change(partyId, [member.characterId], async (party) =>
        acceptPartyInvite(
          party,
          member,
          (await store.partyOf(member.characterId)) !== undefined,
          at,
        ),
      );
    },

    async decline(characterId: string, partyId: unknown): Promise<PartyOutcome> {
      if (typeof partyId !== "string" || partyId.length > 64) return refuse("INVALID");
      const at = now();
      return change(partyId, [characterId], (party) => declinePartyInvite(party, characterId, at));
    },

    async leave(characterId: string): Promise<PartyOutcome> {
      const partyId = await store.partyOf(characterId);
      if (!partyId) return refuse("NOT_IN_PARTY");
      return change(partyId, [characterId], (party) => leaveParty(party, characterId));
    },

    async kick(leaderId: string, name: unknown): Promise<PartyOutcome> {
      const partyId = await store.partyOf(leaderId);
      if (!partyId) return refuse("NOT_IN_PARTY");
      const target = await named(name);
      if (!target) return refuse("NOT_A_MEMBER");
      return change(partyId, [target.id], (party) => kickFromParty(party, leaderId, target.id));
    },

    async promote(leaderId: string, name: unknown): Promise<PartyOutcome> {
      const partyId = await store.partyOf(leaderId);
      if (!partyId) return refuse("NOT_IN_PARTY");
      const target = await named(name);
      if (!target) return refuse("NOT_A_MEMBER");
      return change(partyId, [], (party) => promotePartyLeader(party, leaderId, target.id));
    },

    /** A member's room reports its status; everyone in the party hears it on the party channel. */
    /** False when the character is not (or no longer) in that party. */
    async updateStatus(
      partyId: string,
      characterId: string,
      status: MemberStatus,
    ): Promise<boolean> {
      await store.setStatus(partyId, characterId, status);
      const party = await store.read(partyId);
      if (!party?.members.some((m) => m.characterId === characterId)) {
        await store.removeStatus(partyId, characterId);
        if ((await store.partyOf(characterId)) === partyId) {
          await store.setPartyOf(characterId, undefined);
        }
        return false;
      }
      await presence.publish(Channels.party(partyId), await notice(party, partyId, party.version));
      return true;
    },

    /** The member's session ended for good: offline for the grace, then out of the party. */
    async memberDisconnected(
      partyId: string,
      characterId: string,
      last: Omit<MemberStatus, "online">,
    ) {
      const status: MemberStatus = { ...last, online: false, offlineSince: now() };
      await this.updateStatus(partyId, characterId, status);
      const timer = setTimeout(() => {
        timers.delete(timer);
        leaveIfGraceOver(partyId, characterId).catch((error) => options.onError?.(error));
      }, graceMs + 50);
      timer.unref();
      timers.add(timer);
    },

    /** Removes the member if their grace is over (rooms call this from what they last heard). */
    leaveIfGraceOver,

    /** The party as stored (tests, instance grouping). */
    read: (partyId: string): Promise<Party | undefined> => store.read(partyId),

    stop(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

export type PartyService = ReturnType<typeof createPartyService>;
