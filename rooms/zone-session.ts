/**
 * A player's session in a zone room, and the room's two indexes of them (by socket session id and
 * by character id). A reconnect keeps the session id, so both indexes survive it.
 */
import type { Client } from "@colyseus/core";
import { createInterestSet, type InterestSet } from "../src/game/world/interest.ts";
import { TokenBucket } from "../src/session/token-bucket.ts";
import type { RoomObserver } from "./room-services.ts";
import type { TransferSession } from "./zone-transfer.ts";
import { MESSAGE_BURST, MESSAGES_PER_SEC } from "./zone-messages.ts";

export type NewSession = {
  client: Client;
  characterId: string;
  accountId: string;
  /** The character lock's holder id for this session. */
  holder: string;
  /** Where the character entered: the last position saved. */
  x: number;
  y: number;
  refreshPhase: number;
  nowMs: number;
};

export class ZoneSession implements TransferSession {
  client: Client;
  readonly characterId: string;
  readonly accountId: string;
  readonly holder: string;
  readonly interest: InterestSet = createInterestSet();
  readonly bucket: TokenBucket;
  rejected = 0;
  rejectWindowStart: number;
  /** Set once the character has been handed to another room: nothing more to save here. */
  handedOff = false;
  /** The `transfer` message of a hand-over, sent again if the client reconnects. */
  pendingTransfer?: { zone: string; reservation: unknown };
  lastSavedX: number;
  lastSavedY: number;
  /** Which tick parity refreshes this client's area of interest (see INTEREST_REFRESH_TICKS). */
  readonly refreshPhase: number;

  constructor(init: NewSession) {
    this.client = init.client;
    this.characterId = init.characterId;
    this.accountId = init.accountId;
    this.holder = init.holder;
    this.bucket = new TokenBucket(MESSAGE_BURST, MESSAGES_PER_SEC, init.nowMs);
    this.rejectWindowStart = init.nowMs;
    this.lastSavedX = init.x;
    this.lastSavedY = init.y;
    this.refreshPhase = init.refreshPhase;
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
