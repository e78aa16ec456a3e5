import type { Presence } from "@colyseus/core";
import { isRealtimeMessage, type RealtimeMessage } from "./realtime-message.ts";

/** Messages for a character in transit wait this long for the room it lands in. */
export const HELD_TTL_SEC = 30;

const heldKey = (characterId: string) => `mmo:held:${characterId}`;

/**
 * The presence list where the room a character is leaving parks what arrives for it during a
 * portal hand-over; the room it lands in drains it (any process). Ids make re-delivery harmless.
 */
export async function holdMessage(
  presence: Presence,
  characterId: string,
  message: RealtimeMessage,
): Promise<void> {
  const key = heldKey(characterId);
  await presence.rpush(key, JSON.stringify({ heldAt: Date.now(), message }));
  // Redis drops the list after the TTL; LocalPresence's expire only covers plain keys, so each
  // entry also carries its time and a late drain skips stale ones.
  await presence.expire(key, HELD_TTL_SEC);
}

/** Takes every held message for the character, oldest first. */
export async function drainHeld(
  presence: Presence,
  characterId: string,
): Promise<RealtimeMessage[]> {
  const key = heldKey(characterId);
  const out: RealtimeMessage[] = [];
  for (;;) {
    const raw = await presence.lpop(key);
    if (raw === null || raw === undefined) return out;
    try {
      const parsed = JSON.parse(raw) as { heldAt?: unknown; message?: unknown };
      const fresh =
        typeof parsed.heldAt === "number" && Date.now() - parsed.heldAt <= HELD_TTL_SEC * 1000;
      if (fresh && isRealtimeMessage(parsed.message)) out.push(parsed.message);
    } catch {
      // Not ours: skip it.
    }
  }
}
