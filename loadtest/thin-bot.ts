/**
 * Thin load-test bots: they speak the Colyseus 0.18 wire protocol themselves over the `ws` package
 * and never decode state, so one core drives thousands of them. To the server each is an ordinary
 * client: the same REST calls as `loadtest/bot.ts` (register, create a character, `POST
 * /v1/world/join`), the room URL the SDK builds from the seat reservation (`Client.buildEndpoint`),
 * the JOIN_ROOM acknowledgement the SDK sends, `move` inputs at 10 Hz packed as `room.send` packs
 * them (a fresh `msgpackr` Packr behind a `ROOM_DATA` + type header), WebSocket pongs (the `ws`
 * package answers the server's pings), and the SDK's reconnection (same backoff, same
 * `reconnectionToken` + `skipHandshake` query) when the connection drops.
 *
 * What they measure: frames and payload bytes by protocol code, state frames and their gaps, and
 * the room messages (`error` and `transfer` are recognised by their header bytes, the rest only
 * counted). One timer drives every bot's inputs (loadtest/thin-pool.ts), not one interval per bot.
 */
import { CloseCode, Protocol } from "@colyseus/sdk";
import { unpack } from "msgpackr";
import WebSocket from "ws";
import {
  api,
  HttpError,
  newCharacterBody,
  recordError,
  registerAccount,
  withToken,
  type Account,
  type BotStats,
} from "./bot.ts";
import {
  DROP_CODES,
  encodeMove,
  ERROR_HEADER,
  hasHeader,
  JOIN_ACK,
  LEAVE,
  readErrorFrame,
  readReconnectionToken,
  RECONNECT,
  TRANSFER_HEADER,
  type SeatReservation,
} from "./thin-wire.ts";
import type { ThinPoolOptions } from "./thin-pool.ts";

/** What a bot needs of its pool. */
export type ThinBotHost = {
  readonly options: ThinPoolOptions;
  /** The room URL for a seat reservation, as the SDK builds it. */
  endpoint(reservation: SeatReservation): string;
};

/** An error as `<kind>: <detail>`, the kind being what `recordError` groups by. */
function describe(err: unknown): string {
  if (err instanceof HttpError) {
    const [path, ...rest] = err.message.split(": ");
    return `${path} ${err.status}: ${rest.join(": ")}`;
  }
  return (err as Error).message;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

export type ThinBotState = "setup" | "joining" | "live" | "reconnecting" | "rejoining" | "stopped";

/** One thin bot: one character, one room connection at a time. */
export class ThinBot {
  state: ThinBotState = "setup";
  characterId = "";
  sessionId = "";
  roomId = "";
  /** Full states and patches received by this bot. */
  stateFrames = 0;
  private readonly pool: ThinBotHost;
  private readonly clientIp: string | undefined;
  private account: Account | undefined;
  private ws: WebSocket | undefined;
  private endpoint = "";
  private reconnectionToken = "";
  private joined = false;
  private connectedAt = 0;
  private droppedAt = 0;
  private retries = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastStateAt = 0;
  private seq = 0;
  private dx = 1;
  private dy = 0;
  private nextTurnAt = 0;
  /** The next join's reservation when a `transfer` handed one over (instead of the REST call). */
  private handedOver: { zone: string; reservation: SeatReservation } | undefined;
  private joinSettled: ((error?: Error) => void) | undefined;
  private roomGone: (() => void) | undefined;

  constructor(
    pool: ThinBotHost,
    clientIp: string | undefined,
    account: Account | undefined,
    characterId?: string,
  ) {
    this.pool = pool;
    this.clientIp = clientIp;
    this.account = account;
    if (characterId) this.characterId = characterId;
  }

  private get stats(): BotStats {
    return this.pool.options.stats;
  }

  /** In a room with an open connection. */
  isLive(): boolean {
    return this.state === "live" && this.ws?.readyState === WebSocket.OPEN;
  }

  /**
   * Cuts the connection without a close frame, as a network failure would (the server sees an
   * abnormal closure and holds the seat). False unless live for at least 1 s.
   */
  dropConnection(): boolean {
    if (!this.isLive() || performance.now() - this.connectedAt < 1000) return false;
    this.stats.forcedDrops += 1;
    this.ws!.terminate();
    return true;
  }

  async run(): Promise<void> {
    const { url, signal } = this.pool.options;
    // A refused setup is counted and tried again (3 times), as a player would.
    for (let attempt = 1; !this.characterId; attempt++) {
      try {
        this.account ??= await registerAccount(url, this.clientIp);
        if (attempt === 1) this.account.characters += 1;
        const created = await this.authed<{ id: string }>("/v1/characters", newCharacterBody("T"));
        this.characterId = created.id;
      } catch (err) {
        recordError(this.stats, `setup ${describe(err)}`);
        if (attempt === 3 || signal.aborted) {
          this.state = "stopped";
          return;
        }
        await sleep(1000 + Math.random() * 2000, signal);
      }
    }
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
    let first = true;
    while (!signal.aborted) {
      this.state = first ? "joining" : "rejoining";
      const gone = new Promise<void>((resolve) => (this.roomGone = resolve));
      try {
        await this.join(first);
        first = false;
      } catch (err) {
        recordError(this.stats, `join ${describe(err)}`);
        await sleep(2000 + Math.random() * 2000, signal);
        continue;
      }
      await Promise.race([gone, stopped]);
      if (!signal.aborted && !this.handedOver) {
        this.stats.rejoins += 1;
        await sleep(1000 + Math.random() * 1000, signal);
      }
    }
    await this.leave();
    this.state = "stopped";
  }

  private authed<T>(path: string, body: unknown): Promise<T> {
    const { url } = this.pool.options;
    return withToken(
      this.account!,
      this.stats,
      (token) => api<T>(url, path, { token, clientIp: this.clientIp, body }),
      (refreshToken) =>
        api(url, "/v1/auth/refresh", { clientIp: this.clientIp, body: { refreshToken } }),
    );
  }

  private async join(first: boolean): Promise<void> {
    const started = performance.now();
    const handed = this.handedOver;
    this.handedOver = undefined;
    const { reservation } =
      handed ??
      (await this.authed<{ zone: string; reservation: SeatReservation }>("/v1/world/join", {
        characterId: this.characterId,
      }));
    this.sessionId = reservation.sessionId;
    this.roomId = reservation.roomId;
    this.endpoint = this.pool.endpoint(reservation);
    this.joined = false;
    await new Promise<void>((resolve, reject) => {
      this.joinSettled = (error) => (error ? reject(error) : resolve());
      this.open(this.endpoint);
    });
    if (first) this.stats.joinLatency.add(performance.now() - started);
    if (handed) this.stats.transfers += 1;
  }

  private open(url: string) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws = ws;
    ws.on("message", (data: Buffer) => this.receive(ws, data));
    ws.on("close", (code: number) => this.closed(ws, code));
    // A failed connect also closes (code 1006); the close handler decides what happens next.
    ws.on("error", () => undefined);
  }

  private receive(ws: WebSocket, data: Buffer) {
    if (ws !== this.ws) return;
    const code = data[0]! & 0x1f;
    const frames = this.pool.options.frames;
    const stats = this.stats;
    frames.frames[code]! += 1;
    frames.bytes[code]! += data.length;
    stats.bytes += data.length;
    if (code === Protocol.ROOM_STATE_PATCH || code === Protocol.ROOM_STATE) {
      stats.patches += 1;
      this.stateFrames += 1;
      const now = performance.now();
      if (this.lastStateAt) stats.patchGaps.add(now - this.lastStateAt);
      this.lastStateAt = now;
    } else if (code === Protocol.ROOM_DATA || code === Protocol.ROOM_DATA_BYTES) {
      stats.messages += 1;
      if (hasHeader(data, ERROR_HEADER)) {
        const payload = unpack(data.subarray(ERROR_HEADER.length)) as unknown;
        recordError(stats, `room error message: ${JSON.stringify(payload).slice(0, 200)}`);
      } else if (hasHeader(data, TRANSFER_HEADER)) {
        this.transfer(unpack(data.subarray(TRANSFER_HEADER.length)) as never);
      }
    } else if (code === Protocol.JOIN_ROOM) {
      this.joinedRoom(ws, data);
    } else if (code === Protocol.ERROR) {
      const { code: errorCode, message } = readErrorFrame(data);
      const error = `room.onError ${errorCode}: ${message.slice(0, 200)}`;
      // A refused join is counted once, by the join's own failure.
      if (this.joined) recordError(stats, error);
      else this.settleJoin(new Error(error));
    } else if (code === Protocol.LEAVE_ROOM) {
      // The SDK answers a server-asked leave with its own consented leave.
      ws.send(LEAVE);
    }
  }

  private joinedRoom(ws: WebSocket, data: Buffer) {
    this.reconnectionToken = readReconnectionToken(data);
    ws.send(JOIN_ACK);
    const now = performance.now();
    this.connectedAt = now;
    this.lastStateAt = 0;
    if (!this.joined) {
      this.joined = true;
      this.stats.connected += 1;
      this.stats.joins += 1;
      this.state = "live";
      this.settleJoin();
      return;
    }
    this.stats.reconnects += 1;
    if (this.droppedAt) this.stats.reconnectLatency.add(now - this.droppedAt);
    this.droppedAt = 0;
    this.retries = 0;
    this.state = "live";
  }

  private settleJoin(error?: Error) {
    const settle = this.joinSettled;
    this.joinSettled = undefined;
    settle?.(error);
  }

  private closed(ws: WebSocket, code: number) {
    if (ws !== this.ws) return;
    this.ws = undefined;
    if (!this.joined) {
      this.settleJoin(new Error(`room connection closed before joining, code ${code}`));
      return;
    }
    const { signal } = this.pool.options;
    const reconnectable =
      DROP_CODES.has(code) && !signal.aborted && this.state !== "stopped" && !this.handedOver;
    if (reconnectable && this.state === "live") {
      if (performance.now() - this.connectedAt < RECONNECT.minUptimeMs) {
        this.left(code, "room uptime too short for reconnection");
        return;
      }
      this.stats.drops += 1;
      this.droppedAt = performance.now();
      this.retries = 0;
      this.state = "reconnecting";
    }
    if (reconnectable && this.state === "reconnecting") {
      this.retryReconnect();
      return;
    }
    this.left(code);
  }

  /** The SDK's exponential backoff: 200, 400, 800 ms … capped at 5 s, at most 30 tries. */
  private retryReconnect() {
    if (this.retries >= RECONNECT.maxRetries) {
      this.left(CloseCode.FAILED_TO_RECONNECT, "no more retries");
      return;
    }
    this.retries += 1;
    const delay = Math.min(
      RECONNECT.maxDelayMs,
      Math.max(RECONNECT.minDelayMs, 2 ** this.retries * RECONNECT.delayMs),
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state !== "reconnecting") return;
      // As Connection.reconnect: the join URL with these two query parameters set.
      const url = new URL(this.endpoint);
      url.searchParams.set("reconnectionToken", this.reconnectionToken);
      url.searchParams.set("skipHandshake", "true");
      this.open(url.toString());
    }, delay);
  }

  private left(code: number, reason = "") {
    const wasReconnecting = this.state === "reconnecting";
    this.joined = false;
    this.stats.connected -= 1;
    if (this.state !== "stopped" && !this.pool.options.signal.aborted && !this.handedOver) {
      if (wasReconnecting) {
        this.stats.failedReconnects += 1;
        recordError(this.stats, `reconnect failed (code ${code}): ${reason}`);
      } else if (code !== CloseCode.CONSENTED) {
        recordError(this.stats, `left room unexpectedly (code ${code}): ${reason}`);
      }
    }
    if (this.state !== "stopped") this.state = "rejoining";
    const gone = this.roomGone;
    this.roomGone = undefined;
    gone?.();
  }

  /** Follows a portal hand-over: leaves this room, then joins with the reservation it carried. */
  private transfer(message: { zone?: unknown; reservation?: SeatReservation }) {
    if (!message?.reservation || typeof message.zone !== "string") {
      recordError(this.stats, "transfer: no reservation in the message");
      return;
    }
    this.handedOver = { zone: message.zone, reservation: message.reservation };
    this.ws?.send(LEAVE);
  }

  /** Sends this period's `move` input (called by the pool's timer). */
  input(now: number) {
    const ws = this.ws;
    if (this.state !== "live" || !ws || ws.readyState !== WebSocket.OPEN) return;
    if (now >= this.nextTurnAt) {
      this.nextTurnAt = now + 2000 + Math.random() * 3000;
      const a = Math.random() * Math.PI * 2;
      this.dx = Math.cos(a);
      this.dy = Math.sin(a);
    }
    this.seq += 1;
    ws.send(encodeMove(this.dx, this.dy, this.seq));
  }

  /** Leaves on purpose (as `room.leave(true)`), waiting at most 5 s for the server to close. */
  private async leave(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    const wasJoined = this.joined;
    this.state = "stopped";
    if (!ws) {
      if (wasJoined) this.left(CloseCode.CONSENTED);
      return;
    }
    if (ws.readyState !== WebSocket.OPEN) {
      ws.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5000);
      ws.once("close", () => {
        clearTimeout(t);
        resolve();
      });
      ws.send(LEAVE);
    });
  }
}
