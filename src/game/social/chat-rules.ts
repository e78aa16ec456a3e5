/** Chat channels: who hears a message. */
export const ChatChannel = {
  SAY: "say",
  ZONE: "zone",
  PARTY: "party",
  GUILD: "guild",
  WHISPER: "whisper",
  WORLD: "world",
} as const;
export type ChatChannel = (typeof ChatChannel)[keyof typeof ChatChannel];
export const CHAT_CHANNELS: readonly ChatChannel[] = Object.values(ChatChannel);

/** Why a chat message was refused; sent to the sender only. */
export const ChatError = {
  /** The whisper's recipient is not online. */
  NOT_ONLINE: "NOT_ONLINE",
  /** The recipient blocked the sender. */
  BLOCKED: "BLOCKED",
  RATE_LIMITED: "RATE_LIMITED",
  NOT_IN_PARTY: "NOT_IN_PARTY",
  NOT_IN_GUILD: "NOT_IN_GUILD",
  /** An operator muted the sender's account (until a time, or until lifted). */
  MUTED: "MUTED",
  /** Bad shape, unknown channel, bad recipient name, or text refused by validateChatText. */
  INVALID: "INVALID",
} as const;
export type ChatError = (typeof ChatError)[keyof typeof ChatError];

/** Longest chat text in code points (an emoji counts as one), after trimming. */
export const MAX_CHAT_TEXT_LENGTH = 256;
/** Longer raw input is refused before any other work (the WS transport caps frames at 4 KiB). */
const MAX_RAW_LENGTH = 4 * MAX_CHAT_TEXT_LENGTH;

/** Same rule as character creation (src/http/api-schemas.ts CHARACTER_NAME). */
export const CHARACTER_NAME_PATTERN = /^[A-Za-z0-9_]{3,16}$/;

/**
 * Refused anywhere in a chat text: C0/C1 controls and DEL (so newlines and tabs: chat is one
 * line), line/paragraph separators, bidirectional formatting characters (they can make text read
 * in another order than it was written, e.g. U+202E) and unpaired surrogates. Other format
 * characters stay allowed: U+200D joins emoji sequences.
 */
const FORBIDDEN_CHARACTERS =
  /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Cs}]/u;

export type ChatTextResult = { ok: true; text: string } | { ok: false; code: "INVALID" };

/** The trimmed text when it is 1–256 code points with no forbidden character; INVALID otherwise. */
export function validateChatText(raw: unknown): ChatTextResult {
  if (typeof raw !== "string" || raw.length > MAX_RAW_LENGTH) return invalid();
  if (FORBIDDEN_CHARACTERS.test(raw)) return invalid();
  const text = raw.trim();
  const length = [...text].length;
  if (length < 1 || length > MAX_CHAT_TEXT_LENGTH) return invalid();
  return { ok: true, text };
}

/** A chat message from a client; `to` (a character name) only for whispers. */
export type ChatMessage =
  | { channel: Exclude<ChatChannel, "whisper">; text: string }
  | { channel: "whisper"; text: string; to: string };

export type ChatMessageResult = { ok: true; message: ChatMessage } | { ok: false; code: "INVALID" };

/** Validates `{ channel, text, to? }` from a client; extra keys are refused. */
export function parseChatMessage(raw: unknown): ChatMessageResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return invalid();
  const { channel, text, to, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return invalid();
  if (!isChatChannel(channel)) return invalid();
  const checked = validateChatText(text);
  if (!checked.ok) return checked;
  if (channel === ChatChannel.WHISPER) {
    if (!isCharacterName(to)) return invalid();
    return { ok: true, message: { channel, text: checked.text, to } };
  }
  if (to !== undefined) return invalid();
  return { ok: true, message: { channel, text: checked.text } };
}

export function isChatChannel(value: unknown): value is ChatChannel {
  return typeof value === "string" && (CHAT_CHANNELS as readonly string[]).includes(value);
}

export function isCharacterName(value: unknown): value is string {
  return typeof value === "string" && CHARACTER_NAME_PATTERN.test(value);
}

function invalid(): { ok: false; code: "INVALID" } {
  return { ok: false, code: ChatError.INVALID };
}
