import { Client, type Room } from "@colyseus/sdk";
import { extrapolate, type Motion, type Point } from "../../schema/motion.ts";
import {
  isAreaNotice,
  NOTICES_MESSAGE,
  routeNotices,
  type AreaNoticeType,
} from "../../schema/notices.ts";
import { loadConfig } from "../../src/config.ts";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import { createLogger } from "../../src/logger.ts";
import { startServer, type RunningServer } from "../../src/server.ts";
import { roomServices, setRoomServices, type RoomServices } from "../../rooms/room-services.ts";
import { trackSelf, type SelfState } from "../../clients/js/self-state.ts";
import type { DatabaseTarget } from "./databases.ts";

let data: Promise<GameData> | undefined;

export type TestGame = {
  server: RunningServer;
  data: GameData;
  url: string;
  stop(): Promise<void>;
};

/**
 * Starts the whole server in this process on a free port and a fresh database. `rooms` adds to
 * what rooms get from the composition root: its `features` come after the server's own.
 */
export async function startTestGame(
  target: DatabaseTarget,
  env: Record<string, string> = {},
  rooms: Partial<RoomServices> = {},
): Promise<TestGame> {
  data ??= loadGameData();
  const fresh = await target.create();
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: fresh.dataDir,
    JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    // A world boss showing up on the clock would meet other tests' players: start them by hand.
    WORLD_EVENT_SCHEDULE: "off",
    // TEST_WS_TRANSPORT=uws runs a suite on the uWebSockets.js game sockets.
    ...(process.env.TEST_WS_TRANSPORT ? { WS_TRANSPORT: process.env.TEST_WS_TRANSPORT } : {}),
    ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
    ...env,
  });
  const server = await startServer({
    config,
    logger: createLogger(config.LOG_LEVEL),
    data: await data,
    limits: {
      authPerIp: { max: 10_000, windowMs: 60_000 },
      loginPerAccount: { max: 10_000, windowMs: 60_000 },
    },
  });
  const services = roomServices();
  setRoomServices({
    ...services,
    ...rooms,
    features: [...(services.features ?? []), ...(rooms.features ?? [])],
  });
  return {
    server,
    data: await data,
    url: server.url,
    async stop() {
      await server.stop();
      await fresh.drop();
    },
  };
}

let seq = 0;

/** Registers an account and creates one character; returns its token and ids. */
export async function newPlayer(url: string, job = "warrior") {
  // Taken before any await: concurrent calls must not share a number (names are unique).
  const n = (seq += 1);
  const email = `e2e${n}.${process.pid}.${Date.now()}@example.com`;
  const register = await fetch(`${url}/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "e2e password 123" }),
  });
  if (register.status !== 201)
    throw new Error(`register: ${register.status} ${await register.text()}`);
  const session = (await register.json()) as { accessToken: string; accountId: string };
  const created = await fetch(`${url}/v1/characters`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session.accessToken}` },
    body: JSON.stringify({ name: `E2e${process.pid % 1000}_${n}`, race: "human", job }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const character = (await created.json()) as {
    id: string;
    name: string;
    zone: string;
    x: number;
    y: number;
  };
  return {
    token: session.accessToken,
    accountId: session.accountId,
    characterId: character.id,
    character,
  };
}

export type WorldReservation = {
  publicAddress?: string;
  roomId?: string;
  processId?: string;
  sessionId?: string;
};

/** `POST /v1/world/join` through the process at `url`: its status and what it answered. */
export async function joinWorldVia(url: string, player: { token: string; characterId: string }) {
  const res = await fetch(`${url}/v1/world/join`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${player.token}` },
    body: JSON.stringify({ characterId: player.characterId }),
  });
  const text = await res.text();
  let body: { zone?: string; reservation?: WorldReservation };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`world/join: ${res.status} ${text}`);
  }
  return { status: res.status, text, zone: body.zone, reservation: body.reservation };
}

/** Joins the character's zone the documented way: POST /v1/world/join, then the reservation. */
export async function enterWorld(url: string, player: { token: string; characterId: string }) {
  const joined = await joinWorldVia(url, player);
  if (joined.status !== 200) throw new Error(`world/join: ${joined.status} ${joined.text}`);
  const client = new Client(url);
  const room = await client.consumeSeatReservation(joined.reservation as never);
  selfOf(room);
  return { client, room: room as Room, zone: joined.zone! };
}

const selves = new WeakMap<Room, SelfState>();

/**
 * One's own hp, mp, xp, gold, input acknowledgement and cooldowns in `room`, from its `self`
 * messages (clients/js/self-state.ts). Tracked from the first call: enterWorld makes it right
 * after joining; call it at once after joining any other way.
 */
export function selfOf(room: Room): SelfState {
  let state = selves.get(room);
  if (!state) selves.set(room, (state = trackSelf(room)));
  return state;
}

/** Resolves when `predicate` holds, checking after every state patch; rejects after `ms`. */
export function waitFor(
  room: Room,
  predicate: () => boolean,
  ms = 5000,
  what = "condition",
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const check = () => {
      let done: boolean;
      try {
        done = predicate();
      } catch (error) {
        // A throwing predicate must not stay registered and keep throwing into later tests.
        clearTimeout(timer);
        room.onStateChange.remove(check);
        return reject(error as Error);
      }
      if (done) {
        clearTimeout(timer);
        room.onStateChange.remove(check);
        resolve();
      }
    };
    room.onStateChange(check);
  });
}

/**
 * Where the entity under network key `key` is in the room's latest patch, by dead reckoning from
 * its last correction (schema/motion.ts): what a client would draw. Undefined when the entity is
 * not in view. Keys are the ones in `ZoneState.entities`: a player's is its session id (the own
 * entity is `room.sessionId`, another player's is that player's `room.sessionId`), an NPC's its
 * content id, a mob's or drop's a short counter.
 */
export function positionIn(room: Room, key: string): Point | undefined {
  const state = room.state as { tick?: number; entities?: Map<string, Motion> } | undefined;
  const entity = state?.entities?.get(key);
  if (!entity) return undefined;
  return extrapolate(entity, state?.tick ?? 0, { x: 0, y: 0 });
}

/**
 * Resolves once the room's own entity (key `key`, normally `room.sessionId`) shows input `seq`
 * applied and no velocity: the stop's exact position has arrived (until then, x/y are the last
 * dead-reckoning correction). Velocity is unset on the wire until an entity first moves.
 */
export function stoppedIn(room: Room, key: string, seq: number, ms = 5000): Promise<void> {
  const own = () =>
    (room.state as { entities?: Map<string, Motion> } | undefined)?.entities?.get(key);
  const self = selfOf(room);
  return waitFor(
    room,
    () => {
      const e = own();
      return e !== undefined && self.ackSeq >= seq && (e.vx ?? 0) === 0 && (e.vy ?? 0) === 0;
    },
    ms,
    `${key} stopped after input ${seq}`,
  );
}

/**
 * Calls `handler` with every area notice of `type` (damaged, died, …) the room receives; they
 * arrive batched per tick in `notices` messages (schema/notices.ts). Returns the unsubscribe.
 */
export function onNotice<T = unknown>(
  room: Room,
  type: AreaNoticeType,
  handler: (notice: T) => void,
): () => void {
  return room.onMessage(NOTICES_MESSAGE, (batch: unknown) =>
    routeNotices(batch, new Map([[type, handler as (notice: never) => void]])),
  );
}

/** The next message of `type` the room receives. */
export function nextMessage<T = unknown>(room: Room, type: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" message within ${ms} ms`)), ms);
    const off = room.onMessage(type, (payload: T) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `predicate` every 20 ms; rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5000, what = "condition") {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Every message of `type` the room receives from now on (area notices from their batches). */
export function collect<T>(room: Room, type: string): T[] {
  const seen: T[] = [];
  if (isAreaNotice(type)) onNotice<T>(room, type, (notice) => void seen.push(notice));
  else room.onMessage(type, (payload: T) => void seen.push(payload));
  return seen;
}

/**
 * Cuts a client's socket on the server side without a close frame, as a network failure would,
 * on either transport (`ws`'s terminate, uWS' close).
 */
export function dropSocket(serverClient: unknown): void {
  const ref = (serverClient as { ref: { terminate?(): void; ws?: { close(): void } } }).ref;
  if (ref.terminate) ref.terminate();
  else ref.ws!.close();
}
