/**
 * Trade messages between client and room (rooms/trade-feature.ts): the client → server shapes,
 * validated here, and the names of what the server sends back.
 */
import { z } from "zod";
import { TRADE_MAX_ITEMS } from "../../game/economy/trade.ts";
import { ClientMessage, ServerMessage } from "../../../clients/js/message-names.ts";

const tradeId = z.string().min(1).max(64);
/** Optional body: a client may send nothing, `{}`, or name the trade. */
const aboutTrade = z
  .strictObject({ tradeId: tradeId.optional() })
  .nullish()
  .transform((m) => m ?? {});

export const TradeMessages = {
  /** Ask the player called `name` (in this room, within TRADE_RANGE) to trade. */
  [ClientMessage.tradeRequest]: z.strictObject({ name: z.string().min(1).max(32) }),
  /** Accept a request made to you: the one named, or the newest. */
  [ClientMessage.tradeAccept]: aboutTrade,
  /** Replace your whole offer: inventory slots with quantities, and gold. */
  [ClientMessage.tradeOffer]: z.strictObject({
    items: z
      .array(
        z.strictObject({
          slot: z.number().int().min(0).max(1023),
          qty: z.number().int().min(1).max(1_000_000),
        }),
      )
      .max(TRADE_MAX_ITEMS),
    gold: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
  [ClientMessage.tradeLock]: aboutTrade,
  [ClientMessage.tradeConfirm]: aboutTrade,
  /** Cancel your trade, withdraw your request, or decline one made to you. */
  [ClientMessage.tradeCancel]: aboutTrade,
} as const;

export type TradeMessageType = keyof typeof TradeMessages;
export type TradeMessage<K extends TradeMessageType> = z.output<(typeof TradeMessages)[K]>;

/** Server → client messages. */
export const TradeEvents = {
  requested: ServerMessage.tradeRequested,
  trade: ServerMessage.trade,
  error: ServerMessage.tradeError,
  closed: ServerMessage.tradeClosed,
  completed: ServerMessage.tradeCompleted,
} as const;

/** Why a trade or request ended (`tradeClosed.reason`). */
export const TradeCloseReason = {
  CANCELLED: "cancelled",
  DECLINED: "declined",
  /** A request closed because one of its players started another trade. */
  BUSY: "busy",
  EXPIRED: "expired",
  MOVED: "moved",
  FIGHTING: "fighting",
  DIED: "died",
  LEFT: "left",
  DROPPED: "dropped",
  PORTAL: "portal",
} as const;
export type TradeCloseReason = (typeof TradeCloseReason)[keyof typeof TradeCloseReason];
