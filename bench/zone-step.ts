/**
 * Zone step micro-benchmark: 500 moving players and 500 mobs in the field zone, 20 Hz ticks.
 * Also times a per-viewer area-of-interest refresh for all 500 viewers (radius 400, exit 440):
 * what the room ran per patch before it kept one set per interest cell (rooms/cell-views.ts; its
 * cost is in bench:zone). Prints one JSON object; each figure is the median over RUNS runs.
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import fieldJson from "../content/zones/field.json" with { type: "json" };
import {
  createInterestScratch,
  createInterestSet,
  EXIT_RADIUS_FACTOR,
  updateInterest,
} from "../src/game/world/interest.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import { isBlocked } from "../src/game/world/zone-geometry.ts";
import { stepZone, type PlayerInput, type StepHooks } from "../src/game/world/zone-step.ts";
import { addMob, addPlayer, createWorld } from "../src/game/world/world.ts";
import {
  fixtureMobs,
  fixtureMobTemplate,
  fixturePlayer,
  seededRng,
} from "../src/game/world/world-fixtures.ts";
import type { World, WorldRng } from "../src/game/world/world-types.ts";

const PLAYERS = 500;
const MOBS = 500;
const DT_MS = 50;
const WARMUP_TICKS = 200;
const MEASURED_TICKS = 1200;
const RUNS = 5;
const VIEW_RADIUS = 400;

const field = { ...(fieldJson as ZoneContent), maxPlayers: PLAYERS };
const hooks: StepHooks = { resolveAttack: () => ({ hit: true, damage: 1, crit: false }) };

function freePoint(world: World, rng: WorldRng): [number, number] {
  for (;;) {
    const x = 64 + rng.next() * (world.zone.width - 128);
    const y = 64 + rng.next() * (world.zone.height - 128);
    if (!isBlocked(world.geometry, x, y)) return [x, y];
  }
}

function buildWorld(seed: number): World {
  const rng = seededRng(seed);
  const world = createWorld(field, fixtureMobTemplate, rng);
  const kinds = [fixtureMobs.slime, fixtureMobs.wolf, fixtureMobs.skeleton];
  for (let i = world.mobs.length; i < MOBS; i++) {
    const [x, y] = freePoint(world, rng);
    addMob(world, kinds[i % 3]!, `bench:${i}`, "bench", x, y, rng);
  }
  for (let i = 0; i < PLAYERS; i++) {
    const [x, y] = freePoint(world, rng);
    const res = addPlayer(world, { ...fixturePlayer(`p${i}`, x, y), hp: 1e9, hpMax: 1e9 });
    if (!res.ok) throw new Error(res.reason);
  }
  return world;
}

/** Every player steers a little every tick and re-issues a move 10 times/s; 1 in 10 attacks. */
function inputsFor(world: World, tick: number, rng: WorldRng, seqs: number[]): PlayerInput[] {
  const inputs: PlayerInput[] = [];
  for (let i = 0; i < world.players.length; i++) {
    if ((tick + i) % 2 !== 0) continue;
    const p = world.players[i]!;
    const angle = p.dir + (rng.next() - 0.5) * 0.8;
    seqs[i] = (seqs[i] ?? 0) + 1;
    inputs.push({
      type: "move",
      playerId: p.id,
      seq: seqs[i]!,
      dx: Math.cos(angle),
      dy: Math.sin(angle),
    });
    if (i % 10 === 0 && tick % 40 === 0) {
      const mob = world.mobs[Math.floor(rng.next() * world.mobs.length)]!;
      inputs.push({ type: "attack", playerId: p.id, targetId: mob.id });
    }
  }
  return inputs;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runOnce(seed: number) {
  const world = buildWorld(seed);
  const rng = seededRng(seed + 1000);
  const seqs: number[] = [];
  const stepMs: number[] = [];
  const aoiMs: number[] = [];
  const sets = world.players.map(() => createInterestSet());
  const scratch = createInterestScratch(2048);
  const entered: number[] = [];
  const left: number[] = [];
  let events = 0;
  let inView = 0;
  let aoiSamples = 0;
  for (let tick = 0; tick < WARMUP_TICKS + MEASURED_TICKS; tick++) {
    const inputs = inputsFor(world, tick, rng, seqs);
    const t0 = performance.now();
    const result = stepZone(world, inputs, DT_MS, rng, hooks);
    const t1 = performance.now();
    for (let i = 0; i < world.players.length; i++) {
      const p = world.players[i]!;
      const exit = VIEW_RADIUS * EXIT_RADIUS_FACTOR;
      updateInterest(
        sets[i]!,
        world.grid,
        p.handle,
        p.x,
        p.y,
        VIEW_RADIUS,
        exit,
        scratch,
        entered,
        left,
      );
    }
    const t2 = performance.now();
    if (tick >= WARMUP_TICKS) {
      stepMs.push(t1 - t0);
      aoiMs.push(t2 - t1);
      events += result.events.length;
      for (const s of sets) inView += s.members.length;
      aoiSamples += sets.length;
    }
  }
  stepMs.sort((a, b) => a - b);
  aoiMs.sort((a, b) => a - b);
  return {
    stepP50: percentile(stepMs, 0.5),
    stepP99: percentile(stepMs, 0.99),
    aoiP50: percentile(aoiMs, 0.5),
    aoiP99: percentile(aoiMs, 0.99),
    eventsPerTick: events / MEASURED_TICKS,
    avgInView: inView / aoiSamples,
  };
}

const runs = Array.from({ length: RUNS }, (_, i) => runOnce(42 + i));
const pick = (key: keyof (typeof runs)[number]) => +median(runs.map((r) => r[key])).toFixed(3);

console.log(
  JSON.stringify({
    bench: "zone-step",
    players: PLAYERS,
    mobs: MOBS,
    zone: field.id,
    tickMs: DT_MS,
    ticksPerRun: MEASURED_TICKS,
    runs: RUNS,
    stepMsP50: pick("stepP50"),
    stepMsP99: pick("stepP99"),
    aoiAllViewersMsP50: pick("aoiP50"),
    aoiAllViewersMsP99: pick("aoiP99"),
    viewRadius: VIEW_RADIUS,
    avgEntitiesInView: pick("avgInView"),
    eventsPerTick: pick("eventsPerTick"),
    node: process.version,
    // p99 is sensitive to other processes on the machine: report the load it ran under.
    cpus: availableParallelism(),
    loadAvg1m: +(loadavg()[0] ?? 0).toFixed(2),
  }),
);
