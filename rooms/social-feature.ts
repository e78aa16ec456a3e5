/**
 * The social layer in a zone or instance room: realtime delivery of personal, zone, world, party
 * and guild messages (src/social/realtime), the `chat` message (src/social/chat) and the party
 * messages and status reports (src/social/party, rooms/social-party.ts).
 */
import type { Presence } from "@colyseus/core";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import type { ChatLine, ChatService } from "../src/social/chat/chat-service.ts";
import type { PartyService } from "../src/social/party/party-service.ts";
import type { RealtimeMessage } from "../src/social/realtime/realtime-message.ts";
import { RoomDelivery, type Recipient } from "../src/social/realtime/room-delivery.ts";
import type { SocialDirectory } from "../src/social/realtime/social-directory.ts";
import type {
  FeatureHost,
  FeatureSession,
  RoomFeature,
  RoomFeatureFactory,
} from "./room-feature.ts";
import { PartyLink } from "./social-party.ts";

/** `say` reaches players of the same room within this many units of the speaker. */
export const SAY_RANGE = 600;

export type SocialFeatureDeps = {
  presence: Presence;
  chat: ChatService;
  parties: PartyService;
  directory: SocialDirectory;
};

export function socialFeature(deps: SocialFeatureDeps): RoomFeatureFactory {
  return (host) => createSocialRoom(host, deps);
}

function createSocialRoom(host: FeatureHost, deps: SocialFeatureDeps): RoomFeature {
  const { chat, directory } = deps;
  const fail = (error: unknown) => host.log.warn({ err: error }, "social feature error");
  const delivery: RoomDelivery = new RoomDelivery({
    presence: deps.presence,
    roomId: host.roomId,
    zoneId: host.zone.id,
    later: host.later,
    hook: (recipient, message) => relay(recipient, message),
    onError: fail,
  });
  const party = new PartyLink(host, deps.parties, delivery, fail);

  /** Feature logic on the way to the socket; false when the message was consumed here. */
  function relay(recipient: Recipient, message: RealtimeMessage): boolean {
    switch (message.type) {
      case ServerMessage.party:
        party.received(recipient, message);
        return false;
      case ServerMessage.blocksChanged:
        directory.blocksChanged(recipient.session.characterId);
        directory
          .blockedIdsOf(recipient.session.characterId)
          .then((ids) => (recipient.blocked = ids))
          .catch(fail);
        return true;
      case ServerMessage.guild:
        directory
          .guildOf(recipient.session.characterId)
          .then((guildId) => delivery.setGuild(recipient, guildId))
          .catch(fail);
        return true;
      default:
        return true;
    }
  }

  function say(speaker: FeatureSession, line: ChatLine): void {
    const from = host.positionOf(speaker.characterId);
    if (!from) return;
    for (const session of host.sessions()) {
      const at = host.positionOf(session.characterId);
      const recipient = delivery.recipient(session.characterId);
      if (!at || !recipient) continue;
      if ((at.x - from.x) ** 2 + (at.y - from.y) ** 2 <= SAY_RANGE ** 2) {
        delivery.deliver(recipient, line);
      }
    }
  }

  async function receiveChat(session: FeatureSession, payload: unknown): Promise<void> {
    const recipient = delivery.recipient(session.characterId);
    const refusal = await chat.send(
      {
        characterId: session.characterId,
        accountId: session.accountId,
        name: session.name,
        zoneId: host.zone.id,
        partyId: recipient?.partyId,
        guildId: recipient?.guildId,
      },
      payload,
      {
        say: (line) => say(session, line),
        echo: (line) =>
          recipient ? delivery.deliver(recipient, line) : session.send(ServerMessage.chat, line),
      },
    );
    if (refusal) session.send(ServerMessage.chatError, refusal);
    if (refusal?.code === "NOT_IN_GUILD" && recipient) {
      // The room's copy of the membership may be stale: read it again for the next line.
      await delivery.setGuild(recipient, await directory.guildOf(session.characterId));
    }
  }

  async function join(session: FeatureSession): Promise<void> {
    const id = session.characterId;
    const [blocked, guildId, partyId] = await Promise.all([
      directory.blockedIdsOf(id).catch((): ReadonlySet<string> => new Set()),
      directory.guildOf(id).catch(() => undefined),
      deps.parties.partyOf(id).catch(() => undefined),
    ]);
    const recipient = await delivery.join(session, { blocked, guildId, partyId });
    // Gone while its lists loaded: `left` already undid the subscriptions.
    if (recipient.gone) return;
    if (partyId) await party.joined(recipient, partyId);
  }

  return {
    messages: {
      [ClientMessage.chat]: (session, payload) => void receiveChat(session, payload).catch(fail),
      ...party.messages,
    },
    joined: (session) => void join(session).catch(fail),
    handingOff: (session) => delivery.handingOff(session.characterId),
    left(session) {
      const recipient = delivery.recipient(session.characterId);
      delivery.left(session.characterId);
      host.sim.setPartyOf(session.characterId, undefined);
      if (session.handedOff) return;
      chat.forget(session.characterId);
      if (recipient) party.disconnected(recipient);
    },
    tick: () => party.tick(),
    dispose: () => delivery.dispose(),
  };
}
