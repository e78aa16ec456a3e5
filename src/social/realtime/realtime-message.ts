import { randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { Channels } from "../../infra/channels.ts";

/**
 * What travels on the personal, party, guild, zone and world channels: a plain object whose
 * `type` is the client message type it is relayed as. `id` makes delivery exactly-once across a
 * portal hand-over (see room-delivery.ts); publishers should set it with `newMessageId()`. A
 * message without one is never dropped as a copy (so it may arrive twice around a portal).
 */
export type RealtimeMessage = { type: string; id?: string; [field: string]: unknown };

export function newMessageId(): string {
  return randomUUID();
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
