/**
 * Room refusals on the one error catalogue (src/errors.ts). Colyseus hands a join refusal to
 * the SDK as a number and a message only: over HTTP matchmaking (`onAuth`, `onCreate`) the
 * number becomes the response status and the SDK's MatchMakeError keeps just the status and
 * the message; over the socket (`onJoin`) the SDK's ServerError gets the same two. So the number
 * is the catalogue's HTTP status and the message starts with the stable code:
 * `"ZONE_FULL: zone is full"`. `refusalCodeOf` reads it back.
 */
import { ServerError } from "@colyseus/core";
import { ErrorCode } from "../src/errors.ts";
import type { Logger } from "../src/logger.ts";

/** A join refusal: the catalogue status, and `CODE: detail` as the message. */
export function refusal(code: ErrorCode, detail: string = ErrorCode[code].message): ServerError {
  return new ServerError(ErrorCode[code].status, `${code}: ${detail}`);
}

const CODED = /^([A-Z][A-Z0-9_]*): /;

/** The catalogue code at the head of a refusal's message, if it has one. */
export function refusalCodeOf(error: { message?: unknown }): ErrorCode | undefined {
  const match = typeof error.message === "string" ? CODED.exec(error.message) : null;
  const code = match?.[1];
  return code !== undefined && Object.hasOwn(ErrorCode, code) ? (code as ErrorCode) : undefined;
}

/** An in-room refusal of a client message: sent to the sender as `error`. */
export type RoomErrorMessage = { code: ErrorCode; message: string; type: string };

/**
 * Logs what Colyseus hands a room's onUncaughtException: every throw of a room method, the
 * refusals of onCreate and onJoin included (Colyseus still sends those to the client). A
 * refusal is expected and logged at info; anything else is a bug.
 */
export function logRoomException(log: Logger, error: Error, methodName: string): void {
  if (error.cause instanceof ServerError) {
    log.info({ method: methodName, refusal: error.cause.message }, "refused");
  } else {
    log.error({ err: error, method: methodName }, "uncaught exception in room");
  }
}
