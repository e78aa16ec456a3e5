/**
 * Area notices: the short events everyone near a spot is told about (a hit, a death, a cast).
 * A client gets all of one tick's area notices in a single `notices` message, an array of
 * notice objects each carrying its `type`, in the order they happened. Messages meant for one
 * player alone (`looted`, `xpGained`, `npc`, …) keep their own message types and leave as they
 * happen, so they arrive before the `notices` of the same tick (an `xpGained` before the `died`).
 */

/** The message type that carries a tick's area notices. */
export const NOTICES_MESSAGE = "notices";

export const AREA_NOTICE_TYPES = [
  "damaged",
  "missed",
  "died",
  "healed",
  "castStarted",
  "casted",
  "castCancelled",
  "effectApplied",
  "effectExpired",
  "leveledUp",
] as const;

export type AreaNoticeType = (typeof AREA_NOTICE_TYPES)[number];

const AREA_TYPES: ReadonlySet<string> = new Set(AREA_NOTICE_TYPES);

export function isAreaNotice(type: string): type is AreaNoticeType {
  return AREA_TYPES.has(type);
}

/**
 * Hands each notice of a `notices` message to the handler registered for its type; notice types
 * without a handler (a newer server may send more) are skipped.
 */
export function routeNotices(
  batch: unknown,
  handlers: ReadonlyMap<string, (notice: never) => void>,
): void {
  if (!Array.isArray(batch)) return;
  for (const notice of batch) {
    const type = (notice as { type?: unknown } | null)?.type;
    if (typeof type !== "string") continue;
    (handlers.get(type) as ((notice: unknown) => void) | undefined)?.(notice);
  }
}
