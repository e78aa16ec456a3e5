/**
 * Every room message type, client → server and server → client: the one place a message name is
 * spelled. The server's handlers (rooms/, src/) key their validators and sends by these, and the
 * web client, the bots, the benchmarks and the Unity kit (clients/unity, generated from here) read
 * them from here too. Pure: no imports, so the browser bundle and any client can take it.
 */

/** Intents and requests a client sends to its zone, instance or arena room. */
export const ClientMessage = {
  // Movement and actions (rooms/zone-messages.ts validates them).
  move: "move",
  stop: "stop",
  attack: "attack",
  pickup: "pickup",
  portal: "portal",
  cast: "cast",
  interact: "interact",
  acceptQuest: "acceptQuest",
  turnInQuest: "turnInQuest",
  equip: "equip",
  unequip: "unequip",
  useItem: "useItem",
  // Social (rooms/social-feature.ts, rooms/social-party.ts).
  chat: "chat",
  partyInvite: "partyInvite",
  partyAccept: "partyAccept",
  partyDecline: "partyDecline",
  partyLeave: "partyLeave",
  partyKick: "partyKick",
  partyPromote: "partyPromote",
  // Trade (src/economy/trade/trade-messages.ts).
  tradeRequest: "tradeRequest",
  tradeAccept: "tradeAccept",
  tradeOffer: "tradeOffer",
  tradeLock: "tradeLock",
  tradeConfirm: "tradeConfirm",
  tradeCancel: "tradeCancel",
  // Arena queue (rooms/arena-feature.ts).
  arenaQueue: "arenaQueue",
  arenaLeave: "arenaLeave",
  // Zone channels (rooms/channel-feature.ts).
  switchChannel: "switchChannel",
} as const;
export type ClientMessageType = (typeof ClientMessage)[keyof typeof ClientMessage];

/**
 * Area notices: batched per tick in one `notices` message, each a positional array whose first
 * element is the type's place in this list (clients/js/notice-layout.ts): append new types at
 * the end, never reorder.
 */
export const AreaNotice = {
  damaged: "damaged",
  missed: "missed",
  died: "died",
  healed: "healed",
  castStarted: "castStarted",
  casted: "casted",
  castCancelled: "castCancelled",
  effectApplied: "effectApplied",
  effectExpired: "effectExpired",
  leveledUp: "leveledUp",
} as const;
export type AreaNoticeType = (typeof AreaNotice)[keyof typeof AreaNotice];

/** Messages a room sends a client, each as its own room message (area notices aside). */
export const ServerMessage = {
  // The room and the session.
  welcome: "welcome",
  transfer: "transfer",
  error: "error",
  refused: "refused",
  announcement: "announcement",
  /** The batch of one tick's area notices (AreaNotice). */
  notices: "notices",
  // To one's own character.
  /** hp, mp, xp, gold, input acknowledgement and cooldowns: what changed (clients/js/self-state.ts). */
  self: "self",
  xpGained: "xpGained",
  goldGained: "goldGained",
  looted: "looted",
  itemUsed: "itemUsed",
  equipmentChanged: "equipmentChanged",
  questUpdated: "questUpdated",
  questAccepted: "questAccepted",
  questTurnedIn: "questTurnedIn",
  npc: "npc",
  // Social.
  chat: "chat",
  chatError: "chatError",
  party: "party",
  partyInvited: "partyInvited",
  partyError: "partyError",
  guild: "guild",
  mail: "mail",
  blocksChanged: "blocksChanged",
  // Operators (src/admin): one's account was muted, or its mute lifted.
  muted: "muted",
  unmuted: "unmuted",
  // Trade.
  tradeRequested: "tradeRequested",
  trade: "trade",
  tradeError: "tradeError",
  tradeClosed: "tradeClosed",
  tradeCompleted: "tradeCompleted",
  // Arena: the queue (in a zone room) and the match (in the arena room).
  arenaQueued: "arenaQueued",
  arenaRefused: "arenaRefused",
  arenaPartyQueued: "arenaPartyQueued",
  arenaQueueLeft: "arenaQueueLeft",
  arenaQueueExpired: "arenaQueueExpired",
  arenaMatchFound: "arenaMatchFound",
  arenaJoined: "arenaJoined",
  arenaCountdown: "arenaCountdown",
  arenaStarted: "arenaStarted",
  arenaResult: "arenaResult",
  // World events.
  worldEvent: "worldEvent",
  worldEventReward: "worldEventReward",
} as const;
export type ServerMessageType = (typeof ServerMessage)[keyof typeof ServerMessage];

/** The message type that carries a tick's area notices. */
export const NOTICES_MESSAGE = ServerMessage.notices;

export const AREA_NOTICE_TYPES = Object.values(AreaNotice) as readonly AreaNoticeType[];
export const CLIENT_MESSAGE_TYPES = Object.values(ClientMessage) as readonly ClientMessageType[];
export const SERVER_MESSAGE_TYPES = Object.values(ServerMessage) as readonly ServerMessageType[];

const AREA_TYPES: ReadonlySet<string> = new Set(AREA_NOTICE_TYPES);

export function isAreaNotice(type: string): type is AreaNoticeType {
  return AREA_TYPES.has(type);
}

/** True when `A` and `B` are the same union (for the kit's compile-time coverage checks). */
export type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when `T` is true. */
export type Assert<T extends true> = T;
