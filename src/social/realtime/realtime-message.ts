import { createHash, randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { Channels } from "../../infra/channels.ts";

/**
 * What travels on the personal, party, guild, zone and world channels: a plain object whose
 * `type` is the client message type it is relayed as. `id` makes delivery exactly-once across a
 * portal or reconnect (see held-messages.ts); publishers should set it with `newMessageId()`.
 */
export type RealtimeMessage = { type: string; id?: string; [field: string]: unknown };

export function newMessageId(): string {
  return randomUUID();
}

/** Every realtime message has an id: its own, or a digest of its content when a publisher set none. */
export function messageIdOf(message: RealtimeMessage): string {
  if (typeof message.id === "string" && message.id.length > 0) return message.id;
  return createHash("sha1").update(JSON.stringify(message)).digest("base64url");
}

export function isRealtimeMessage(value: unknown): value is RealtimeMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string"
  );
}

/** Publishes `message` (given an id if it has none) to the room holding `characterId`, on any process. */
export async function publishToPlayer(
  presence: Presence,
  characterId: string,
  message: RealtimeMessage,
): Promise<void> {
  await presence.publish(Channels.player(characterId), { id: newMessageId(), ...message });
}
