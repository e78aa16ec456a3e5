/**
 * Zone room benchmark, without networking: what one zone room does per tick for 1,000 entities
 * (500 players, 500 mobs), at 20 Hz, with the room's own modules.
 *
 * Per tick, exactly what ZoneRoom.tick, ZoneRoom.onBeforePatch and Colyseus' SchemaSerializer do:
 *   step   = ZoneSimulation.step + SchemaSync.sync + the room's notice fan-out (sendNear)
 *   encode = onBeforePatch (SchemaSync.flushRemovals, CellViews.refresh: one StateView per
 *            occupied interest cell, shared by the clients standing in it, and SelfUpdates.flush:
 *            each client's `self` message) + the real `SchemaSerializer.applyPatches` over 500
 *            clients (one `encodeView` per distinct view; patchRate 50 ms = one patch per tick)
 * Bytes per client are the lengths of the patch frames each client gets (protocol byte included,
 * WebSocket framing excluded), plus its `notices` frames (area notices, one per tick at most) and
 * its `self` messages (own hp, mp, xp, gold, acknowledgement, cooldowns), each also reported
 * apart. Packing the notices is step time, packing `self` messages encode time.
 *
 * Players walk at their move_speed and pick a new random direction every 1–3 s, queued as the
 * room queues a validated `move` message. Mobs (content `slime` and `wolf`, half each) run their
 * real AI: wander, wolves aggro and chase players. Players are healed back to full below 30% hp
 * so nobody dies and respawns at the zone spawn (which would cluster them).
 *
 * Scenarios set the density through the size of a synthetic field zone with 500 single-mob spawn
 * points: ~20 and ~100 entities in each client's view. Two clients ("probes") decode every patch
 * they get: the run fails unless each rebuilds exactly the entities its view holds.
 *
 * Patches go out every other tick (10 Hz, ZONE_PATCH_HZ's default), with the area notices gathered
 * since the last one, as ZoneRoom.sendPatch does; BENCH_PATCH_EVERY=1 measures 20 Hz.
 *
 * Prints one JSON object. Each figure is the median over RUNS runs (BENCH_RUNS, default 3) of
 * WARMUP + MEASURED ticks. Byte figures are deterministic (seeded);
 * timings depend on the machine and its load (`cpuMsPerTickMean` is process CPU time, which other
 * processes' load barely affects; `loadAvg1m` is printed).
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import {
  ClientState,
  getMessageBytes,
  Protocol,
  SchemaSerializer,
  type Client as ColyseusClient,
} from "@colyseus/core";
import { Decoder, Encoder, StateView } from "@colyseus/schema";
import { applyInterestToView, hpRatio, SchemaSync } from "../schema/to-schema.ts";
import { CellViews } from "../rooms/cell-views.ts";
import { SelfUpdates } from "../rooms/self-updates.ts";
import { patchDuty } from "../rooms/patch-schedule.ts";
import { extrapolate } from "../schema/motion.ts";
import { ZoneState } from "../schema/ZoneState.ts";
import { ZoneMessages } from "../rooms/zone-messages.ts";
import { noticeToWire, type WireNotice } from "../rooms/wire-ids.ts";
import { NoticeOutbox } from "../rooms/notice-outbox.ts";
import { isAreaNotice } from "../schema/notices.ts";
import { loadGameData, type GameData } from "../src/content/load-game-data.ts";
import { createEquipment } from "../src/game/items/equipment.ts";
import { createInventory } from "../src/game/items/inventory.ts";
import { createQuestLog } from "../src/game/quests/quest-log.ts";
import { EXIT_RADIUS_FACTOR } from "../src/game/world/interest.ts";
import { validateZones, type MobSpawn, type ZoneContent } from "../src/game/world/zone-content.ts";
import { seededRng } from "../src/game/world/world-fixtures.ts";
import type { Entity as WorldEntity, World, WorldRng } from "../src/game/world/world-types.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import { ZoneSimulation, type SimNotice } from "../src/zone/zone-simulation.ts";
import { NO_TIMERS } from "../src/progression/character-timers.ts";

const PLAYERS = 500;
const MOBS = 500;
const DT_MS = 50;
const TICKS_PER_SEC = 1000 / DT_MS;
const WARMUP_TICKS = 100;
const MEASURED_TICKS = 400;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/**
 * Ticks per patch (BENCH_PATCH_EVERY, default 2: the room's 10 Hz patches over the 20 Hz
 * simulation). Area notices leave with the patch.
 */
const PATCH_EVERY = Number(process.env.BENCH_PATCH_EVERY ?? 2);
/** As src/server.ts AOI_RADIUS. */
const AOI_RADIUS = 400;
/** As src/server.ts sets at boot (above the largest full state). */
const ENCODER_BUFFER_BYTES = 1024 * 1024;
/** Clients send their input at 10 Hz. */
const INPUT_EVERY_TICKS = 2;
const TURN_MIN_MS = 1000;
const TURN_SPAN_MS = 2000;
const HEAL_BELOW = 0.3;
/** Clients whose patches are decoded, to check the bytes really rebuild each client's view. */
const PROBES = 2;

const SCENARIOS = [
  { name: "view20", side: 4900 },
  { name: "view100", side: 2000 },
] as const;

Encoder.BUFFER_SIZE = ENCODER_BUFFER_BYTES;

const ANGLE_STEPS = 256;

/** A quantized 8-bit angle step, as `t.angle({ bits: 8 })` puts it on the wire. */
function angleStep(rad: number): number {
  const turn = rad / (2 * Math.PI);
  return ((Math.round((turn - Math.floor(turn)) * ANGLE_STEPS) % ANGLE_STEPS) + ANGLE_STEPS) % 256;
}

function hpRatioOf(e: WorldEntity): number {
  if (e.kind === "drop" || e.kind === "npc") return 0;
  return hpRatio(e.kind === "player" && e.dead ? 0 : e.hp, e.hpMax);
}

// ---------------------------------------------------------------------------------------------
// The mirror: schema/ZoneState + SchemaSync, as the room uses them
// ---------------------------------------------------------------------------------------------

interface Mirror {
  readonly state: ZoneState;
  sync(world: World, tick: number): void;
  /** As ZoneRoom.onBeforePatch. */
  beforePatch(): void;
  readonly schemaSync: SchemaSync;
  applyView(view: StateView, entered: readonly number[], left: readonly number[]): void;
  newClientState(): ZoneState;
  /** Decoded x/y/vx/vy/posTick of world entity `handle` in a client state (for the probes). */
  readPosition(state: ZoneState, handle: number): ClientPosition | undefined;
  readonly tickOf: (state: ZoneState) => number;
  /** Dead reckoning corrections written so far (x/y/vx/vy/posTick). */
  corrections(): number;
  /** A notice as the room sends it (entity ids as network keys). */
  wireNotice(notice: SimNotice): WireNotice;
}

type ClientPosition = { x: number; y: number; vx: number; vy: number; posTick: number };

function realMirror(zoneId: string): Mirror {
  const state = new ZoneState();
  state.zoneId = zoneId;
  // Players are keyed by their session id in the room: 9 characters, as Colyseus makes them.
  const sync = new SchemaSync(state, (characterId) => characterId.slice(-9));
  return {
    state,
    sync: (world) => sync.sync(world),
    beforePatch: () => sync.flushRemovals(),
    schemaSync: sync,
    applyView: (view, entered, left) => applyInterestToView(view, sync, entered, left),
    newClientState: () => new ZoneState(),
    readPosition: (s, h) => {
      const e = s.entities.get(sync.keyOfHandle(h) ?? "");
      return e && { x: e.x, y: e.y, vx: e.vx ?? 0, vy: e.vy ?? 0, posTick: e.posTick };
    },
    tickOf: (s) => s.tick,
    corrections: () => sync.corrections,
    wireNotice: (notice) => noticeToWire(notice, sync),
  };
}

// ---------------------------------------------------------------------------------------------
// World set-up
// ---------------------------------------------------------------------------------------------

/** A walkable square field of `side` units with MOBS single-mob spawn points (slime/wolf). */
function syntheticZone(side: number, data: GameData, rng: WorldRng): ZoneContent {
  const tileSize = 64;
  const cols = Math.ceil(side / tileSize);
  const mobSpawns: MobSpawn[] = [];
  for (let i = 0; i < MOBS; i++) {
    mobSpawns.push({
      id: `bench-${i}`,
      mobId: i % 2 === 0 ? "slime" : "wolf",
      x: Math.round(32 + rng.next() * (side - 64)),
      y: Math.round(32 + rng.next() * (side - 64)),
      count: 1,
      radius: 0,
    });
  }
  const zone: ZoneContent = {
    id: "bench-field",
    name: "Bench Field",
    kind: "field",
    safe: false,
    maxPlayers: PLAYERS,
    width: side,
    height: side,
    tileSize,
    spawn: { x: side / 2, y: side / 2 },
    portals: [],
    mobSpawns,
    npcs: [],
    tiles: Array.from({ length: cols }, () => ".".repeat(cols)),
  };
  const checked = validateZones([zone], { knownMobIds: new Set(data.content.mobs.keys()) });
  if (!checked.ok) throw new Error(checked.errors.join("\n"));
  return checked.zones[0]!;
}

function playerRecord(i: number, zone: ZoneContent, data: GameData, rng: WorldRng): PlayerRecord {
  const races = [...data.content.races.keys()];
  const jobs = [...data.content.jobs.keys()];
  return {
    character: {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      accountId: `account-${i}`,
      name: `Player${i}`,
      race: races[i % races.length]!,
      job: jobs[Math.floor(i / 3) % jobs.length]!,
      level: 1 + (i % 10),
      xp: 0,
      gold: 0,
      hp: 1e6,
      mp: 1e6,
      zone: zone.id,
      x: 16 + rng.next() * (zone.width - 32),
      y: 16 + rng.next() * (zone.height - 32),
      version: 0,
      timers: NO_TIMERS,
    },
    inventory: createInventory(30),
    equipment: createEquipment(),
    quests: createQuestLog(),
  };
}

type Client = {
  characterId: string;
  handle: number;
  /** The room's session as CellViews and SelfUpdates see it; its client stands in for a socket. */
  session: { characterId: string; client: ColyseusClient };
  /** The frame the serializer sent this client in the latest patch. */
  frame: Uint8Array | undefined;
  seq: number;
  nextTurnMs: number;
  /** Direction of travel, radians. */
  angle: number;
  patchBytes: number;
  messageBytes: number;
  selfBytes: number;
  /** `notices` frames this client got, and the notices in them. */
  noticeFrames: number;
  noticesReceived: number;
  /** Where the room's notice outbox delivers this client's `notices` frames. */
  enqueueRaw(frame: Uint8Array): void;
  probe?: { state: ZoneState; decoder: Decoder; lastSeen: Map<string, number> };
};

// ---------------------------------------------------------------------------------------------
// One run
// ---------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runOnce(data: GameData, side: number, seed: number, ticks: number) {
  const rng = seededRng(seed);
  const zone = syntheticZone(side, data, rng);
  const sim = new ZoneSimulation(zone, data, seed);
  const world = sim.world;
  const mirror = realMirror(zone.id);
  const serializer = new SchemaSerializer();
  serializer.reset(mirror.state);
  const views = new CellViews(sim, mirror.schemaSync, AOI_RADIUS);
  const selfUpdates = new SelfUpdates();
  const exitRadius = AOI_RADIUS * EXIT_RADIUS_FACTOR;

  const outbox = new NoticeOutbox();
  let counting = false;
  const clients: Client[] = [];
  for (let i = 0; i < PLAYERS; i++) {
    const joined = sim.join(playerRecord(i, zone, data, rng));
    if (!joined.ok) throw new Error(joined.reason);
    const c: Client = {
      characterId: joined.entity.id,
      handle: joined.entity.handle,
      session: undefined!,
      frame: undefined,
      seq: 0,
      nextTurnMs: 0,
      angle: 0,
      patchBytes: 0,
      messageBytes: 0,
      selfBytes: 0,
      noticeFrames: 0,
      noticesReceived: 0,
      enqueueRaw(frame: Uint8Array) {
        if (!counting) return;
        this.messageBytes += frame.length;
        this.noticeFrames += 1;
      },
    };
    // What SchemaSerializer and SelfUpdates use of a Colyseus client: its state and view, `raw`
    // for patch frames and `send` for messages (packed as the WebSocket transport packs them).
    const socket = {
      sessionId: joined.entity.id.slice(-9),
      state: ClientState.JOINED,
      view: undefined as StateView | undefined,
      raw(frame: Uint8Array) {
        c.frame = frame;
      },
      send(type: string, payload: unknown) {
        const bytes = getMessageBytes.raw(Protocol.ROOM_DATA, type, payload).length;
        if (counting) c.selfBytes += bytes;
      },
    };
    c.session = { characterId: c.characterId, client: socket as unknown as ColyseusClient };
    clients.push(c);
  }
  const sockets = clients.map((c) => c.session.client);

  // Join: each client seated in its cell, then its full state.
  mirror.sync(world, 0);
  for (const c of clients) views.admit(c.session);
  clients.forEach((c, i) => {
    const full = serializer.getFullState(c.session.client);
    if (i >= PROBES) return;
    const state = mirror.newClientState();
    const decoder = new Decoder(state);
    decoder.decode(full, { offset: 1 });
    c.probe = { state, decoder, lastSeen: new Map() };
  });

  const stepMs: number[] = [];
  const encodeMs: number[] = [];
  const totalMs: number[] = [];
  const parts = {
    sim: [] as number[],
    sync: [] as number[],
    notices: [] as number[],
    views: [] as number[],
  };
  let patches = 0;
  let viewsEncoded = 0;
  let inView = 0;
  let movingInView = 0;
  let viewSamples = 0;
  let notices = 0;
  let heals = 0;
  let deaths = 0;
  let maxPatchBytes = 0;
  /** Process CPU time of step+encode (all threads), insensitive to other processes' load. */
  let cpuUs = 0;
  let mobTicks = 0;
  let engagedMobTicks = 0;
  let correctionsAtWarmup = 0;
  const probePoint = { x: 0, y: 0 };
  const fieldChanges = { position: 0, dir: 0, hpRatio: 0 };
  const prev = { x: [] as number[], y: [] as number[], dir: [] as number[], hp: [] as number[] };
  const moved: boolean[] = [];
  const probeErrors: number[] = [];
  let lastPatchTick = 0;

  for (let tick = 1; tick <= WARMUP_TICKS + ticks; tick++) {
    const measuring = tick > WARMUP_TICKS;
    counting = measuring;
    if (tick === WARMUP_TICKS + 1) {
      correctionsAtWarmup = mirror.corrections();
    }
    const nowMs = tick * DT_MS;
    // Client messages, as the room's onMessage handler validates and queues them: each client
    // sends its input at 10 Hz (every other tick, half the clients each tick), as the web
    // client and the bots do, and turns every 1–3 s.
    for (let i = 0; i < clients.length; i++) {
      const c = clients[i]!;
      const turn = nowMs >= c.nextTurnMs;
      if (!turn && (tick + i) % INPUT_EVERY_TICKS !== 0) continue;
      if (turn) {
        c.nextTurnMs = nowMs + TURN_MIN_MS + rng.next() * TURN_SPAN_MS;
        c.angle = rng.next() * 2 * Math.PI;
      }
      const parsed = ZoneMessages.move.safeParse({
        dx: Math.cos(c.angle),
        dy: Math.sin(c.angle),
        seq: ++c.seq,
      });
      if (!parsed.success) throw new Error(parsed.error.message);
      sim.queue({ type: "move", playerId: c.characterId, ...parsed.data });
    }
    for (const p of world.players) {
      if (p.dead) deaths += 1;
      else if (p.hp < p.hpMax * HEAL_BELOW) {
        p.hp = p.hpMax;
        heals += 1;
      }
    }
    for (const e of world.entities) {
      if (!e) continue;
      prev.x[e.handle] = e.x;
      prev.y[e.handle] = e.y;
    }

    // The room's tick.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const tickNotices = sim.step(DT_MS);
    const t1 = performance.now();
    mirror.sync(world, tick);
    const t2 = performance.now();
    // NoticeRouter.sendNear (rooms/notice-router.ts): each area notice packed once and queued for every client near it; each
    // client's notices of the tick leave as one `notices` frame (rooms/notice-outbox.ts).
    const r2 = exitRadius * exitRadius;
    for (const notice of tickNotices) {
      if (!isAreaNotice(notice.type) || !("x" in notice)) continue;
      let wire: WireNotice | undefined;
      for (const c of clients) {
        const dx = world.grid.xOf(c.handle) - notice.x;
        const dy = world.grid.yOf(c.handle) - notice.y;
        if (dx * dx + dy * dy > r2) continue;
        wire ??= mirror.wireNotice(notice);
        outbox.add(c, wire);
        if (measuring) c.noticesReceived += 1;
      }
    }
    // The patch, as ZoneRoom.sendPatch runs it: the notices gathered since the last patch, then
    // Room.broadcastPatch (ZoneRoom.onBeforePatch, then the serializer).
    const duty = patchDuty(tick, PATCH_EVERY);
    const patching = duty === "patch";
    if (patching) outbox.flush();
    const t3 = performance.now();

    if (patching) lastPatchTick = tick;
    // As ZoneRoom: on the step before the patch's, or by the patch itself at 20 Hz.
    const refreshing = duty === "refreshViews" || (patching && PATCH_EVERY === 1);
    const e0 = performance.now();
    if (patching) mirror.beforePatch();
    if (refreshing) views.refresh();
    const e1 = performance.now();
    for (const c of clients) c.frame = undefined;
    if (patching) {
      selfUpdates.flush(
        clients.map((c) => c.session),
        world,
        mirror.schemaSync,
      );
      if (measuring) viewsEncoded += views.viewsInUse();
      serializer.applyPatches(sockets, mirror.state);
    }
    const e2 = performance.now();
    const cpuTickUs = cpuSince(cpu0);
    if (measuring && patching) {
      patches += 1;
      for (const c of clients) {
        const len = c.frame?.length ?? 0;
        c.patchBytes += len;
        if (len > maxPatchBytes) maxPatchBytes = len;
      }
    }
    for (let i = 0; i < PROBES; i++) {
      const c = clients[i]!;
      if (c.frame) c.probe!.decoder.decode(c.frame, { offset: 1 });
      // Between a refresh and its patch the view holds what the client gets next patch.
      if (measuring) checkProbe(c, (tick - lastPatchTick) * DT_MS, !refreshing || patching);
    }
    if (!measuring) continue;
    cpuUs += cpuTickUs;

    stepMs.push(t3 - t0);
    if (patching) encodeMs.push(e2 - e0);
    totalMs.push(t3 - t0 + (e2 - e0));
    parts.sim.push(t1 - t0);
    parts.sync.push(t2 - t1);
    parts.notices.push(t3 - t2);
    if (refreshing) parts.views.push(e1 - e0);
    notices += tickNotices.length;

    // What changed, per entity: positions, facing (8-bit), hp ratio.
    for (const e of world.entities) {
      if (!e || !world.grid.has(e.handle)) continue;
      const h = e.handle;
      moved[h] = e.x !== prev.x[h] || e.y !== prev.y[h];
      if (moved[h]) fieldChanges.position += 1;
      const dir = angleStep(e.kind === "player" || e.kind === "mob" ? e.dir : 0);
      if (prev.dir[h] !== undefined && prev.dir[h] !== dir) fieldChanges.dir += 1;
      prev.dir[h] = dir;
      const hp = hpRatioOf(e);
      if (prev.hp[h] !== undefined && prev.hp[h] !== hp) fieldChanges.hpRatio += 1;
      prev.hp[h] = hp;
    }
    for (const m of world.mobs) {
      if (m.state === "dead") continue;
      mobTicks += 1;
      if (m.state === "chase" || m.state === "attack") engagedMobTicks += 1;
    }
    for (const c of clients) {
      // Others in view: the cell's set holds the client's own entity too.
      const set = views.cellSetOf(c.session);
      inView += set.size - 1;
      for (const h of set.keys()) if (h !== c.handle && moved[h]) movingInView += 1;
    }
    viewSamples += clients.length;
  }

  /**
   * `sinceMs`: time since the last patch, which a client's clock extrapolates over. `exact`: the
   * client holds the view's set (false after a refresh its patch has not carried yet, when only
   * the positions of the entities it holds are compared).
   */
  function checkProbe(c: Client, sinceMs: number, exact: boolean): void {
    const probe = c.probe!;
    const entities = (probe.state as ZoneState).entities;
    const set = views.cellSetOf(c.session);
    if (exact && entities.size !== set.size) {
      throw new Error(`probe ${c.characterId}: decoded ${entities.size}, view ${set.size}`);
    }
    // How far the client's idea of each entity's position is from the server's.
    for (const h of set.keys()) {
      const e = world.entities[h]!;
      const p = mirror.readPosition(probe.state, h);
      if (!p && !exact) continue;
      if (!p) throw new Error(`probe ${c.characterId}: ${e.id} missing`);
      const at = extrapolate(p, mirror.tickOf(probe.state), probePoint, sinceMs);
      probeErrors.push(Math.hypot(at.x - e.x, at.y - e.y));
    }
  }

  stepMs.sort((a, b) => a - b);
  encodeMs.sort((a, b) => a - b);
  totalMs.sort((a, b) => a - b);
  for (const list of Object.values(parts)) list.sort((a, b) => a - b);
  probeErrors.sort((a, b) => a - b);
  const seconds = ticks / TICKS_PER_SEC;
  const perClient = clients.map((c) => c.patchBytes / seconds).sort((a, b) => a - b);
  const messages = clients.map((c) => c.messageBytes / seconds).sort((a, b) => a - b);
  const selfs = clients.map((c) => c.selfBytes / seconds).sort((a, b) => a - b);
  const totals = clients
    .map((c) => (c.patchBytes + c.messageBytes + c.selfBytes) / seconds)
    .sort((a, b) => a - b);
  const entitySamples = ticks * (PLAYERS + MOBS);
  return {
    stepMsP50: percentile(stepMs, 0.5),
    stepMsP99: percentile(stepMs, 0.99),
    // Encode percentiles over the ticks that sent a patch; step and total over every tick.
    encodeMsP50: percentile(encodeMs, 0.5),
    encodeMsP99: percentile(encodeMs, 0.99),
    totalMsP50: percentile(totalMs, 0.5),
    totalMsP99: percentile(totalMs, 0.99),
    cpuMsPerTickMean: cpuUs / 1000 / ticks,
    simMsP50: percentile(parts.sim, 0.5),
    syncMsP50: percentile(parts.sync, 0.5),
    noticesMsP50: percentile(parts.notices, 0.5),
    cellViewsMsP50: percentile(parts.views, 0.5),
    cellViewsMsP99: percentile(parts.views, 0.99),
    viewsEncodedPerPatch: viewsEncoded / Math.max(1, patches),
    bytesPerClientPerSecMedian: percentile(perClient, 0.5),
    bytesPerClientPerSecP99: percentile(perClient, 0.99),
    bytesPerClientPerPatchMedian: (percentile(perClient, 0.5) * seconds) / Math.max(1, patches),
    maxPatchBytes,
    avgEntitiesInView: inView / viewSamples,
    avgMovingEntitiesInView: movingInView / viewSamples,
    noticeBytesPerClientPerSecMedian: percentile(messages, 0.5),
    selfBytesPerClientPerSecMedian: percentile(selfs, 0.5),
    /** Patches, notices and `self` messages: what a client receives in all. */
    totalBytesPerClientPerSecMedian: percentile(totals, 0.5),
    totalBytesPerClientPerSecP99: percentile(totals, 0.99),
    noticesPerTick: notices / ticks,
    // Before batching, every notice a client got was a frame of its own.
    noticesPerClientPerSec: sum(clients, (c) => c.noticesReceived) / clients.length / seconds,
    noticeFramesPerClientPerSec: sum(clients, (c) => c.noticeFrames) / clients.length / seconds,
    positionChangesPerEntityPerSec: (fieldChanges.position / entitySamples) * TICKS_PER_SEC,
    dirChangesPerEntityPerSec: (fieldChanges.dir / entitySamples) * TICKS_PER_SEC,
    hpRatioChangesPerEntityPerSec: (fieldChanges.hpRatio / entitySamples) * TICKS_PER_SEC,
    clientPositionErrorP99: probeErrors.length ? percentile(probeErrors, 0.99) : 0,
    mobsInCombatFraction: engagedMobTicks / Math.max(1, mobTicks),
    correctionsPerEntityPerSec:
      (mirror.corrections() - correctionsAtWarmup) / ((PLAYERS + MOBS) * seconds),
    heals,
    deadPlayerTicks: deaths,
  };
}

/**
 * Patch bytes (protocol byte excluded) for entity `handle` entering a view that already holds the
 * map and entity `anchor`, with no other change pending.
 */
function enterBytes(mirror: Mirror, encoder: Encoder, anchor: number, handle: number): number {
  const view = new StateView();
  const flush = () => {
    const it = { offset: 1 };
    encoder.encode(it);
    const bytes = encoder.encodeView(view, it.offset, it).length - 1;
    encoder.discardChanges();
    return bytes;
  };
  mirror.applyView(view, [anchor], []);
  flush();
  mirror.applyView(view, [handle], []);
  const bytes = flush();
  view.dispose();
  return bytes;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

type RunResult = ReturnType<typeof runOnce>;

function summarize(runs: RunResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(runs[0]!) as (keyof RunResult)[]) {
    const v = median(runs.map((r) => r[key]));
    if (!Number.isFinite(v)) continue;
    out[key] = Number.isInteger(v) ? v : +v.toFixed(v >= 100 ? 0 : 3);
  }
  return out;
}

const data = await loadGameData();
const started = performance.now();
const scenarios: Record<string, unknown> = {};
for (const scenario of SCENARIOS) {
  const runs = Array.from({ length: RUNS }, (_, i) =>
    runOnce(data, scenario.side, 42 + i, MEASURED_TICKS),
  );
  scenarios[scenario.name] = { zoneSide: scenario.side, ...summarize(runs) };
}

// What one entity entering a view costs (no simulation needed).
let enterBytesPerEntity: { player: number; mob: number };
{
  const zone = syntheticZone(SCENARIOS[1].side, data, seededRng(1));
  const sim = new ZoneSimulation(zone, data, 1);
  const a = sim.join(playerRecord(0, zone, data, seededRng(2)));
  const b = sim.join(playerRecord(1, zone, data, seededRng(3)));
  if (!a.ok || !b.ok) throw new Error("join failed");
  const mob = sim.world.mobs[0]!;
  const mirror = realMirror(zone.id);
  mirror.sync(sim.world, 1);
  const encoder = new Encoder(mirror.state);
  encoder.discardChanges();
  enterBytesPerEntity = {
    player: enterBytes(mirror, encoder, a.entity.handle, b.entity.handle),
    mob: enterBytes(mirror, encoder, a.entity.handle, mob.handle),
  };
}

const view100 = scenarios.view100 as Record<string, number>;
const view20 = scenarios.view20 as Record<string, number>;
console.log(
  JSON.stringify({
    bench: "zone",
    players: PLAYERS,
    mobs: MOBS,
    tickMs: DT_MS,
    patchRateMs: DT_MS * PATCH_EVERY,
    aoiRadius: AOI_RADIUS,
    warmupTicks: WARMUP_TICKS,
    measuredTicks: MEASURED_TICKS,
    runs: RUNS,
    scenarios,
    targets: {
      stepPlusEncodeP99MaxMs: 5,
      bytesPerClientPerSecMax: 3000,
      stepPlusEncodeP99Met: Math.max(view20.totalMsP99!, view100.totalMsP99!) <= 5,
      bytesWith100InViewMet: view100.totalBytesPerClientPerSecMedian! <= 3000,
    },
    enterBytesPerEntity,
    elapsedSec: +((performance.now() - started) / 1000).toFixed(1),
    node: process.version,
    cpus: availableParallelism(),
    loadAvg1m: +(loadavg()[0] ?? 0).toFixed(2),
  }),
);
