/**
 * One load-test bot on the official `@colyseus/sdk`: registers an account (or reuses a shared one),
 * creates a character, joins the world through `POST /v1/world/join`, walks with `move` inputs at
 * 10 Hz (new direction every 2–5 s), attacks mobs that come into view, crosses portals (some bots
 * head for one) by following `transfer` messages, and rejoins when the room is lost for good (the
 * SDK itself reconnects dropped connections).
 *
 * Used by `loadtest/headless.ts` (benchmarks, CI) and `loadtest/colyseus.ts` (@colyseus/loadtest).
 */
import { randomBytes } from "node:crypto";
import { Client, Room } from "@colyseus/sdk";

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
  rejoins: number;
  errors: number;
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
    rejoins: 0,
    errors: 0,
    errorSamples: [],
  };
}

export function recordError(stats: BotStats, what: string) {
  stats.errors += 1;
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

export type Account = { token: string; characters: number };

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
  /** Fraction of direction changes that head for a portal instead (0 disables portals). */
  portalChance?: number;
  /** Input rate; 10 Hz by default. */
  inputHz?: number;
  /** How a seat reservation becomes a room; `client.consumeSeatReservation` by default. */
  consume?: (client: Client, reservation: unknown) => Promise<Room>;
  /** Called with each joined room (e.g. to hook extra listeners). */
  onRoom?: (room: Room) => void;
};

type Portal = { id: string; x: number; y: number; radius: number; targetZone: string };
type ZoneMap = { portals: Portal[] };
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

async function api<T>(
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
  if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as T;
}

/** Registers a fresh account. */
export async function registerAccount(url: string, clientIp?: string): Promise<Account> {
  const session = await api<{ accessToken: string }>(url, "/v1/auth/register", {
    body: { email: `bot-${randomBytes(8).toString("hex")}@example.com`, password: "load bot pw 1" },
    clientIp,
  });
  return { token: session.accessToken, characters: 0 };
}

const JOBS = ["warrior", "mage", "ranger"];

/** Runs one bot until `signal` aborts. Never throws: failures are counted in `stats`. */
export async function runBot(options: BotOptions): Promise<void> {
  hookBytes();
  const { url, stats, signal } = options;
  const inputMs = 1000 / (options.inputHz ?? 10);
  const portalChance = options.portalChance ?? 0;
  const consume =
    options.consume ??
    ((client: Client, reservation: unknown) => client.consumeSeatReservation(reservation as never));

  let token: string;
  let characterId: string;
  try {
    const account = options.account ?? (await registerAccount(url, options.clientIp));
    account.characters += 1;
    token = account.token;
    const created = await api<{ id: string }>(url, "/v1/characters", {
      token,
      clientIp: options.clientIp,
      body: {
        name: `B${randomBytes(6).toString("hex")}`,
        race: "human",
        job: JOBS[Math.floor(Math.random() * JOBS.length)],
      },
    });
    characterId = created.id;
  } catch (err) {
    recordError(stats, `setup: ${(err as Error).message}`);
    return;
  }

  let room: Room | undefined;
  let zone = "";
  let seq = 0;
  let dir = { dx: 1, dy: 0 };
  let portalTarget: Portal | undefined;
  let nextPortalTry = 0;
  let nextTurn = 0;
  let nextAttack = 0;
  let lastPatch = 0;
  let transferring = false;
  /** Resolves when the current room is gone and a rejoin is needed. */
  let lost: () => void = () => {};

  const attach = (r: Room, zoneId: string) => {
    room = r;
    zone = zoneId;
    bytesSink.set(r, stats);
    r.reconnection.minUptime = 100;
    r.reconnection.maxRetries = 30;
    stats.connected += 1;
    stats.joins += 1;
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
      if (type === "transfer") void transfer(r, payload as { zone: string; reservation: unknown });
      // The room answers rate-limited or invalid messages with `error`: a bot must never get one.
      else if (type === "error")
        recordError(stats, `room error message: ${JSON.stringify(payload).slice(0, 200)}`);
    });
    r.onError((code, message) => recordError(stats, `room.onError ${code}: ${message}`));
    r.onDrop(() => {
      stats.drops += 1;
      lastPatch = 0;
    });
    r.onReconnect(() => {
      stats.reconnects += 1;
      lastPatch = 0;
    });
    r.onLeave((code) => {
      stats.connected -= 1;
      if (room === r) room = undefined;
      if (!transferring && !signal.aborted) {
        recordError(stats, `left room unexpectedly (code ${code})`);
        lost();
      }
    });
    options.onRoom?.(r);
  };

  const transfer = async (from: Room, msg: { zone: string; reservation: unknown }) => {
    transferring = true;
    try {
      const next = await consume(new Client(url), msg.reservation);
      stats.transfers += 1;
      await from.leave(true).catch(() => {});
      attach(next, msg.zone);
    } catch (err) {
      recordError(stats, `transfer: ${(err as Error).message}`);
      await from.leave(true).catch(() => {});
      lost();
    } finally {
      transferring = false;
    }
  };

  const join = async (first: boolean) => {
    const started = performance.now();
    const { zone: z, reservation } = await api<{ zone: string; reservation: unknown }>(
      url,
      "/v1/world/join",
      { token, clientIp: options.clientIp, body: { characterId } },
    );
    const r = await consume(new Client(url), reservation);
    if (first) stats.joinLatency.add(performance.now() - started);
    attach(r, z);
  };

  const ownPosition = (): { x: number; y: number } | undefined => {
    const entities = (room?.state as { entities?: Map<string, { x: number; y: number }> })
      ?.entities;
    return entities?.get(characterId);
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
      if (portalChance > 0 && Math.random() < portalChance) {
        portalTarget = await pickPortal();
        nextTurn = now + 30_000;
      }
      const a = Math.random() * Math.PI * 2;
      dir = { dx: Math.cos(a), dy: Math.sin(a) };
    }
    if (portalTarget && me) {
      dir = { dx: portalTarget.x - me.x, dy: portalTarget.y - me.y };
    }
    if (room !== r) return;
    seq += 1;
    r.send("move", { dx: dir.dx, dy: dir.dy, seq });
    if (portalTarget && me && now >= nextPortalTry) {
      if (Math.hypot(portalTarget.x - me.x, portalTarget.y - me.y) < portalTarget.radius * 0.8) {
        nextPortalTry = now + 1000;
        r.send("portal", { portalId: portalTarget.id });
      }
    }
    if (now >= nextAttack && me) {
      nextAttack = now + 1000;
      const entities = (r.state as { entities?: Map<string, Record<string, unknown>> })?.entities;
      let best: string | undefined;
      let bestD = Infinity;
      entities?.forEach((e, id) => {
        if (e.kind !== "mob" || (e.hpRatio as number) === 0) return;
        const d = Math.hypot((e.x as number) - me.x, (e.y as number) - me.y);
        if (d < bestD) {
          bestD = d;
          best = id;
        }
      });
      if (best !== undefined) {
        stats.attacks += 1;
        r.send("attack", { targetId: best });
      }
    }
  };

  let first = true;
  while (!signal.aborted) {
    try {
      await join(first);
      first = false;
    } catch (err) {
      recordError(stats, `join: ${(err as Error).message}`);
      await sleep(2000 + Math.random() * 2000, signal);
      continue;
    }
    const gone = new Promise<void>((resolve) => (lost = resolve));
    const timer = setInterval(() => {
      tick().catch((err) => recordError(stats, `tick: ${(err as Error).message}`));
    }, inputMs);
    await Promise.race([gone, new Promise((r) => signal.addEventListener("abort", r))]);
    clearInterval(timer);
    if (!signal.aborted) {
      stats.rejoins += 1;
      await sleep(1000 + Math.random() * 1000, signal);
    }
  }
  const r = room as Room | undefined;
  if (r) await r.leave(true).catch(() => {});
}
