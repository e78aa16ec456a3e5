/**
 * Social and economy messages between the client and its zone room (see the README's protocol
 * section): the types come from the client kit (clients/js), which spells every message name.
 */
import { ServerMessage } from "../clients/js/message-names.ts";
import type { ChatSend } from "../clients/js/client-messages.ts";
import type { ChatLine as ChatLineMessage, ServerPayloads } from "../clients/js/server-messages.ts";

export type { PartyMember, PartyView, Refusal } from "../clients/js/server-messages.ts";

/** A `chat` line, or one of the guild's history (`GET /v1/guilds/:id/chat`), which has no `id`. */
export type ChatLine = Omit<ChatLineMessage, "id"> & { id?: string };

export const CHAT_CHANNELS = ["say", "zone", "party", "guild", "whisper", "world"] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** `chat` to the room; `to` (a character name) only on whispers: other channels refuse it. */
export type OutgoingChat = ChatSend;

/** `partyInvited`: someone asks one to join their party. */
export type PartyInvite = ServerPayloads["partyInvited"];

/** `mail`: a mail arrived (or came back) for this character. */
export type MailNotice = ServerPayloads["mail"];

/** `guild`: something changed in one's guild (or about one's membership). */
export type GuildNotice = ServerPayloads["guild"];

/** Room messages the social parts of the client listen to (relayed by GameSession). */
export const SOCIAL_MESSAGES = [
  ServerMessage.chat,
  ServerMessage.chatError,
  ServerMessage.party,
  ServerMessage.partyInvited,
  ServerMessage.partyError,
  ServerMessage.guild,
  ServerMessage.mail,
  ServerMessage.tradeRequested,
  ServerMessage.trade,
  ServerMessage.tradeError,
  ServerMessage.tradeClosed,
  ServerMessage.tradeCompleted,
] as const;
export type SocialMessageType = (typeof SOCIAL_MESSAGES)[number];
