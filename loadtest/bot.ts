/**
 * One load-test bot on the official `@colyseus/sdk`: registers an account (or reuses a shared one),
 * creates a character, joins the world through `POST /v1/world/join`, walks with `move` inputs at
 * 10 Hz (new direction every 2–5 s), attacks mobs that come into view, crosses portals (some bots
 * head for one) by following `transfer` messages, and rejoins when the room is lost for good (the
 * SDK itself reconnects dropped connections). A `BotControl` lets a driver cut its connection or
 * make it leave and rejoin (the soak test).
 *
 * Used by `loadtest/headless.ts` (benchmarks, CI), `loadtest/soak.ts` and `loadtest/colyseus.ts`
 * (@colyseus/loadtest).
 */
import { randomBytes } from "node:crypto";
import { Client, Room } from "@colyseus/sdk";
import { Kind } from "../schema/entity-kind.ts";
import { sendMessage } from "../clients/js/client-messages.ts";
import { extrapolate, type Motion } from "../clients/js/dead-reckoning.ts";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import type { Schemas } from "../clients/js/rest.ts";
import type { ServerPayloads } from "../clients/js/server-messages.ts";

/** Millisecond histogram with 1 ms buckets up to 10 s (the last bucket holds everything above). */
export class MsHistogram {
  readonly counts = new Uint32Array(10_001);
  total = 0;
  add(ms: number) {
    const i = Math.min(this.counts.length - 1, Math.max(0, Math.round(ms)));
    this.counts[i]! += 1;
    this.total += 1;
  }
  merge(other: MsHistogram) {
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
  }
  reset() {
    this.counts.fill(0);
    this.total = 0;
  }
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i;
    }
    return this.counts.length - 1;
  }
}

/** Counters shared by many bots (one object per generator). */
export type BotStats = {
  /** Bots currently inside a room. */
  connected: number;
  /** Successful first joins, transfers and rejoins. */
  joins: number;
  /** Time from the start of `POST /v1/world/join` to the room being joined (first joins only). */
  joinLatency: MsHistogram;
  /** Gaps between two state patches on one client. */
  patchGaps: MsHistogram;
  patches: number;
  /** Non-patch room messages received. */
  messages: number;
  /** WebSocket payload bytes received by all bots (frames' data, no WS/TCP framing). */
  bytes: number;
  transfers: number;
  attacks: number;
  drops: number;
  reconnects: number;
  /** Time from a drop to the SDK's reconnection. */
  reconnectLatency: MsHistogram;
  /** Drops the SDK did not recover from (the room was left while reconnecting). */
  failedReconnects: number;
  /** Of those, the ones that came less than 5 s after the bot asked for a portal. */
  failedReconnectsNearPortal: number;
  /** Connections cut on purpose through `BotControl.dropConnection`. */
  forcedDrops: number;
  /** Rooms left on purpose through `BotControl.leaveAndRejoin`. */
  leaves: number;
  /** Joins after a room was lost or left. */
  rejoins: number;
  /** Access tokens renewed through `/v1/auth/refresh` after a 401. */
  tokenRefreshes: number;
  errors: number;
  /** Errors by kind (the text before the first colon or parenthesis). */
  errorKinds: Record<string, number>;
  /** The first few error texts, for the report. */
  errorSamples: string[];
};

export function newBotStats(): BotStats {
  return {
    connected: 0,
    joins: 0,
    joinLatency: new MsHistogram(),
    patchGaps: new MsHistogram(),
    patches: 0,
    messages: 0,
    bytes: 0,
    transfers: 0,
    attacks: 0,
    drops: 0,
    reconnects: 0,
    reconnectLatency: new MsHistogram(),
    failedReconnects: 0,
    failedReconnectsNearPortal: 0,
    forcedDrops: 0,
    leaves: 0,
    rejoins: 0,
    tokenRefreshes: 0,
    errors: 0,
    errorKinds: {},
    errorSamples: [],
  };
}

export function recordError(stats: BotStats, what: string) {
  stats.errors += 1;
  const kind = what.split(/[:(]/, 1)[0]!.trim();
  stats.errorKinds[kind] = (stats.errorKinds[kind] ?? 0) + 1;
  if (stats.errorSamples.length < 20) stats.errorSamples.push(what.slice(0, 300));
}

/** Bytes received per room, counted by wrapping the SDK's message callback once per process. */
const bytesSink = new WeakMap<object, BotStats>();
const routed = new WeakSet<object>();
const handlers = new WeakMap<object, (type: string | number, payload: unknown) => void>();
let bytesHooked = false;
function hookBytes() {
  if (bytesHooked) return;
  bytesHooked = true;
  const proto = Room.prototype as unknown as {
    onMessageCallback(this: object, event: { data: ArrayBuffer | Uint8Array }): void;
  };
  const original = proto.onMessageCallback;
  proto.onMessageCallback = function (event) {
    const stats = bytesSink.get(this);
    if (stats) stats.bytes += event.data.byteLength;
    else if (!routed.has(this)) {
      // Messages sent in onJoin (e.g. `welcome`) can arrive before the join promise resolves and
      // the bot registers its handlers: route every type from the first byte on.
      routed.add(this);
      (this as Room).onMessage("*", (type: string | number, payload: unknown) =>
        handlers.get(this)?.(type, payload),
      );
    }
    return original.call(this, event);
  };
}

export type Account = {
  token: string;
  refreshToken: string;
  characters: number;
  /** The refresh in flight: bots sharing the account wait for it (a rotated token is single-use). */
  refreshing?: Promise<void>;
};

/** What a driver can do to a running bot (see `BotOptions.onControl`). */
export type BotControl = {
  /** In a room with an open connection: not joining, reconnecting, transferring or leaving. */
  isLive(): boolean;
  /**
   * Cuts the room's TCP connection without a WebSocket close frame, as a network failure would,
   * so both sides see an abnormal closure and the SDK reconnects. False when the bot is not live,
   * or its connection is younger than 1 s (the SDK does not reconnect those: `minUptime`), or it
   * asked for a portal less than `spareHandoverMs` ago.
   */
  dropConnection(options?: { spareHandoverMs?: number }): boolean;
  /** Leaves the room on purpose, then joins again through `POST /v1/world/join`. */
  leaveAndRejoin(): boolean;
  /** Where the bot is, for reports: `live`, or why not (e.g. `rejoining`, `reconnecting`). */
  state(): BotState;
  /** Its character, once created. */
  characterId(): string | undefined;
  /** Stops heading for portals (a run winding down waits for every bot to be in a room). */
  holdPortals(): void;
};

export type BotState =
  | "setup"
  | "setup-failed"
  | "joining"
  | "rejoining"
  | "live"
  | "reconnecting"
  | "transferring"
  | "leaving"
  | "closed"
  | "stopped";

/**
 * How `BotControl.dropConnection` cut the last connection: `socket` (the TCP socket under Node's
 * WebSocket), `terminate` (the `ws` package) or `close-4010` (a close frame the server treats as a
 * drop, when neither is reachable).
 */
export let dropMethod: "socket" | "terminate" | "close-4010" | undefined;

function cutConnection(room: Room) {
  const ws = (room.connection.transport as unknown as { ws?: object }).ws as
    (Record<symbol, unknown> & { terminate?: () => void }) | undefined;
  // Node's WebSocket (undici) exposes no socket; its HTTP response, kept under this symbol, does.
  const key = ws && Object.getOwnPropertySymbols(ws).find((k) => k.description === "response");
  const socket = key ? (ws[key] as { socket?: { resetAndDestroy?(): void } })?.socket : undefined;
  if (typeof socket?.resetAndDestroy === "function") {
    socket.resetAndDestroy();
    dropMethod = "socket";
  } else if (typeof ws?.terminate === "function") {
    ws.terminate();
    dropMethod = "terminate";
  } else {
    room.connection.close(4010);
    dropMethod = "close-4010";
  }
}

export type BotOptions = {
  /** Server base URL, e.g. http://127.0.0.1:2567. */
  url: string;
  stats: BotStats;
  /** Stops the bot (it leaves its room). */
  signal: AbortSignal;
  /**
   * Source address the server should see for the REST calls (sent as `X-Forwarded-For`, which the
   * server trusts from loopback only), so many local bots do not share one per-IP auth budget.
   */
  clientIp?: string;
  /** Reuse an account (the server must allow enough characters per account). */
  account?: Account;
  /** A character of `account` made beforehand (`LoadGenerator.provision`): no setup calls. */
  characterId?: string;
  /** Fraction of direction changes that head for a portal instead (0 disables portals). */
  portalChance?: number;
  /** Input rate; 10 Hz by default. */
  inputHz?: number;
  /** How a seat reservation becomes a room; `client.consumeSeatReservation` by default. */
  consume?: (client: Client, reservation: unknown) => Promise<Room>;
  /** Called with each joined room (e.g. to hook extra listeners). */
  onRoom?: (room: Room) => void;
  /** Called once, before setup, with the handle a driver uses to disturb this bot. */
  onControl?: (control: BotControl) => void;
};

type ZoneMap = Schemas["ZoneMap"];
type Portal = ZoneMap["portals"][number];
const maps = new Map<string, Promise<ZoneMap | undefined>>();

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

export class HttpError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export async function api<T>(
  url: string,
  path: string,
  init: { body?: unknown; token?: string; clientIp?: string } = {},
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.clientIp ? { "x-forwarded-for": init.clientIp } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) {
    throw new HttpError(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`, res.status);
  }
  return (await res.json()) as T;
}

/** Registers a fresh account. */
export async function registerAccount(url: string, clientIp?: string): Promise<Account> {
  const session = await api<Schemas["Session"]>(url, "/v1/auth/register", {
    body: {
      email: `bot-${randomBytes(8).toString("hex")}@example.com`,
      password: "load bot pw 1",
    },
    clientIp,
  });
  return { token: session.accessToken, refreshToken: session.refreshToken, characters: 0 };
}

/**
 * Calls the API with the account's access token, renewing it once on a 401 (access tokens live
 * 15 minutes by default; a soak outlives them).
 */
export async function withToken<T>(
  account: Account,
  stats: BotStats,
  call: (token: string) => Promise<T>,
  refresh: (refreshToken: string) => Promise<{ accessToken: string; refreshToken: string }>,
): Promise<T> {
  const used = account.token;
  try {
    return await call(used);
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 401) throw err;
  }
  if (account.token === used) {
    account.refreshing ??= refresh(account.refreshToken)
      .then((session) => {
        account.token = session.accessToken;
        account.refreshToken = session.refreshToken;
        stats.tokenRefreshes += 1;
      })
      .finally(() => (account.refreshing = undefined));
    await account.refreshing;
  }
  return call(account.token);
}

const JOBS = ["warrior", "mage", "ranger"];

/** A `POST /v1/characters` body with a random name (after `prefix`) and job. */
export function newCharacterBody(prefix: string) {
  return {
    name: `${prefix}${randomBytes(6).toString("hex")}`,
    race: "human",
    job: JOBS[Math.floor(Math.random() * JOBS.length)]!,
  };
}

/**
 * Makes a character of `account` (counted in `account.characters`), named after `prefix`;
 * returns its id.
 */
export async function createCharacter(
  url: string,
  account: Account,
  stats: BotStats,
  clientIp?: string,
  prefix = "P",
): Promise<string> {
  account.characters += 1;
  const created = await withToken(
    account,
    stats,
    (token) =>
      api<Schemas["Character"]>(url, "/v1/characters", {
        token,
        clientIp,
        body: newCharacterBody(prefix),
      }),
    (refreshToken) => api(url, "/v1/auth/refresh", { clientIp, body: { refreshToken } }),
  );
  return created.id;
}

/**
 * Leaves a room on purpose. The SDK's `leave()` resolves on the room's next `onLeave`, which never
 * comes when the server has already closed it (e.g. the hand-over's kick after a slow transfer):
 * only an open room is left, and never waited on for more than 5 s.
 */
async function leaveRoom(r: Room): Promise<void> {
  if (!r.connection?.isOpen) return;
  await Promise.race([r.leave(true).catch(() => {}), sleep(5000)]);
}

/** Runs one bot until `signal` aborts. Never throws: failures are counted in `stats`. */
export async function runBot(options: BotOptions): Promise<void> {
  hookBytes();
  const { url, stats, signal } = options;
  const inputMs = 1000 / (options.inputHz ?? 10);
  const portalChance = options.portalChance ?? 0;
  const consume =
    options.consume ??
    ((client: Client, reservation: unknown) => client.consumeSeatReservation(reservation as never));

  let account: Account;
  let characterId = "";
  /** What the bot is doing outside a room; `in-room` defers to the room's own state. */
  let phase: "setup" | "setup-failed" | "joining" | "rejoining" | "in-room" | "stopped" = "setup";
  const authed = <T>(path: string, body: unknown) =>
    withToken(
      account,
      stats,
      (token) => api<T>(url, path, { token, clientIp: options.clientIp, body }),
      (refreshToken) =>
        api(url, "/v1/auth/refresh", { clientIp: options.clientIp, body: { refreshToken } }),
    );

  let room: Room | undefined;
  /** When the current connection was made (first join or the last reconnect). */
  let connectedAt = 0;
  /** When the bot last asked to cross a portal (a drop during the hand-over loses the seat). */
  let portalAskedAt = -Infinity;
  let transferring = false;
  let leaving = false;
  let portalsHeld = false;
  const isLive = () =>
    room !== undefined &&
    !transferring &&
    !leaving &&
    room.connection.isOpen &&
    !room.reconnection.isReconnecting;
  options.onControl?.({
    isLive,
    dropConnection({ spareHandoverMs = 0 } = {}) {
      const now = performance.now();
      if (!isLive() || now - connectedAt < 1000 || now - portalAskedAt < spareHandoverMs) {
        return false;
      }
      stats.forcedDrops += 1;
      cutConnection(room!);
      return true;
    },
    leaveAndRejoin() {
      if (!isLive()) return false;
      leaving = true;
      stats.leaves += 1;
      room!.leave(true).catch(() => {});
      return true;
    },
    state() {
      if (phase !== "in-room") return phase;
      if (transferring) return "transferring";
      if (leaving) return "leaving";
      if (room?.reconnection.isReconnecting) return "reconnecting";
      return room?.connection.isOpen ? "live" : "closed";
    },
    characterId: () => characterId || undefined,
    holdPortals: () => void (portalsHeld = true),
  });

  try {
    account = options.account ?? (await registerAccount(url, options.clientIp));
    characterId =
      options.characterId ?? (await createCharacter(url, account, stats, options.clientIp, "B"));
  } catch (err) {
    recordError(stats, `setup: ${(err as Error).message}`);
    phase = "setup-failed";
    return;
  }

  let zone = "";
  let seq = 0;
  let dir = { dx: 1, dy: 0 };
  let portalTarget: Portal | undefined;
  let nextPortalTry = 0;
  let nextTurn = 0;
  let nextAttack = 0;
  let lastPatch = 0;
  /** Resolves when the current room is gone and a rejoin is needed. */
  let lost: () => void = () => {};

  const attach = (r: Room, zoneId: string) => {
    // A join or transfer that lands after the stop would keep a session open on the server.
    if (signal.aborted) {
      r.leave(true).catch(() => {});
      return;
    }
    room = r;
    zone = zoneId;
    bytesSink.set(r, stats);
    r.reconnection.minUptime = 100;
    r.reconnection.maxRetries = 30;
    stats.connected += 1;
    stats.joins += 1;
    connectedAt = performance.now();
    lastPatch = 0;
    portalTarget = undefined;
    r.onStateChange(() => {
      stats.patches += 1;
      const now = performance.now();
      if (lastPatch) stats.patchGaps.add(now - lastPatch);
      lastPatch = now;
    });
    handlers.set(r, (type, payload) => {
      stats.messages += 1;
      if (type === ServerMessage.transfer) {
        void transfer(r, payload as ServerPayloads["transfer"]);
      }
      // The room answers rate-limited or invalid messages with `error`: a bot must never get one.
      else if (type === ServerMessage.error)
        recordError(stats, `room error message: ${JSON.stringify(payload).slice(0, 200)}`);
    });
    r.onError((code, message) => recordError(stats, `room.onError ${code}: ${message}`));
    let droppedAt = 0;
    r.onDrop(() => {
      stats.drops += 1;
      lastPatch = 0;
      droppedAt = performance.now();
    });
    r.onReconnect(() => {
      if (signal.aborted) {
        void leaveRoom(r);
        return;
      }
      stats.reconnects += 1;
      connectedAt = performance.now();
      if (droppedAt) stats.reconnectLatency.add(performance.now() - droppedAt);
      droppedAt = 0;
      lastPatch = 0;
    });
    r.onLeave((code, reason) => {
      stats.connected -= 1;
      if (room === r) room = undefined;
      if (transferring || signal.aborted) return;
      if (leaving) {
        leaving = false;
        lost();
        return;
      }
      if (droppedAt) {
        stats.failedReconnects += 1;
        const sincePortal = Math.round(droppedAt - portalAskedAt);
        if (sincePortal < 5000) stats.failedReconnectsNearPortal += 1;
        recordError(
          stats,
          `reconnect failed (code ${code}): ${reason ?? ""}` +
            (sincePortal < 5000 ? ` (portal asked ${sincePortal} ms before the drop)` : ""),
        );
      } else {
        recordError(stats, `left room unexpectedly (code ${code}): ${reason ?? ""}`);
      }
      lost();
    });
    options.onRoom?.(r);
  };

  const transfer = async (from: Room, msg: { zone: string; reservation: unknown }) => {
    transferring = true;
    try {
      const next = await consume(new Client(url), msg.reservation);
      stats.transfers += 1;
      await leaveRoom(from);
      attach(next, msg.zone);
    } catch (err) {
      recordError(stats, `transfer: ${(err as Error).message}`);
      await leaveRoom(from);
      lost();
    } finally {
      transferring = false;
    }
  };

  const join = async (first: boolean) => {
    const started = performance.now();
    const { zone: z, reservation } = await authed<Schemas["WorldJoin"]>("/v1/world/join", {
      characterId,
    });
    const r = await consume(new Client(url), reservation);
    if (first) stats.joinLatency.add(performance.now() - started);
    attach(r, z);
  };

  /** Own position now, by dead reckoning from the latest patch (schema/motion.ts). */
  const ownPosition = (): { x: number; y: number } | undefined => {
    const state = room?.state as { tick?: number; entities?: Map<string, Motion> } | undefined;
    // A player's entity is keyed by its session id (schema/to-schema.ts).
    const own = room ? state?.entities?.get(room.sessionId) : undefined;
    return own && extrapolate(own, state?.tick ?? 0, { x: 0, y: 0 });
  };

  const pickPortal = async () => {
    if (!maps.has(zone)) {
      maps.set(
        zone,
        api<ZoneMap>(url, `/v1/world/zones/${zone}/map`).catch(() => undefined),
      );
    }
    const map = await maps.get(zone)!;
    // Dungeon instances hold a few players each: stay in the open world.
    const portals = (map?.portals ?? []).filter((p) => p.targetZone !== "crypt");
    if (portals.length === 0) return undefined;
    return portals[Math.floor(Math.random() * portals.length)];
  };

  const tick = async () => {
    const r = room;
    if (!r || r.reconnection.isReconnecting) return;
    const now = performance.now();
    const me = ownPosition();
    if (now >= nextTurn) {
      nextTurn = now + 2000 + Math.random() * 3000;
      portalTarget = undefined;
      if (portalChance > 0 && !portalsHeld && Math.random() < portalChance) {
        portalTarget = await pickPortal();
        nextTurn = now + 30_000;
      }
      const a = Math.random() * Math.PI * 2;
      dir = { dx: Math.cos(a), dy: Math.sin(a) };
    }
    if (portalsHeld) portalTarget = undefined;
    if (portalTarget && me) {
      dir = { dx: portalTarget.x - me.x, dy: portalTarget.y - me.y };
    }
    if (room !== r) return;
    seq += 1;
    sendMessage(r, ClientMessage.move, { dx: dir.dx, dy: dir.dy, seq });
    if (portalTarget && me && now >= nextPortalTry) {
      if (Math.hypot(portalTarget.x - me.x, portalTarget.y - me.y) < portalTarget.radius * 0.8) {
        nextPortalTry = now + 1000;
        sendMessage(r, ClientMessage.portal, { portalId: portalTarget.id });
        portalAskedAt = now;
      }
    }
    if (now >= nextAttack && me) {
      nextAttack = now + 1000;
      const entities = (r.state as { entities?: Map<string, Record<string, unknown>> })?.entities;
      let best: string | undefined;
      let bestD = Infinity;
      entities?.forEach((e, id) => {
        if (e.kind !== Kind.Mob || (e.hpRatio as number) === 0) return;
        const d = Math.hypot((e.x as number) - me.x, (e.y as number) - me.y);
        if (d < bestD) {
          bestD = d;
          best = id;
        }
      });
      if (best !== undefined) {
        stats.attacks += 1;
        sendMessage(r, ClientMessage.attack, { targetId: best });
      }
    }
  };

  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  let first = true;
  while (!signal.aborted) {
    phase = first ? "joining" : "rejoining";
    try {
      await join(first);
      first = false;
      phase = "in-room";
    } catch (err) {
      recordError(stats, `join: ${(err as Error).message}`);
      await sleep(2000 + Math.random() * 2000, signal);
      continue;
    }
    const gone = new Promise<void>((resolve) => (lost = resolve));
    const timer = setInterval(() => {
      tick().catch((err) => recordError(stats, `tick: ${(err as Error).message}`));
    }, inputMs);
    await Promise.race([gone, stopped]);
    clearInterval(timer);
    if (!signal.aborted) {
      phase = "rejoining";
      stats.rejoins += 1;
      await sleep(1000 + Math.random() * 1000, signal);
    }
  }
  phase = "stopped";
  const r = room as Room | undefined;
  if (r?.reconnection.isReconnecting) r.reconnection.maxRetries = 0;
  if (r) await leaveRoom(r);
}
