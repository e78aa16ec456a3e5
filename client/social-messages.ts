/**
 * Social and economy messages between the client and its zone room (see the README's protocol
 * section): what this client sends and the shapes it reads back. The server validates everything;
 * these types only describe what the client relies on.
 */

export const CHAT_CHANNELS = ["say", "zone", "party", "guild", "whisper", "world"] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** `chat` to the room; `to` (a character name) only on whispers: other channels refuse it. */
export type OutgoingChat = { channel: ChatChannel; text: string; to?: string };

/** `chat` from the room: a line anyone in the channel hears (whispers carry `to`). */
export type ChatLine = {
  channel: ChatChannel;
  /** The sender's character name. */
  from: string;
  fromId: string;
  text: string;
  /** Epoch ms. */
  at: number;
  to?: string;
};

/** `chatError`, `partyError`, `tradeError`: a refusal sent to the sender only. */
export type Refusal = { code: string; message: string };

export type PartyMember = {
  name: string;
  level: number;
  /** hp / hpMax as a fraction 0..1 (two decimals). */
  hpRatio: number;
  /** Zone id; "" before the member first reported. */
  zone: string;
  online: boolean;
};

/** `party` from the room on every change (null once one is in no party any more). */
export type PartyView = { id: string; leader: string; members: PartyMember[] };

/** `partyInvited`: someone asks one to join their party. */
export type PartyInvite = { partyId: string; from: string };

/** `mail`: a mail arrived (or came back) for this character. */
export type MailNotice = { mailId: string; from: string; subject: string };

/** `guild`: something changed in one's guild (or about one's membership). */
export type GuildNotice = {
  guildId: string;
  change: { kind: string; name?: string; toName?: string; rank?: string };
};

/** Room messages the social parts of the client listen to (relayed by GameSession). */
export const SOCIAL_MESSAGES = [
  "chat",
  "chatError",
  "party",
  "partyLeft",
  "partyInvited",
  "partyError",
  "guild",
  "mail",
  "tradeRequested",
  "trade",
  "tradeError",
  "tradeClosed",
  "tradeCompleted",
] as const;
export type SocialMessageType = (typeof SOCIAL_MESSAGES)[number];
