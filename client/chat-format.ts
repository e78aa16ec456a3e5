/**
 * Chat box logic without the DOM: what a typed line means (slash commands) and how a received
 * line reads in the log.
 */
import type { ChatChannel, ChatLine, OutgoingChat } from "./social-messages.ts";

/** The server refuses longer text (in code points, after trimming). */
export const MAX_CHAT_LENGTH = 256;
const NAME = /^[A-Za-z0-9_]{3,16}$/;

export const CHANNEL_LABELS: Record<ChatChannel, string> = {
  say: "Say",
  zone: "Zone",
  party: "Party",
  guild: "Guild",
  whisper: "Whisper",
  world: "World",
};

const COMMANDS: Record<string, Exclude<ChatChannel, "whisper">> = {
  s: "say",
  say: "say",
  z: "zone",
  zone: "zone",
  p: "party",
  party: "party",
  g: "guild",
  guild: "guild",
  world: "world",
};
const WHISPER_COMMANDS = new Set(["w", "whisper", "t", "tell"]);

/** What the sticky channel selector holds: a channel, and the name whispers go to. */
export type ChatTarget = { channel: ChatChannel; to: string };

export type ChatInput =
  | { kind: "none" }
  | { kind: "send"; message: OutgoingChat }
  /** A command without text (`/p`, `/w Name`): later lines go there. */
  | { kind: "switch"; target: ChatTarget }
  | { kind: "invite"; name: string }
  | { kind: "trade"; name: string }
  | { kind: "error"; message: string };

/**
 * Reads one typed line: `/s /z /p /g /world text` pick a channel, `/w name text` whispers,
 * `/r text` answers the last whisper received, `/invite name` and `/trade name` ask a player;
 * anything else goes to the selected channel.
 */
export function parseChatInput(raw: string, target: ChatTarget, lastWhisperFrom = ""): ChatInput {
  const line = raw.trim();
  if (line === "") return { kind: "none" };
  if (!line.startsWith("/")) return send(target.channel, line, target.to);
  const [, command = "", rest = ""] = /^\/(\S*)\s*([\s\S]*)$/.exec(line) ?? [];
  const name = command.toLowerCase();
  const channel = COMMANDS[name];
  if (channel) {
    return rest === "" ? { kind: "switch", target: { channel, to: "" } } : send(channel, rest);
  }
  if (WHISPER_COMMANDS.has(name) || name === "r" || name === "reply") {
    const reply = name === "r" || name === "reply";
    if (reply && lastWhisperFrom === "") {
      return { kind: "error", message: "Nobody has whispered to you yet." };
    }
    const [, to = "", text = ""] = reply
      ? ["", lastWhisperFrom, rest]
      : (/^(\S+)\s*([\s\S]*)$/.exec(rest) ?? []);
    if (!NAME.test(to)) return { kind: "error", message: "Whisper to whom? /w Name text" };
    if (text === "") return { kind: "switch", target: { channel: "whisper", to } };
    return send("whisper", text, to);
  }
  if (name === "invite" || name === "trade") {
    if (!NAME.test(rest)) return { kind: "error", message: `Usage: /${name} Name` };
    return { kind: name, name: rest };
  }
  return { kind: "error", message: `Unknown command /${command}.` };
}

function send(channel: ChatChannel, text: string, to = ""): ChatInput {
  if ([...text].length > MAX_CHAT_LENGTH) {
    return { kind: "error", message: `Messages are at most ${MAX_CHAT_LENGTH} characters.` };
  }
  if (channel !== "whisper") return { kind: "send", message: { channel, text } };
  if (!NAME.test(to)) return { kind: "error", message: "Whisper to whom? /w Name text" };
  return { kind: "send", message: { channel, text, to } };
}

/** A received line as the log shows it: `[Party] Name: text`, `From Name: text`, `To Name: text`. */
export function formatChatLine(line: ChatLine, ownId: string): { text: string; className: string } {
  const className = `chat-${line.channel}`;
  if (line.channel === "whisper") {
    const outgoing = line.fromId === ownId;
    const who = outgoing ? `To ${line.to ?? "?"}` : `From ${line.from}`;
    return { text: `${who}: ${line.text}`, className };
  }
  const label = CHANNEL_LABELS[line.channel] ?? line.channel;
  return { text: `[${label}] ${line.from}: ${line.text}`, className };
}

/** The selector's label for a target: `To Name` for whispers, else the channel's name. */
export function targetLabel(target: ChatTarget): string {
  return target.channel === "whisper" && target.to
    ? `To ${target.to}`
    : CHANNEL_LABELS[target.channel];
}
