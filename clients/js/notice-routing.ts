/**
 * Listening to a room by message type: area notices arrive batched per tick in one `notices`
 * message (each a positional array, clients/js/notice-layout.ts, in the order they happened),
 * everything else as its own room message. `listenTo` hides the difference, so a handler is
 * registered the same way for `damaged` (an area notice) as for `looted` (a message), and gets
 * the payload typed, as an object with its `type`.
 */
import {
  isAreaNotice,
  NOTICES_MESSAGE,
  type AreaNoticeType,
  type ServerMessageType,
} from "./message-names.ts";
import { unpackNotice } from "./notice-layout.ts";
import type { ServerPayload } from "./server-messages.ts";

/**
 * Hands each notice of a `notices` message, unpacked to an object with its `type`, to the
 * handler registered for its type; notices without a handler, or of a type this kit does not
 * know (a newer server may send more), are skipped.
 */
export function routeNotices(
  batch: unknown,
  handlers: ReadonlyMap<string, (notice: never) => void>,
): void {
  if (!Array.isArray(batch)) return;
  for (const wire of batch) {
    const notice = unpackNotice(wire);
    if (notice === undefined) continue;
    (handlers.get(notice.type) as ((notice: unknown) => void) | undefined)?.(notice);
  }
}

/** The part of a Colyseus room (`@colyseus/sdk` Room) that receives. */
export type MessageSource = {
  onMessage(type: string, handler: (message: unknown) => void): unknown;
};

export type ListenedType = ServerMessageType | AreaNoticeType;

/** Registers a handler for one server message or area notice type. */
export type On = <K extends ListenedType>(
  type: K,
  handler: (message: ServerPayload<K>) => void,
) => void;

/**
 * Routes `room`'s messages to handlers registered with the returned `on`. `active` is asked
 * before every delivery (false: dropped, e.g. once the client moved on to another room).
 */
export function listenTo(room: MessageSource, active: () => boolean = () => true): On {
  const area = new Map<string, (notice: never) => void>();
  room.onMessage(NOTICES_MESSAGE, (batch: unknown) => {
    if (active()) routeNotices(batch, area);
  });
  return (type, handler) => {
    if (isAreaNotice(type)) {
      area.set(type, handler as (notice: never) => void);
      return;
    }
    room.onMessage(type, (message: unknown) => {
      if (active()) handler(message as ServerPayload<typeof type>);
    });
  };
}
