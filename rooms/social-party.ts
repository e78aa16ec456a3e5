/**
 * Parties inside a room: the party client messages, the `party` notices relayed to local
 * members, and the once-a-second status report (level, hp ratio, zone) of local members.
 */
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import { entityById } from "../src/game/world/world.ts";
import { EntityKind } from "../src/game/world/world-types.ts";
import { TokenBucket } from "../src/session/token-bucket.ts";
import type { PartyNotice } from "../src/social/party/party-notice.ts";
import type {
  PartyErrorCode,
  PartyOutcome,
  PartyService,
} from "../src/social/party/party-service.ts";
import type { RealtimeMessage } from "../src/social/realtime/realtime-message.ts";
import type { Recipient, RoomDelivery } from "../src/social/realtime/room-delivery.ts";
import type { FeatureHost, FeatureMessageHandler, FeatureSession } from "./room-feature.ts";

/** Local members' status is compared and reported this often. */
export const PARTY_STATUS_EVERY_MS = 1_000;
/** Party messages per player: a burst of 10 (inviting a whole party), then 2 a second. */
const PARTY_MESSAGE_BURST = 10;
const PARTY_MESSAGES_PER_SEC = 2;

const PARTY_ERROR_MESSAGES: Record<PartyErrorCode | "RATE_LIMITED", string> = {
  NOT_IN_PARTY: "You are not in a party.",
  NOT_PARTY_LEADER: "Only the party leader can do that.",
  PARTY_FULL: "The party is full.",
  ALREADY_IN_PARTY: "That player is already in a party.",
  ALREADY_INVITED: "That player is already invited.",
  NO_PARTY_INVITE: "There is no open invitation to that party.",
  NOT_A_MEMBER: "That player is not in your party.",
  CANNOT_TARGET_SELF: "You cannot do that to yourself.",
  NOT_FOUND: "There is no character with that name.",
  NOT_ONLINE: "That player is not online.",
  BLOCKED: "That player does not accept your invitations.",
  INVALID: "The message is invalid.",
  RATE_LIMITED: "You are sending party requests too fast.",
};

type Vitals = { level: number; hpRatio: number; zone: string };

export class PartyLink {
  private readonly host: FeatureHost;
  private readonly parties: PartyService;
  private readonly delivery: RoomDelivery;
  private readonly fail: (error: unknown) => void;
  private readonly reported = new Map<string, string>();
  private readonly lastVitals = new Map<string, Vitals>();
  private readonly graceEnds = new Map<string, PartyNotice["graceEnds"]>();
  private readonly buckets = new Map<string, TokenBucket>();
  private nextReportAt = 0;

  readonly messages: Readonly<Record<string, FeatureMessageHandler>>;

  constructor(
    host: FeatureHost,
    parties: PartyService,
    delivery: RoomDelivery,
    fail: (error: unknown) => void,
  ) {
    this.host = host;
    this.parties = parties;
    this.delivery = delivery;
    this.fail = fail;
    const me = (s: FeatureSession) => ({ characterId: s.characterId, name: s.name });
    this.messages = {
      [ClientMessage.partyInvite]: this.handler((s, p) => parties.invite(me(s), field(p, "name"))),
      [ClientMessage.partyAccept]: this.handler((s, p) =>
        parties.accept(me(s), field(p, "partyId")),
      ),
      [ClientMessage.partyDecline]: this.handler((s, p) =>
        parties.decline(s.characterId, field(p, "partyId")),
      ),
      [ClientMessage.partyLeave]: this.handler((s) => parties.leave(s.characterId)),
      [ClientMessage.partyKick]: this.handler((s, p) =>
        parties.kick(s.characterId, field(p, "name")),
      ),
      [ClientMessage.partyPromote]: this.handler((s, p) =>
        parties.promote(s.characterId, field(p, "name")),
      ),
    };
  }

  /** A local member joined the room while in `partyId`: reported online (everyone hears it). */
  async joined(recipient: Recipient, partyId: string): Promise<void> {
    const id = recipient.session.characterId;
    this.host.sim.setPartyOf(id, partyId);
    if (!(await this.report(recipient, partyId, true))) this.forget(recipient);
  }

  /** The member's session ended for good (not a portal): offline for the grace period. */
  disconnected(recipient: Recipient): void {
    const id = recipient.session.characterId;
    const partyId = recipient.partyId;
    const last = this.lastVitals.get(id) ?? { level: 1, hpRatio: 1, zone: this.host.zone.id };
    this.reported.delete(id);
    this.lastVitals.delete(id);
    this.buckets.delete(id);
    if (partyId) this.parties.memberDisconnected(partyId, id, last).catch(this.fail);
  }

  /** A `party` notice on its way to a local recipient: follows membership, relays the view. */
  received(recipient: Recipient, message: RealtimeMessage): void {
    const notice = message as unknown as PartyNotice;
    const id = recipient.session.characterId;
    const current = notice.partyId === recipient.partyId;
    if (
      current &&
      recipient.partyVersion !== undefined &&
      notice.version < recipient.partyVersion
    ) {
      return;
    }
    if (notice.memberIds.includes(id)) {
      const fresh = !current;
      recipient.partyVersion = notice.version;
      this.graceEnds.set(notice.partyId, notice.graceEnds);
      this.host.sim.setPartyOf(id, notice.partyId);
      this.delivery.setParty(recipient, notice.partyId).catch(this.fail);
      recipient.session.send(ServerMessage.party, notice.party);
      if (fresh) this.report(recipient, notice.partyId, true).catch(this.fail);
    } else if (current) {
      this.forget(recipient);
      recipient.session.send(ServerMessage.party, null);
    }
  }

  /** Called every tick; works once a second. */
  tick(): void {
    const now = Date.now();
    if (now < this.nextReportAt) return;
    this.nextReportAt = now + PARTY_STATUS_EVERY_MS;
    const local = new Set<string>();
    for (const recipient of this.delivery.recipients()) {
      const partyId = recipient.partyId;
      if (!partyId || recipient.gone || recipient.session.handedOff) continue;
      local.add(partyId);
      this.report(recipient, partyId, false).catch(this.fail);
    }
    for (const [partyId, ends] of this.graceEnds) {
      if (!local.has(partyId)) {
        this.graceEnds.delete(partyId);
        continue;
      }
      for (const end of ends) {
        if (end.atMs > now) continue;
        end.atMs = now + PARTY_STATUS_EVERY_MS * 5;
        this.parties.leaveIfGraceOver(partyId, end.characterId).catch(this.fail);
      }
    }
  }

  /** Reports the member's status when it changed (or `force`); false when not in that party. */
  private async report(recipient: Recipient, partyId: string, force: boolean): Promise<boolean> {
    const id = recipient.session.characterId;
    const vitals = vitalsOf(this.host, id);
    if (!vitals) return true;
    this.lastVitals.set(id, vitals);
    const key = `${partyId}|${vitals.level}|${vitals.hpRatio}|${vitals.zone}`;
    if (!force && this.reported.get(id) === key) return true;
    this.reported.set(id, key);
    return this.parties.updateStatus(partyId, id, { ...vitals, online: true });
  }

  private forget(recipient: Recipient): void {
    const id = recipient.session.characterId;
    recipient.partyVersion = undefined;
    this.reported.delete(id);
    this.host.sim.setPartyOf(id, undefined);
    this.delivery.setParty(recipient, undefined).catch(this.fail);
  }

  private handler(
    act: (session: FeatureSession, payload: unknown) => Promise<PartyOutcome>,
  ): FeatureMessageHandler {
    return (session, payload) => {
      const now = Date.now();
      let bucket = this.buckets.get(session.characterId);
      if (!bucket) {
        bucket = new TokenBucket(PARTY_MESSAGE_BURST, PARTY_MESSAGES_PER_SEC, now);
        this.buckets.set(session.characterId, bucket);
      }
      if (!bucket.take(now)) return refuse(session, "RATE_LIMITED");
      act(session, payload)
        .then((outcome) => {
          if (!outcome.ok) refuse(session, outcome.code);
        })
        .catch((error: unknown) => {
          this.fail(error);
          refuse(session, "INVALID");
        });
    };
  }
}

function refuse(session: FeatureSession, code: PartyErrorCode | "RATE_LIMITED"): void {
  session.send(ServerMessage.partyError, { code, message: PARTY_ERROR_MESSAGES[code] });
}

/** `payload[key]` when the payload is a plain object, undefined otherwise. */
function field(payload: unknown, key: string): unknown {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
  return (payload as Record<string, unknown>)[key];
}

/** Level, hp ratio (two decimals) and zone of a character in this room's world. */
export function vitalsOf(
  host: FeatureHost,
  characterId: string,
): { level: number; hpRatio: number; zone: string } | undefined {
  const entity = entityById(host.sim.world, characterId);
  if (!entity || entity.kind !== EntityKind.Player) return undefined;
  const hpRatio = entity.hpMax > 0 ? Math.round((entity.hp / entity.hpMax) * 100) / 100 : 0;
  return { level: entity.level, hpRatio, zone: host.zone.id };
}
