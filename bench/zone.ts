/**
 * Zone room benchmark, without networking: what one zone room does per tick for 1,000 entities
 * (500 players, each with its own StateView, and 500 mobs), at 20 Hz.
 *
 * Per tick, exactly what ZoneRoom.tick and Colyseus' SchemaSerializer.applyPatches do:
 *   step   = ZoneSimulation.step + SchemaSync.sync + per-client updateInterest/applyInterestToView
 *            + the room's notice fan-out scan (sendNear)
 *   encode = one shared `encoder.encode()` of the changes, then `encoder.encodeView(view, ...)`
 *            per client, then `discardChanges()` (patchRate 50 ms = one patch per tick)
 * Bytes per client are the lengths of the per-client patch frames (protocol byte included,
 * WebSocket framing excluded); `damaged`/`missed`/`died` notices are counted separately.
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
 * Prototypes (bench-local copies of the schema and of SchemaSync; schema/ is untouched) quantify
 * byte reductions on the ~100-in-view scenario: int16 positions, dead reckoning (x/y/velocity
 * re-sent only when the client's extrapolation drifts by more than N units), smaller entering
 * entities (no duplicated id, short keys, codes instead of strings), 10 Hz patches.
 *
 * Prints one JSON object. Each figure is the median over RUNS runs of WARMUP + MEASURED ticks
 * (prototypes: PROTOTYPE_RUNS runs of PROTOTYPE_TICKS). Byte figures are deterministic (seeded);
 * timings depend on the machine and its load (`cpuMsPerTickMean` is process CPU time, which other
 * processes' load barely affects; `loadAvg1m` is printed).
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { getMessageBytes, Protocol } from "@colyseus/core";
import { Decoder, Encoder, schema, StateView, t, type SchemaType } from "@colyseus/schema";
import { OWNER_VIEW_TAG } from "../schema/Entity.ts";
import { addOwnerToView, applyInterestToView, SchemaSync } from "../schema/to-schema.ts";
import { ZoneState } from "../schema/ZoneState.ts";
import { ZoneMessages } from "../rooms/zone-messages.ts";
import { loadGameData, type GameData } from "../src/content/load-game-data.ts";
import { createEquipment } from "../src/game/items/equipment.ts";
import { createInventory } from "../src/game/items/inventory.ts";
import { createQuestLog } from "../src/game/quests/quest-log.ts";
import {
  createInterestScratch,
  createInterestSet,
  EXIT_RADIUS_FACTOR,
  INTEREST_REFRESH_TICKS,
  updateInterest,
  type InterestSet,
} from "../src/game/world/interest.ts";
import { validateZones, type MobSpawn, type ZoneContent } from "../src/game/world/zone-content.ts";
import { seededRng } from "../src/game/world/world-fixtures.ts";
import type { Entity as WorldEntity, World, WorldRng } from "../src/game/world/world-types.ts";
import type { PlayerRecord } from "../src/world/player-record.ts";
import { ZoneSimulation, type SimNotice } from "../src/world/zone-simulation.ts";
import { NO_TIMERS } from "../src/progression/character-timers.ts";

const PLAYERS = 500;
const MOBS = 500;
const DT_MS = 50;
const TICKS_PER_SEC = 1000 / DT_MS;
const WARMUP_TICKS = 100;
const MEASURED_TICKS = 400;
const RUNS = 3;
const PROTOTYPE_RUNS = 1;
const PROTOTYPE_TICKS = 160;
/** As src/server.ts AOI_RADIUS and rooms/ZoneRoom.ts MAX_ENTERED_PER_PATCH. */
const AOI_RADIUS = 400;
const MAX_ENTERED_PER_PATCH = 48;
/** As src/server.ts sets at boot (above the largest full state). */
const ENCODER_BUFFER_BYTES = 1024 * 1024;
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

// ---------------------------------------------------------------------------------------------
// Prototype schema (bench-local copy of schema/Entity.ts with compact positions)
// ---------------------------------------------------------------------------------------------

/**
 * What an entity entering a view costs:
 * - `full`: as schema/Entity.ts (id, kind, name, templateId strings; the map key is the id again);
 * - `compact`: no `id` field (the map key already carries it), `kind` as a uint8 code;
 * - `minimal`: compact, plus a short network key (base-36 handle and generation) instead of the
 *   entity id (a player id is a 36-character UUID), `templateId` as a uint16 content code and no
 *   `name` for mobs (the client reads it from the template).
 * Server-side values stay on the entity (`.noSync()`).
 */
type EnterMode = "full" | "compact" | "minimal";

function protoSchema(enter: EnterMode) {
  const serverOnly = (field: ReturnType<typeof t.string>, when: boolean) =>
    when ? field.noSync() : field;
  const entity = schema(
    {
      id: serverOnly(t.string(), enter !== "full"),
      kind: serverOnly(t.string(), enter !== "full"),
      kindCode: t.uint8(),
      name: t.string(),
      templateId: serverOnly(t.string(), enter === "minimal"),
      templateCode: t.uint16(),
      /** Whole world units. */
      x: t.int16(),
      y: t.int16(),
      /** Dead reckoning only: velocity in units/s and the tick x/y/vx/vy were set at. */
      vx: t.int16(),
      vy: t.int16(),
      posTick: t.uint16(),
      dir: t.angle({ bits: 8 }),
      hpRatio: t.uint8(),
      level: t.uint16(),
      hp: t.uint32().view(OWNER_VIEW_TAG),
      hpMax: t.uint32().view(OWNER_VIEW_TAG),
      mp: t.uint32().view(OWNER_VIEW_TAG),
      mpMax: t.uint32().view(OWNER_VIEW_TAG),
      xp: t.float64().view(OWNER_VIEW_TAG),
      gold: t.float64().view(OWNER_VIEW_TAG),
      ackSeq: t.uint32().view(OWNER_VIEW_TAG),
      cooldowns: t.map("number").view(OWNER_VIEW_TAG),
    },
    `BenchEntity_${enter}`,
  );
  const state = schema(
    {
      zoneId: t.string(),
      /** Server tick (dead reckoning clients extrapolate from posTick to here). */
      tick: t.uint32(),
      entities: t.map(entity).view(),
    },
    `BenchState_${enter}`,
  );
  return { entity, state };
}

const PROTO_SCHEMAS: Record<EnterMode, ReturnType<typeof protoSchema>> = {
  full: protoSchema("full"),
  compact: protoSchema("compact"),
  minimal: protoSchema("minimal"),
};
type ProtoEntity = SchemaType<typeof PROTO_SCHEMAS.full.entity>;
type ProtoState = SchemaType<typeof PROTO_SCHEMAS.full.state>;
const KIND_CODES: Record<WorldEntity["kind"], number> = { player: 1, mob: 2, drop: 3, npc: 4 };

type ProtoMode = {
  /** Dead reckoning: re-send x/y/vx/vy only when the client's extrapolation is off by more. */
  deadReckoningUnits: number;
  /** Mobs' threshold when it differs (a mob in melee can drift more without looking wrong). */
  mobDeadReckoningUnits?: number;
  enter: EnterMode;
};

const HP_RATIO_MAX = 255;
const ANGLE_STEPS = 256;

/** A quantized 8-bit angle step, as `t.angle({ bits: 8 })` puts it on the wire. */
function angleStep(rad: number): number {
  const turn = rad / (2 * Math.PI);
  return ((Math.round((turn - Math.floor(turn)) * ANGLE_STEPS) % ANGLE_STEPS) + ANGLE_STEPS) % 256;
}

function hpRatioOf(e: WorldEntity): number {
  if (e.kind === "drop" || e.kind === "npc") return HP_RATIO_MAX;
  const hp = e.kind === "player" && e.dead ? 0 : e.hp;
  const r = e.hpMax > 0 ? Math.round((Math.max(0, hp) / e.hpMax) * HP_RATIO_MAX) : 0;
  return Math.min(r, HP_RATIO_MAX);
}

/**
 * Same job as schema/to-schema.ts SchemaSync, for the prototype schema: int16 positions written
 * only when the rounded value changes, optionally dead reckoning (x/y/vx/vy/posTick re-sent only
 * when the client-side extrapolation drifts by more than the threshold; facing then derives from
 * velocity while moving, so `dir` is only written for entities standing still).
 */
class ProtoSync {
  readonly state: ProtoState;
  private readonly byHandle: (ProtoEntity | undefined)[] = [];
  private readonly generations: number[] = [];
  private readonly prevX: number[] = [];
  private readonly prevY: number[] = [];
  private readonly sentTick: number[] = [];
  private readonly keys: string[] = [];
  private readonly templateCodes = new Map<string, number>();
  private readonly mode: ProtoMode;
  /** Position writes (x/y, or a dead reckoning correction) per entity kind. */
  readonly positionWrites = { player: 0, mob: 0 };

  constructor(state: ProtoState, mode: ProtoMode) {
    this.state = state;
    this.mode = mode;
  }

  entityOf(handle: number): ProtoEntity | undefined {
    return this.byHandle[handle];
  }

  /** The entity's key in the replicated map. */
  keyOf(handle: number): string | undefined {
    return this.keys[handle];
  }

  sync(world: World, tick: number): void {
    const { grid, entities } = world;
    const map = this.state.entities;
    this.state.tick = tick;
    const n = Math.max(entities.length, this.byHandle.length);
    for (let h = 0; h < n; h++) {
      const e = entities[h];
      const present = e !== undefined && grid.has(h);
      let s = this.byHandle[h];
      if (s && (!present || s.id !== e.id || this.generations[h] !== grid.generation(h))) {
        const key = this.keys[h]!;
        if (map.get(key) === s) map.delete(key);
        this.byHandle[h] = s = undefined;
      }
      if (!present) continue;
      const fresh = !s;
      if (!s) {
        s = new PROTO_SCHEMAS[this.mode.enter].entity();
        s.id = e.id;
        s.kind = e.kind;
        if (this.mode.enter !== "full") s.kindCode = KIND_CODES[e.kind];
        this.keys[h] =
          this.mode.enter === "minimal"
            ? `${h.toString(36)}.${grid.generation(h).toString(36)}`
            : e.id;
        this.prevX[h] = e.x;
        this.prevY[h] = e.y;
      }
      this.copy(h, s, e, tick, fresh);
      if (fresh) {
        map.set(this.keys[h]!, s);
        this.byHandle[h] = s;
        this.generations[h] = grid.generation(h);
      }
      this.prevX[h] = e.x;
      this.prevY[h] = e.y;
    }
  }

  /** Content ids numbered in order of first use (a real build would number them in content). */
  private templateCode(id: string): number {
    let code = this.templateCodes.get(id);
    if (code === undefined) this.templateCodes.set(id, (code = this.templateCodes.size + 1));
    return code;
  }

  private countWrite(e: WorldEntity): void {
    if (e.kind === "player" || e.kind === "mob") this.positionWrites[e.kind] += 1;
  }

  private copy(h: number, s: ProtoEntity, e: WorldEntity, tick: number, fresh: boolean): void {
    const minimal = this.mode.enter === "minimal";
    const name = minimal && e.kind === "mob" ? "" : e.name;
    if (s.name !== name) s.name = name;
    const dx = e.x - this.prevX[h]!;
    const dy = e.y - this.prevY[h]!;
    const moved = dx !== 0 || dy !== 0;
    const dr =
      e.kind === "mob"
        ? (this.mode.mobDeadReckoningUnits ?? this.mode.deadReckoningUnits)
        : this.mode.deadReckoningUnits;
    if (dr > 0) {
      const elapsed = ((tick - (this.sentTick[h] ?? tick)) * DT_MS) / 1000;
      const px = s.x + s.vx * elapsed;
      const py = s.y + s.vy * elapsed;
      if (fresh || (px - e.x) ** 2 + (py - e.y) ** 2 > dr * dr) {
        setIfChanged(s, "x", Math.round(e.x));
        setIfChanged(s, "y", Math.round(e.y));
        setIfChanged(s, "vx", Math.round((dx * 1000) / DT_MS));
        setIfChanged(s, "vy", Math.round((dy * 1000) / DT_MS));
        setIfChanged(s, "posTick", tick & 0xffff);
        this.sentTick[h] = tick;
        this.countWrite(e);
      }
    } else if (s.x !== Math.round(e.x) || s.y !== Math.round(e.y)) {
      setIfChanged(s, "x", Math.round(e.x));
      setIfChanged(s, "y", Math.round(e.y));
      this.countWrite(e);
    }
    const dir = e.kind === "player" || e.kind === "mob" ? e.dir : 0;
    // Compare on the wire value: the field reads back quantized, never equal to the float.
    if ((dr === 0 || !moved) && angleStep(s.dir) !== angleStep(dir)) s.dir = dir;
    const level = e.kind === "player" || e.kind === "mob" ? e.level : 0;
    setIfChanged(s, "level", level);
    setIfChanged(s, "hpRatio", hpRatioOf(e));
    const templateId = e.kind === "mob" ? e.templateId : e.kind === "drop" ? e.itemId : "";
    if (s.templateId !== templateId) {
      s.templateId = templateId;
      if (minimal && templateId !== "") s.templateCode = this.templateCode(templateId);
    }
    if (e.kind !== "player") return;
    setIfChanged(s, "hp", e.hp);
    setIfChanged(s, "hpMax", e.hpMax);
    setIfChanged(s, "mp", e.mp);
    setIfChanged(s, "mpMax", e.mpMax);
    setIfChanged(s, "xp", e.xp);
    setIfChanged(s, "gold", e.gold);
    setIfChanged(s, "ackSeq", e.lastProcessedSeq);
    const cds = s.cooldowns;
    for (const [skill, ms] of e.cooldowns) if (cds.get(skill) !== ms) cds.set(skill, ms);
    if (cds.size > e.cooldowns.size) {
      for (const key of [...cds.keys()]) if (!e.cooldowns.has(key)) cds.delete(key);
    }
  }
}

type NumericField =
  | "x"
  | "y"
  | "vx"
  | "vy"
  | "posTick"
  | "level"
  | "hpRatio"
  | "hp"
  | "hpMax"
  | "mp"
  | "mpMax"
  | "xp"
  | "gold"
  | "ackSeq";

function setIfChanged(s: ProtoEntity, field: NumericField, value: number): void {
  if (s[field] !== value) s[field] = value;
}

// ---------------------------------------------------------------------------------------------
// The two mirrors: the real schema + SchemaSync, and the prototype
// ---------------------------------------------------------------------------------------------

type AnyState = ZoneState | ProtoState;

interface Mirror {
  readonly state: AnyState;
  sync(world: World, tick: number): void;
  addOwner(view: StateView, handle: number): void;
  applyView(view: StateView, entered: readonly number[], left: readonly number[]): void;
  newClientState(): AnyState;
  /** Decoded x/y/vx/vy/posTick of world entity `handle` in a client state (for the probes). */
  readPosition(state: AnyState, handle: number): ClientPosition | undefined;
  readonly tickOf: (state: AnyState) => number;
  /** Prototype only: position writes per entity kind since the last reset. */
  readonly positionWrites?: { player: number; mob: number };
}

type ClientPosition = { x: number; y: number; vx: number; vy: number; posTick: number };

function realMirror(zoneId: string): Mirror {
  const state = new ZoneState();
  state.zoneId = zoneId;
  const sync = new SchemaSync(state);
  return {
    state,
    sync: (world) => {
      sync.sync(world);
      sync.flushRemovals();
    },
    addOwner: (view, h) => addOwnerToView(view, sync.entityOf(h)!),
    applyView: (view, entered, left) => applyInterestToView(view, sync, entered, left),
    newClientState: () => new ZoneState(),
    readPosition: (s, h) => {
      const e = (s as ZoneState).entities.get(sync.entityOf(h)?.id ?? "");
      return e && { x: e.x, y: e.y, vx: e.vx, vy: e.vy, posTick: e.posTick };
    },
    tickOf: (s) => (s as ZoneState).tick,
  };
}

function protoMirror(zoneId: string, mode: ProtoMode): Mirror {
  const State = PROTO_SCHEMAS[mode.enter].state;
  const state = new State();
  state.zoneId = zoneId;
  const sync = new ProtoSync(state, mode);
  return {
    state,
    sync: (world, tick) => sync.sync(world, tick),
    addOwner: (view, h) => view.add(sync.entityOf(h)!, OWNER_VIEW_TAG),
    applyView: (view, entered, left) => {
      for (const h of left) {
        const s = sync.entityOf(h);
        if (s && view.has(s)) view.remove(s);
      }
      for (const h of entered) {
        const s = sync.entityOf(h);
        if (s && !view.has(s)) view.add(s);
      }
    },
    newClientState: () => new State(),
    readPosition: (s, h) => {
      const e = (s as ProtoState).entities.get(sync.keyOf(h) ?? "");
      return e && { x: e.x, y: e.y, vx: e.vx, vy: e.vy, posTick: e.posTick };
    },
    tickOf: (s) => (s as ProtoState).tick,
    positionWrites: sync.positionWrites,
  };
}

type Variant = {
  name: string;
  /** Undefined: the real schema (schema/Entity.ts, schema/to-schema.ts). */
  mode?: ProtoMode;
  /** Patch every this many ticks (Colyseus patchRate = patchEvery × 50 ms). */
  patchEvery: number;
};

const BASELINE: Variant = { name: "baseline", patchEvery: 1 };
/** Prototypes, each on the ~100-in-view scenario. */
const PROTOTYPES: Variant[] = [
  { name: "int16Positions", mode: { deadReckoningUnits: 0, enter: "full" }, patchEvery: 1 },
  {
    name: "int16Positions_patch10Hz",
    mode: { deadReckoningUnits: 0, enter: "full" },
    patchEvery: 2,
  },
  { name: "deadReckoning4u", mode: { deadReckoningUnits: 4, enter: "full" }, patchEvery: 1 },
  {
    name: "deadReckoning4u_minimalEnter",
    mode: { deadReckoningUnits: 4, enter: "minimal" },
    patchEvery: 1,
  },
  {
    name: "deadReckoning4u_mobs12u_minimalEnter",
    mode: { deadReckoningUnits: 4, mobDeadReckoningUnits: 12, enter: "minimal" },
    patchEvery: 1,
  },
  {
    name: "deadReckoning4u_mobs12u_minimalEnter_patch10Hz",
    mode: { deadReckoningUnits: 4, mobDeadReckoningUnits: 12, enter: "minimal" },
    patchEvery: 2,
  },
];

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
  view: StateView;
  interest: InterestSet;
  seq: number;
  nextTurnMs: number;
  patchBytes: number;
  messageBytes: number;
  entered: number;
  probe?: { state: AnyState; decoder: Decoder; lastSeen: Map<string, number> };
};

// ---------------------------------------------------------------------------------------------
// One run
// ---------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runOnce(data: GameData, side: number, variant: Variant, seed: number, ticks: number) {
  const rng = seededRng(seed);
  const zone = syntheticZone(side, data, rng);
  const sim = new ZoneSimulation(zone, data, seed);
  const world = sim.world;
  const mirror = variant.mode ? protoMirror(zone.id, variant.mode) : realMirror(zone.id);
  const encoder = new Encoder(mirror.state);
  const scratch = createInterestScratch(2048);
  const entered: number[] = [];
  const left: number[] = [];
  const exitRadius = AOI_RADIUS * EXIT_RADIUS_FACTOR;

  const clients: Client[] = [];
  for (let i = 0; i < PLAYERS; i++) {
    const joined = sim.join(playerRecord(i, zone, data, rng));
    if (!joined.ok) throw new Error(joined.reason);
    clients.push({
      characterId: joined.entity.id,
      handle: joined.entity.handle,
      view: new StateView(),
      interest: createInterestSet(),
      seq: 0,
      nextTurnMs: 0,
      patchBytes: 0,
      messageBytes: 0,
      entered: 0,
    });
  }

  const refreshView = (c: Client) => {
    updateInterest(
      c.interest,
      world.grid,
      c.handle,
      world.grid.xOf(c.handle),
      world.grid.yOf(c.handle),
      AOI_RADIUS,
      exitRadius,
      scratch,
      entered,
      left,
      MAX_ENTERED_PER_PATCH,
    );
    if (entered.length > 0 || left.length > 0) mirror.applyView(c.view, entered, left);
    return entered.length;
  };

  // Join: own entity with owner fields, first AOI fill, full state per client.
  mirror.sync(world, 0);
  for (const c of clients) {
    mirror.addOwner(c.view, c.handle);
    refreshView(c);
  }
  const full = { offset: 1 };
  encoder.encodeAll(full);
  clients.slice(0, PROBES).forEach((c) => {
    const state = mirror.newClientState();
    const decoder = new Decoder(state);
    const bytes = encoder.encodeAllView(c.view, full.offset, { ...full });
    decoder.decode(bytes, { offset: 1 });
    c.probe = { state, decoder, lastSeen: new Map() };
  });
  for (const c of clients.slice(PROBES)) encoder.encodeAllView(c.view, full.offset, { ...full });
  encoder.discardChanges();

  const stepMs: number[] = [];
  const encodeMs: number[] = [];
  const totalMs: number[] = [];
  const parts = { sim: [] as number[], sync: [] as number[], aoi: [] as number[] };
  let sharedBytes = 0;
  let patches = 0;
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
  const fieldChanges = { position: 0, dir: 0, hpRatio: 0 };
  const prev = { x: [] as number[], y: [] as number[], dir: [] as number[], hp: [] as number[] };
  const moved: boolean[] = [];
  const probeErrors: number[] = [];

  for (let tick = 1; tick <= WARMUP_TICKS + ticks; tick++) {
    const measuring = tick > WARMUP_TICKS;
    if (tick === WARMUP_TICKS + 1 && mirror.positionWrites) {
      mirror.positionWrites.player = 0;
      mirror.positionWrites.mob = 0;
    }
    const nowMs = tick * DT_MS;
    // Client messages, as the room's onMessage handler validates and queues them.
    for (const c of clients) {
      if (nowMs < c.nextTurnMs) continue;
      c.nextTurnMs = nowMs + TURN_MIN_MS + rng.next() * TURN_SPAN_MS;
      const angle = rng.next() * 2 * Math.PI;
      const parsed = ZoneMessages.move.safeParse({
        dx: Math.cos(angle),
        dy: Math.sin(angle),
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
    // As ZoneRoom.tick: each client's interest every INTEREST_REFRESH_TICKS ticks, in turns.
    for (let i = tick % INTEREST_REFRESH_TICKS; i < clients.length; i += INTEREST_REFRESH_TICKS) {
      const c = clients[i]!;
      const n = refreshView(c);
      if (measuring) c.entered += n;
    }
    // ZoneRoom.sendNear: who gets each damaged/missed/died notice.
    const r2 = exitRadius * exitRadius;
    const fanout: { notice: SimNotice; to: Client[] }[] = [];
    for (const notice of tickNotices) {
      if (notice.type !== "damaged" && notice.type !== "missed" && notice.type !== "died") continue;
      const to: Client[] = [];
      for (const c of clients) {
        const dx = world.grid.xOf(c.handle) - notice.x;
        const dy = world.grid.yOf(c.handle) - notice.y;
        if (dx * dx + dy * dy <= r2) to.push(c);
      }
      fanout.push({ notice, to });
    }
    const t3 = performance.now();

    // The patch: SchemaSerializer.applyPatches (always has changes here: 1,000 entities).
    let e0 = t3;
    let e1 = t3;
    let cpuTickUs: number;
    const patchNow = tick % variant.patchEvery === 0;
    if (patchNow) {
      e0 = performance.now();
      const it = { offset: 1 };
      encoder.sharedBuffer[0] = Protocol.ROOM_STATE_PATCH;
      encoder.encode(it);
      const sharedOffset = it.offset;
      const frames: Uint8Array[] = [];
      for (const c of clients) frames.push(encoder.encodeView(c.view, sharedOffset, it));
      encoder.discardChanges();
      e1 = performance.now();
      cpuTickUs = cpuSince(cpu0);
      if (measuring) {
        patches += 1;
        sharedBytes += sharedOffset;
        for (let i = 0; i < clients.length; i++) {
          const len = frames[i]!.length;
          clients[i]!.patchBytes += len;
          if (len > maxPatchBytes) maxPatchBytes = len;
        }
      }
      for (let i = 0; i < PROBES; i++) {
        const c = clients[i]!;
        c.probe!.decoder.decode(frames[i]!, { offset: 1 });
        if (measuring) checkProbe(c);
      }
    } else cpuTickUs = cpuSince(cpu0);
    if (!measuring) continue;
    cpuUs += cpuTickUs;

    stepMs.push(t3 - t0);
    if (patchNow) encodeMs.push(e1 - e0);
    totalMs.push(t3 - t0 + (e1 - e0));
    parts.sim.push(t1 - t0);
    parts.sync.push(t2 - t1);
    parts.aoi.push(t3 - t2);
    notices += tickNotices.length;
    for (const { notice, to } of fanout) {
      const size = noticeBytes(notice);
      for (const c of to) c.messageBytes += size;
    }

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
      inView += c.interest.members.length;
      for (const h of c.interest.members) if (moved[h]) movingInView += 1;
    }
    viewSamples += clients.length;
  }

  function checkProbe(c: Client): void {
    const probe = c.probe!;
    const entities = (probe.state as ZoneState).entities;
    const expected = c.interest.members.length + 1;
    if (entities.size !== expected) {
      throw new Error(`probe ${c.characterId}: decoded ${entities.size}, view ${expected}`);
    }
    // How far the client's idea of each entity's position is from the server's.
    for (const h of c.interest.members) {
      const e = world.entities[h]!;
      const p = mirror.readPosition(probe.state, h);
      if (!p) throw new Error(`probe ${c.characterId}: ${e.id} missing`);
      let x = p.x;
      let y = p.y;
      // Dead reckoning (vx/vy are 0 for layouts without it).
      const serverTick = mirror.tickOf(probe.state);
      const elapsed = (((serverTick - p.posTick) & 0xffff) * DT_MS) / 1000;
      x += p.vx * elapsed;
      y += p.vy * elapsed;
      probeErrors.push(Math.hypot(x - e.x, y - e.y));
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
  const enteredPerSec = clients.map((c) => c.entered / seconds).sort((a, b) => a - b);
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
    aoiMsP50: percentile(parts.aoi, 0.5),
    bytesPerClientPerSecMedian: percentile(perClient, 0.5),
    bytesPerClientPerSecP99: percentile(perClient, 0.99),
    bytesPerClientPerPatchMedian: (percentile(perClient, 0.5) * seconds) / Math.max(1, patches),
    maxPatchBytes,
    sharedPatchBytes: sharedBytes / Math.max(1, patches),
    avgEntitiesInView: inView / viewSamples,
    avgMovingEntitiesInView: movingInView / viewSamples,
    enteringPerClientPerSec: percentile(enteredPerSec, 0.5),
    noticeBytesPerClientPerSecMedian: percentile(messages, 0.5),
    noticesPerTick: notices / ticks,
    positionChangesPerEntityPerSec: (fieldChanges.position / entitySamples) * TICKS_PER_SEC,
    dirChangesPerEntityPerSec: (fieldChanges.dir / entitySamples) * TICKS_PER_SEC,
    hpRatioChangesPerEntityPerSec: (fieldChanges.hpRatio / entitySamples) * TICKS_PER_SEC,
    clientPositionErrorP99: probeErrors.length ? percentile(probeErrors, 0.99) : 0,
    mobsInCombatFraction: engagedMobTicks / Math.max(1, mobTicks),
    positionWritesPerPlayerPerSec: (mirror.positionWrites?.player ?? NaN) / (PLAYERS * seconds),
    positionWritesPerMobPerSec: (mirror.positionWrites?.mob ?? NaN) / (MOBS * seconds),
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

/** Bytes of one notice as `client.send(type, notice)` frames it (ROOM_DATA, type, msgpack). */
function noticeBytes(notice: SimNotice): number {
  return getMessageBytes.raw(Protocol.ROOM_DATA, notice.type, notice).length;
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
    runOnce(data, scenario.side, BASELINE, 42 + i, MEASURED_TICKS),
  );
  scenarios[scenario.name] = { zoneSide: scenario.side, ...summarize(runs) };
}

const dense = SCENARIOS[1];
const prototypes: Record<string, unknown> = {};
for (const variant of PROTOTYPES) {
  const runs = Array.from({ length: PROTOTYPE_RUNS }, (_, i) =>
    runOnce(data, dense.side, variant, 42 + i, PROTOTYPE_TICKS),
  );
  const s = summarize(runs);
  prototypes[variant.name] = {
    patchRateMs: variant.patchEvery * DT_MS,
    totalMsP50: s.totalMsP50,
    totalMsP99: s.totalMsP99,
    encodeMsP50: s.encodeMsP50,
    cpuMsPerTickMean: s.cpuMsPerTickMean,
    bytesPerClientPerSecMedian: s.bytesPerClientPerSecMedian,
    bytesPerClientPerSecP99: s.bytesPerClientPerSecP99,
    bytesPerClientPerPatchMedian: s.bytesPerClientPerPatchMedian,
    avgEntitiesInView: s.avgEntitiesInView,
    clientPositionErrorP99: s.clientPositionErrorP99,
    positionWritesPerPlayerPerSec: s.positionWritesPerPlayerPerSec,
    positionWritesPerMobPerSec: s.positionWritesPerMobPerSec,
  };
}

// What one entity entering a view costs, per schema layout (no simulation needed).
const enterBytesBySchema: Record<string, { player: number; mob: number }> = {};
{
  const zone = syntheticZone(SCENARIOS[1].side, data, seededRng(1));
  const sim = new ZoneSimulation(zone, data, 1);
  const a = sim.join(playerRecord(0, zone, data, seededRng(2)));
  const b = sim.join(playerRecord(1, zone, data, seededRng(3)));
  if (!a.ok || !b.ok) throw new Error("join failed");
  const mob = sim.world.mobs[0]!;
  const layouts: [string, Mirror][] = [
    ["schema/Entity.ts", realMirror(zone.id)],
    ...(["full", "compact", "minimal"] as const).map((enter): [string, Mirror] => [
      `prototype_${enter}`,
      protoMirror(zone.id, { deadReckoningUnits: 4, enter }),
    ]),
  ];
  for (const [name, mirror] of layouts) {
    mirror.sync(sim.world, 1);
    const encoder = new Encoder(mirror.state);
    encoder.discardChanges();
    enterBytesBySchema[name] = {
      player: enterBytes(mirror, encoder, a.entity.handle, b.entity.handle),
      mob: enterBytes(mirror, encoder, a.entity.handle, mob.handle),
    };
  }
}

const view100 = scenarios.view100 as Record<string, number>;
const view20 = scenarios.view20 as Record<string, number>;
console.log(
  JSON.stringify({
    bench: "zone",
    players: PLAYERS,
    mobs: MOBS,
    tickMs: DT_MS,
    patchRateMs: DT_MS,
    aoiRadius: AOI_RADIUS,
    warmupTicks: WARMUP_TICKS,
    measuredTicks: MEASURED_TICKS,
    runs: RUNS,
    scenarios,
    targets: {
      stepPlusEncodeP99MaxMs: 5,
      bytesPerClientPerSecMax: 3000,
      stepPlusEncodeP99Met: Math.max(view20.totalMsP99!, view100.totalMsP99!) <= 5,
      bytesWith100InViewMet: view100.bytesPerClientPerSecMedian! <= 3000,
    },
    enterBytesBySchema,
    prototypesOnView100: { runs: PROTOTYPE_RUNS, measuredTicks: PROTOTYPE_TICKS, ...prototypes },
    elapsedSec: +((performance.now() - started) / 1000).toFixed(1),
    node: process.version,
    cpus: availableParallelism(),
    loadAvg1m: +(loadavg()[0] ?? 0).toFixed(2),
  }),
);
