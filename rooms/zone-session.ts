/**
 * A player's session in a zone room, and the room's two indexes of them (by socket session id and
 * by character id). A reconnect keeps the session id, so both indexes survive it.
 */
import type { Client } from "@colyseus/core";
import { TokenBucket } from "../src/session/token-bucket.ts";
import type { FeatureSession } from "./room-feature.ts";
import type { RoomObserver } from "./room-services.ts";
import type { TransferSession } from "./zone-transfer.ts";
import { MESSAGE_BURST, MESSAGES_PER_SEC } from "./zone-messages.ts";

/** Messages held for a dropped socket at most; past it the oldest are let go. */
export const HELD_MESSAGES_MAX = 100;

export type NewSession = {
  client: Client;
  characterId: string;
  accountId: string;
  /** The character's display name. */
  name: string;
  /** The character lock's holder id for this session. */
  holder: string;
  /** Where the character entered: the last position saved. */
  x: number;
  y: number;
  nowMs: number;
};

export class ZoneSession implements TransferSession, FeatureSession {
  client: Client;
  readonly characterId: string;
  readonly accountId: string;
  readonly name: string;
  readonly holder: string;
  readonly bucket: TokenBucket;
  rejected = 0;
  rejectWindowStart: number;
  /** Set once the character has been handed to another room: nothing more to save here. */
  handedOff = false;
  /** True while the socket is dropped and the room holds the session for a reconnect. */
  dropped = false;
  /** What `send` held while the socket was dropped, oldest first. */
  private held: [type: string, payload: unknown][] = [];
  /** The `transfer` message of a hand-over, sent again if the client reconnects. */
  pendingTransfer?: { zone: string; reservation: unknown };
  /** The position last queued for saving (rooms/save-schedule.ts). */
  lastSavedX: number;
  lastSavedY: number;
  /** Queued position-only since its last whole save: hp, mp and timers are older in the database. */
  movedSinceWholeSave = false;

  constructor(init: NewSession) {
    this.client = init.client;
    this.characterId = init.characterId;
    this.accountId = init.accountId;
    this.name = init.name;
    this.holder = init.holder;
    this.bucket = new TokenBucket(MESSAGE_BURST, MESSAGES_PER_SEC, init.nowMs);
    this.rejectWindowStart = init.nowMs;
    this.lastSavedX = init.x;
    this.lastSavedY = init.y;
  }

  /** Sends to the player now, or holds the message for the reconnect while the socket is down. */
  send(type: string, payload: unknown): void {
    if (!this.dropped) return this.client.send(type, payload);
    if (this.held.length >= HELD_MESSAGES_MAX) this.held.shift();
    this.held.push([type, payload]);
  }

  /** The socket dropped: hold what is sent from now on. */
  drop(): void {
    this.dropped = true;
  }

  /** Back on `client` after a drop: what was held goes out first, in order, once. */
  resume(client: Client): void {
    this.client = client;
    this.dropped = false;
    const held = this.held;
    this.held = [];
    for (const [type, payload] of held) client.send(type, payload);
  }

  /** The session ends: nothing held is delivered any more. */
  end(): void {
    this.dropped = false;
    this.held = [];
  }
}

/** The room's sessions, by socket session id and by character id. */
export class SessionRegistry {
  private readonly bySession = new Map<string, ZoneSession>();
  private readonly byCharacter = new Map<string, ZoneSession>();

  add(session: ZoneSession): void {
    this.bySession.set(session.client.sessionId, session);
    this.byCharacter.set(session.characterId, session);
  }

  remove(session: ZoneSession): void {
    this.bySession.delete(session.client.sessionId);
    this.byCharacter.delete(session.characterId);
  }

  /** The session of a socket (its session id survives a reconnect). */
  bySessionId(sessionId: string): ZoneSession | undefined {
    return this.bySession.get(sessionId);
  }

  of(characterId: string): ZoneSession | undefined {
    return this.byCharacter.get(characterId);
  }

  /** Whether the socket's session is still in the room. */
  has(session: { client: Client }): boolean {
    return this.bySession.has(session.client.sessionId);
  }

  values(): IterableIterator<ZoneSession> {
    return this.bySession.values();
  }
}

/** Counts the bytes a room sends a client (state patches and messages) for metrics. */
export function meterBytesSent(client: Client, roomName: string, observer?: RoomObserver): void {
  const observe = observer?.bytesSent;
  if (!observe) return;
  const raw = client.raw.bind(client);
  client.raw = (data, options, cb) => {
    observe(roomName, data.byteLength);
    raw(data, options, cb);
  };
}
