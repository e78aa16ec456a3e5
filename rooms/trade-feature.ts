/**
 * Player-to-player trade in a zone or instance room (src/economy/trade/trade-desk.ts): owns the
 * trade messages, validates and rate-limits them, answers refusals to the sender only, and
 * feeds the desk what the room knows (positions, deaths, fights, departures). Commits go
 * through the economy's room commit over this room's simulation.
 */
import { randomUUID } from "node:crypto";
import { ClientMessage } from "../clients/js/message-names.ts";
import type { Economy } from "../src/economy/character-mutation.ts";
import { TradeDesk, type TradeStatus } from "../src/economy/trade/trade-desk.ts";
import {
  TradeCloseReason,
  TradeMessages,
  type TradeMessage,
  type TradeMessageType,
} from "../src/economy/trade/trade-messages.ts";
import type { PlayerEntity } from "../src/game/world/world-types.ts";
import { ZoneKind } from "../src/game/world/zone-content.ts";
import { TokenBucket } from "../src/session/token-bucket.ts";
import type {
  FeatureHost,
  FeatureMessageHandler,
  FeatureSession,
  RoomFeature,
  RoomFeatureFactory,
} from "./room-feature.ts";

/**
 * Trade messages a player may send: a burst of 60, refilled at 30 per second. A trade takes about
 * five messages a side; no hand clicks faster, and each message is cheap (a request's block check
 * is cached, a confirm commits at most once per trade).
 */
export const TRADE_MESSAGE_BURST = 60;
export const TRADE_MESSAGES_PER_SEC = 30;

export function tradeFeature(economy: Economy): RoomFeatureFactory {
  return (host) => createTradeRoom(host, economy);
}

function createTradeRoom(host: FeatureHost, economy: Economy): RoomFeature {
  const { sim } = host;
  const social = host.services.social;
  const buckets = new Map<string, TokenBucket>();
  const desk = new TradeDesk({
    rules: economy.rules,
    commit: (request) => economy.commitInRoom(sim, request),
    holdingsOf(characterId) {
      const record = sim.recordOf(characterId);
      return record && { gold: record.character.gold, inventory: record.inventory };
    },
    statusOf: (characterId) => statusOf(host, characterId),
    findByName(name) {
      const key = name.toLowerCase();
      for (const s of host.sessions()) {
        if (s.name.toLowerCase() === key && !s.handedOff) return s.characterId;
      }
      return undefined;
    },
    isBlocked: social ? (owner, other) => social.blocks.isBlocked(owner, other) : undefined,
    isLeaving: (characterId) => host.session(characterId)?.handedOff ?? true,
    send(characterId, type, payload) {
      host.session(characterId)?.send(type, payload);
    },
    newId: randomUUID,
    nowMs: Date.now,
    onError: (error, what) => host.log.error({ err: error }, `trade ${what} failed`),
  });

  const handlers: Record<TradeMessageType, (s: FeatureSession, m: never) => void | Promise<void>> =
    {
      [ClientMessage.tradeRequest]: (s, m: TradeMessage<"tradeRequest">) =>
        desk.request(s.characterId, s.name, m.name),
      [ClientMessage.tradeAccept]: (s, m: TradeMessage<"tradeAccept">) =>
        desk.accept(s.characterId, m.tradeId),
      [ClientMessage.tradeOffer]: (s, m: TradeMessage<"tradeOffer">) =>
        desk.offer(s.characterId, m),
      [ClientMessage.tradeLock]: (s, m: TradeMessage<"tradeLock">) =>
        desk.lock(s.characterId, m.tradeId),
      [ClientMessage.tradeConfirm]: (s, m: TradeMessage<"tradeConfirm">) =>
        desk.confirm(s.characterId, m.tradeId),
      [ClientMessage.tradeCancel]: (s, m: TradeMessage<"tradeCancel">) =>
        desk.cancel(s.characterId, m.tradeId),
    };

  function receive(type: TradeMessageType): FeatureMessageHandler {
    return (session, payload) => {
      const id = session.characterId;
      let bucket = buckets.get(id);
      if (!bucket) {
        bucket = new TokenBucket(TRADE_MESSAGE_BURST, TRADE_MESSAGES_PER_SEC, Date.now());
        buckets.set(id, bucket);
      }
      if (!bucket.take(Date.now())) return desk.refuse(id, "RATE_LIMITED");
      // An arena match is a fight, and nothing in it is saved: no trading there.
      if (host.zone.kind === ZoneKind.Arena) return desk.refuse(id, "FORBIDDEN");
      const parsed = TradeMessages[type].safeParse(payload);
      if (!parsed.success) return desk.refuse(id, "INVALID_MESSAGE");
      const done = handlers[type](session, parsed.data as never);
      if (done instanceof Promise) {
        done.catch((error: unknown) => host.log.error({ err: error }, `trade ${type} failed`));
      }
    };
  }

  const messages = Object.fromEntries(
    (Object.keys(TradeMessages) as TradeMessageType[]).map((type) => [type, receive(type)]),
  );

  return {
    messages,
    dropped: (session) => desk.gone(session.characterId, TradeCloseReason.DROPPED),
    handingOff: (session) => desk.gone(session.characterId, TradeCloseReason.PORTAL),
    left(session) {
      buckets.delete(session.characterId);
      desk.gone(
        session.characterId,
        session.handedOff ? TradeCloseReason.PORTAL : TradeCloseReason.LEFT,
      );
    },
    tick: () => desk.tick(),
  };
}

function statusOf(host: FeatureHost, characterId: string): TradeStatus | undefined {
  const { world } = host.sim;
  const handle = world.handleById.get(characterId);
  const entity = handle === undefined ? undefined : world.entities[handle];
  if (entity?.kind !== "player") return undefined;
  const player = entity as PlayerEntity;
  return {
    x: player.x,
    y: player.y,
    dead: player.dead,
    combat: host.sim.combatCountOf(characterId),
  };
}
