/**
 * The bytes thin bots (loadtest/thin-bot.ts) put on and read off the wire, as `@colyseus/sdk` 0.18
 * and `@colyseus/core` 0.18 lay them out: `[Protocol code][type as a schema string][msgpack]` for
 * room messages, JOIN_ROOM's `[code][token length][token]…` handshake, ERROR's `[code][number]
 * [string]`, and the SDK's reconnection settings.
 */
import { CloseCode, Protocol } from "@colyseus/sdk";
import { decode, encode, type Iterator } from "@colyseus/schema";
import { Packr, RESERVE_START_SPACE } from "msgpackr";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";

/** Frames and payload bytes received, indexed by protocol code (the low 5 bits of byte 0). */
export type FrameCounts = { frames: Float64Array; bytes: Float64Array };

export function newFrameCounts(): FrameCounts {
  return { frames: new Float64Array(32), bytes: new Float64Array(32) };
}

/** What `POST /v1/world/join` and the `transfer` message carry (`ISeatReservation`). */
export type SeatReservation = { roomId: string; sessionId: string; reconnectionToken?: string };

/** The SDK's defaults, with the reconnection settings `loadtest/bot.ts` gives its rooms. */
export const RECONNECT = {
  minUptimeMs: 100,
  maxRetries: 30,
  delayMs: 100,
  minDelayMs: 100,
  maxDelayMs: 5000,
};
/** Close codes after which the SDK reconnects instead of leaving (Room.connect). */
export const DROP_CODES = new Set<number>([
  CloseCode.NO_STATUS_RECEIVED,
  CloseCode.ABNORMAL_CLOSURE,
  CloseCode.GOING_AWAY,
  CloseCode.MAY_TRY_RECONNECT,
]);

/** `[code, type]` as `room.send` writes it before the msgpack payload. */
function messageHeader(code: number, type: string): Buffer {
  const bytes = Buffer.alloc(64);
  bytes[0] = code;
  const it: Iterator = { offset: 1 };
  encode.string(bytes, type, it);
  return bytes.subarray(0, it.offset);
}
const MOVE_HEADER = messageHeader(Protocol.ROOM_DATA, ClientMessage.move);
export const ERROR_HEADER = messageHeader(Protocol.ROOM_DATA, ServerMessage.error);
export const TRANSFER_HEADER = messageHeader(Protocol.ROOM_DATA, ServerMessage.transfer);
export const JOIN_ACK = Buffer.from([Protocol.JOIN_ROOM]);
export const LEAVE = Buffer.from([Protocol.LEAVE_ROOM]);
/** Packr keeps no state between messages (records are defined inline), so one serves every bot. */
const packr = new Packr();
const moveInput = { dx: 0, dy: 0, seq: 0 };

/** A `move` frame byte for byte as `room.send("move", { dx, dy, seq })` encodes it. */
export function encodeMove(dx: number, dy: number, seq: number): Uint8Array {
  moveInput.dx = dx;
  moveInput.dy = dy;
  moveInput.seq = seq;
  const data = packr.pack(moveInput, RESERVE_START_SPACE | MOVE_HEADER.length);
  data.set(MOVE_HEADER, 0);
  return data;
}

/** Whether a received frame starts with `header` (a room message of that type). */
export function hasHeader(data: Buffer, header: Buffer): boolean {
  return (
    data.length >= header.length && data.compare(header, 0, header.length, 0, header.length) === 0
  );
}

/** The reconnection token in a JOIN_ROOM frame (its length is one byte, as the SDK reads it). */
export function readReconnectionToken(data: Buffer): string {
  return data.toString("utf8", 2, 2 + data[1]!);
}

/** An ERROR frame's code and message. */
export function readErrorFrame(data: Buffer): { code: number; message: string } {
  const it: Iterator = { offset: 1 };
  const code = decode.number(data, it);
  return { code, message: decode.string(data, it) };
}
