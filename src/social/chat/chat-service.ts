/**
 * Chat across rooms and processes: validates and rate-limits a client's `chat`, then publishes it
 * on the channel that reaches its audience (zone, world, party, guild, or the whisper recipient's
 * personal channel). `say` stays in the sender's room: the room delivers it within speaking range.
 * Refusals are values (`chatError` to the sender only).
 */
import type { Presence } from "@colyseus/core";
import { ServerMessage } from "../../../clients/js/message-names.ts";
import { GameError } from "../../errors.ts";
import { Channels } from "../../infra/channels.ts";
import { ChatRateLimiter } from "../../game/social/chat-rate-limit.ts";
import { ChatError, parseChatMessage, type ChatChannel } from "../../game/social/chat-rules.ts";
import type { OnlinePlayers } from "../../session/online-players.ts";
import { newMessageId } from "../realtime/realtime-message.ts";
import type { SocialDirectory } from "../realtime/social-directory.ts";

/** Idle full rate-limit buckets are dropped this often. */
const PRUNE_EVERY_MS = 60_000;

/** What every recipient gets (plus `to` on whispers); `type` and `id` serve delivery. */
export type ChatLine = {
  type: typeof ServerMessage.chat;
  id: string;
  channel: ChatChannel;
  /** The sender's character name. */
  from: string;
  fromId: string;
  text: string;
  /** Epoch ms. */
  at: number;
  to?: string;
};

export type ChatSender = {
  characterId: string;
  accountId: string;
  name: string;
  zoneId: string;
  partyId?: string;
  guildId?: string;
};

/** `until` (ISO time, null: until lifted) comes with MUTED. */
export type ChatRefusal = { code: ChatError; message: string; until?: string | null };

/** How the sender's room takes part: `say` lines and the sender's own whisper echo. */
export type ChatRoomSide = {
  say(line: ChatLine): void;
  echo(line: ChatLine): void;
};

const REFUSAL_MESSAGES: Record<ChatError, string> = {
  NOT_ONLINE: "That player is not online.",
  BLOCKED: "That player does not accept your messages.",
  RATE_LIMITED: "You are sending messages too fast.",
  NOT_IN_PARTY: "You are not in a party.",
  NOT_IN_GUILD: "You are not in a guild.",
  MUTED: "You are muted.",
  INVALID: "The message is invalid.",
};

export function chatRefusal(code: ChatError): ChatRefusal {
  return { code, message: REFUSAL_MESSAGES[code] };
}

export type ChatServiceOptions = {
  presence: Presence;
  online: OnlinePlayers;
  directory: SocialDirectory;
  /** The operator mute in force on an account (src/admin/sanctions.ts); none when unset. */
  muteOf?: (accountId: string) => Promise<{ reason: string; expiresAt: string | null } | undefined>;
  now?: () => number;
};

export function createChatService(options: ChatServiceOptions) {
  const { presence, online, directory } = options;
  const now = options.now ?? Date.now;
  const limiter = new ChatRateLimiter();
  let prunedAt = now();

  async function whisper(
    sender: ChatSender,
    line: ChatLine,
    toName: string,
    room: ChatRoomSide,
  ): Promise<ChatRefusal | undefined> {
    const target = await directory.characterByName(toName);
    const here = target ? await online.get(target.id) : undefined;
    if (!target || !here) return chatRefusal(ChatError.NOT_ONLINE);
    if (await directory.isBlocked(target.id, sender.characterId)) {
      return chatRefusal(ChatError.BLOCKED);
    }
    const addressed: ChatLine = { ...line, to: target.name };
    await presence.publish(Channels.player(target.id), addressed);
    room.echo(addressed);
    return undefined;
  }

  return {
    /** Handles one `chat` payload from `sender`; a refusal goes back to the sender only. */
    async send(
      sender: ChatSender,
      payload: unknown,
      room: ChatRoomSide,
    ): Promise<ChatRefusal | undefined> {
      const parsed = parseChatMessage(payload);
      if (!parsed.ok) return chatRefusal(ChatError.INVALID);
      const request = parsed.message;
      const mute = await options.muteOf?.(sender.accountId);
      if (mute) {
        const until = mute.expiresAt ? `until ${mute.expiresAt}` : "until an operator lifts it";
        return {
          code: ChatError.MUTED,
          message: `You are muted ${until}: ${mute.reason}`,
          until: mute.expiresAt,
        };
      }
      const at = now();
      if (at - prunedAt > PRUNE_EVERY_MS) {
        limiter.prune(at);
        prunedAt = at;
      }
      if (!limiter.take(sender.characterId, request.channel, at).ok) {
        return chatRefusal(ChatError.RATE_LIMITED);
      }
      const line: ChatLine = {
        type: ServerMessage.chat,
        id: newMessageId(),
        channel: request.channel,
        from: sender.name,
        fromId: sender.characterId,
        text: request.text,
        at,
      };
      switch (request.channel) {
        case "say":
          room.say(line);
          return undefined;
        case "zone":
          await presence.publish(Channels.zone(sender.zoneId), line);
          return undefined;
        case "world":
          await presence.publish(Channels.world, line);
          return undefined;
        case "party":
          if (!sender.partyId) return chatRefusal(ChatError.NOT_IN_PARTY);
          await presence.publish(Channels.party(sender.partyId), line);
          return undefined;
        case "guild": {
          // The room's copy (read at join, refreshed by guild notices); the store checks it again.
          const guildId = sender.guildId ?? (await directory.guildOf(sender.characterId));
          if (!guildId) return chatRefusal(ChatError.NOT_IN_GUILD);
          try {
            await directory.appendGuildChat(guildId, sender.characterId, sender.name, line.text);
          } catch (error) {
            // Left or kicked on another process since the look-up.
            if (error instanceof GameError && error.code !== "INTERNAL") {
              return chatRefusal(ChatError.NOT_IN_GUILD);
            }
            throw error;
          }
          await presence.publish(Channels.guild(guildId), line);
          return undefined;
        }
        case "whisper":
          return whisper(sender, line, request.to, room);
      }
    },
    /** The sender left for good: its buckets go. */
    forget(characterId: string): void {
      limiter.forget(characterId);
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
