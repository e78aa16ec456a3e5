/**
 * The room's input gate: every client intent passes the sender's token bucket and its zod
 * schema before it is queued for the next tick. Refusals are answered to the sender (throttled)
 * and counted; a client that keeps sending refused messages (unknown types included) is
 * disconnected.
 */
import { CloseCode } from "@colyseus/core";
import { ServerMessage } from "../clients/js/message-names.ts";
import type { ErrorCode } from "../src/errors.ts";
import type { Logger } from "../src/logger.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { SchemaSync } from "../schema/to-schema.ts";
import type { RoomErrorMessage } from "./room-refusals.ts";
import type { RoomServices } from "./room-services.ts";
import { actionFromWire } from "./wire-ids.ts";
import {
  MAX_REJECTED,
  REJECT_WINDOW_MS,
  toSimAction,
  ZoneMessages,
  type ZoneMessageType,
} from "./zone-messages.ts";
import type { ZoneSession } from "./zone-session.ts";

export type InputHost = {
  readonly services: RoomServices;
  readonly sim: ZoneSimulation;
  readonly sync: SchemaSync;
  readonly log: Logger;
};

/** Validates one client message and queues it as a simulation action, or refuses it. */
export function receiveInput(
  host: InputHost,
  session: ZoneSession,
  type: ZoneMessageType,
  message: unknown,
): void {
  const now = Date.now();
  if (!session.bucket.take(now)) {
    return refuseInput(host, session, type, "RATE_LIMITED", "too many messages", now);
  }
  const parsed = ZoneMessages[type].safeParse(message);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join(".") || type}: ${i.message}`)
      .join("; ");
    return refuseInput(host, session, type, "INVALID_MESSAGE", detail, now);
  }
  host.services.observer?.messageReceived?.(type);
  host.sim.queue(actionFromWire(toSimAction(session.characterId, type, parsed.data), host.sync));
}

/** Longest message type echoed back in an `error` (the client chose it). */
const MAX_TYPE_ECHO = 64;

/**
 * A message type no handler knows (issue 14): refused like an invalid message, with an `error`
 * naming it, and counted toward the same budget, so only a client that keeps sending them is
 * disconnected. Metrics count them under one label: the type is the client's choice.
 */
export function refuseUnknownType(
  host: InputHost,
  session: ZoneSession,
  type: string | number,
): void {
  const shown = String(type).slice(0, MAX_TYPE_ECHO);
  const detail = `unknown message type "${shown}"`;
  refuseInput(host, session, shown, "INVALID_MESSAGE", detail, Date.now(), "unknown");
}

function refuseInput(
  host: InputHost,
  session: ZoneSession,
  type: string,
  code: ErrorCode,
  message: string,
  now: number,
  metricType: string = type,
): void {
  host.services.observer?.messageRejected?.(metricType, code);
  if (now - session.rejectWindowStart > REJECT_WINDOW_MS) {
    session.rejectWindowStart = now;
    session.rejected = 0;
  }
  session.rejected += 1;
  if (session.rejected === 1 || session.rejected % 10 === 0) {
    session.client.send(ServerMessage.error, { code, message, type } satisfies RoomErrorMessage);
  }
  if (session.rejected > MAX_REJECTED) {
    host.log.warn({ characterId: session.characterId, code }, "disconnecting abusive client");
    session.client.leave(CloseCode.WITH_ERROR, "too many rejected messages");
  }
}
