/**
 * What a client sends, by message type: the payload each room handler accepts. Movement, actions
 * and trade are the input types of the server's own zod validators (type-only imports: nothing of
 * the server reaches a client bundle); chat, party and arena messages are checked by hand on the
 * server (src/game/social/chat-rules.ts, src/social/party/party-service.ts, rooms/arena-feature.ts)
 * and described here.
 */
import type { z } from "zod";
import type { ZoneMessages } from "../../rooms/zone-messages.ts";
import type { TradeMessages } from "../../src/economy/trade/trade-messages.ts";
import type { SwitchChannelMessage } from "../../rooms/channel-feature.ts";
import type { ChatChannel } from "../../src/game/social/chat-rules.ts";
import type { ArenaMode } from "../../src/game/arena/match-rules.ts";
import type { Assert, ClientMessageType, SameKeys } from "./message-names.ts";

type Input<K extends keyof typeof ZoneMessages> = z.input<(typeof ZoneMessages)[K]>;
type TradeInput<K extends keyof typeof TradeMessages> = NonNullable<
  z.input<(typeof TradeMessages)[K]>
>;

/** `chat`: `to` (a character name) on whispers only; other channels refuse it. */
export type ChatSend = { channel: ChatChannel; text: string; to?: string };
/** A party message that names a player (invite, kick, promote). */
export type PartyByName = { name: string };
/** A message without fields: send `{}` (or nothing). */
export type NoPayload = Record<never, never>;
/** A party message about an invitation (accept, decline). */
export type PartyById = { partyId: string };

export type ClientPayloads = {
  move: Input<"move">;
  stop: Input<"stop">;
  attack: Input<"attack">;
  pickup: Input<"pickup">;
  portal: Input<"portal">;
  cast: Input<"cast">;
  interact: Input<"interact">;
  acceptQuest: Input<"acceptQuest">;
  turnInQuest: Input<"turnInQuest">;
  equip: Input<"equip">;
  unequip: Input<"unequip">;
  useItem: Input<"useItem">;
  chat: ChatSend;
  partyInvite: PartyByName;
  partyAccept: PartyById;
  partyDecline: PartyById;
  partyLeave: NoPayload;
  partyKick: PartyByName;
  partyPromote: PartyByName;
  tradeRequest: TradeInput<"tradeRequest">;
  tradeAccept: TradeInput<"tradeAccept">;
  tradeOffer: TradeInput<"tradeOffer">;
  tradeLock: TradeInput<"tradeLock">;
  tradeConfirm: TradeInput<"tradeConfirm">;
  tradeCancel: TradeInput<"tradeCancel">;
  arenaQueue: { mode: ArenaMode };
  arenaLeave: NoPayload;
  /** The channel (1, 2, ...) of the current zone to move to; see `GET /v1/world/zones`. */
  switchChannel: z.input<typeof SwitchChannelMessage>;
};

/** The payload of client message `K`. */
export type ClientPayload<K extends ClientMessageType> = ClientPayloads[K];

/** The payload argument of `K`: optional when every field of it is. */
export type PayloadArg<K extends ClientMessageType> =
  Partial<ClientPayloads[K]> extends ClientPayloads[K]
    ? [payload?: ClientPayloads[K]]
    : [payload: ClientPayloads[K]];

/** Sends client message `type` with a payload of the type the server accepts. */
export type Send = <K extends ClientMessageType>(type: K, ...payload: PayloadArg<K>) => void;

/** The part of a Colyseus room (`@colyseus/sdk` Room) that sends. */
export type MessageSink = { send(type: string, payload?: unknown): void };

/** Sends client message `type` to `room`; a payload left out goes as `{}`. */
export function sendMessage<K extends ClientMessageType>(
  room: MessageSink,
  type: K,
  ...payload: PayloadArg<K>
): void {
  room.send(type, payload[0] ?? {});
}

/** Every client message has a payload type, and nothing else has one. */
export type _EveryClientMessage = Assert<SameKeys<keyof ClientPayloads, ClientMessageType>>;
