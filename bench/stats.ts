/**
 * Actor Core stat aggregator benchmark on one core, for a realistic character (6 subsystems,
 * 37 contributions, 10 caps, 14 derived formulas). Prints one JSON object.
 *   npm run bench:stats [-- --runs 7 --ms 800]
 *
 * Paths measured:
 * - plan: Resolver.resolvePlan on a per-character plan (the hot path, top-level figures);
 * - compiled_sources: Resolver.resolve on compiled subsystems (what StatCache does on a change);
 * - raw_outputs: resolveSnapshot from subsystem output objects (compiles every output per call);
 * - cache_hit: StatCache.resolve with unchanged source versions;
 * - room_path: what a zone room calls, CharacterStatsCache.resolve(...).combat, for a geared
 *   level-15 warrior with two buffs, where every call changes one input in rotation: a third buff
 *   added or removed (new effects array), the weapon swapped between two items, the level
 *   alternating 15/16. Its cache_hit is the same call with nothing changed (the room's common case).
 *   Content definitions are compiled once (race/job per level, item, effect modifiers), and each
 *   character keeps its last 4 worn/effect combinations, so in this rotation a change re-merges
 *   and re-resolves but compiles nothing: as in a room where buffs recur and weapons are swapped.
 * Top-level resolves_per_sec, cpu_resolves_per_sec and p99_us are room_path's (the headline: what
 * the server does after a change); `plan` beside them is the pre-built plan's.
 * resolves_per_sec is the median over runs of wall-clock throughput; cpu_resolves_per_sec uses
 * process CPU time (less sensitive to other processes on a shared machine). Latency percentiles
 * time single calls with hrtime, so they include the timer's own cost (timer_overhead_us).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { loadGameData } from "../src/content/load-game-data.ts";
import {
  createCharacterStatsModel,
  type CharacterStats,
  type CharacterStatsInput,
} from "../src/game/character/character-stats.ts";
import { effectFromSkill, type ActiveEffect } from "../src/game/combat/effects.ts";
import type { Equipment } from "../src/game/items/equipment.ts";
import { sampleCharacterOutputs } from "../src/game/stats/sample-character.ts";
import {
  compileSubsystems,
  createDefaultRegistry,
  resolveSnapshot,
  Resolver,
  StatCache,
  type Snapshot,
  type StatSource,
} from "../src/game/stats/stats.ts";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "7" }, ms: { type: "string", default: "800" } },
});
const RUNS = Number(args.runs);
const RUN_MS = Number(args.ms);
const LATENCY_SAMPLES = 200_000;

let sink = 0; // keeps results alive so the JIT cannot drop the work
function consume(s: Snapshot): void {
  sink += s.Version;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function consumeStats(s: CharacterStats): void {
  sink += s.combat.hp_max > 0 ? 1 : 0;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Calls per run so that one run lasts about RUN_MS (fastest of 3 probes of >= 100 ms). */
function calibrate(fn: () => void): number {
  let n = 1000;
  let best = Infinity;
  for (let probe = 0; probe < 3;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns < 100e6) {
      n *= 2;
      continue;
    }
    best = Math.min(best, ns / n);
    probe++;
  }
  return Math.max(1000, Math.round((RUN_MS * 1e6) / best));
}

function timerOverheadUs(): number {
  const samples = new Float64Array(LATENCY_SAMPLES);
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentile(samples.sort(), 0.5) / 1000;
}

function measure(fn: () => void) {
  const n = calibrate(fn);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ns = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    wall.push((n * 1e9) / ns);
    cpu.push((n * 1e6) / (c.user + c.system));
  }
  const samples = new Float64Array(LATENCY_SAMPLES);
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  return {
    resolves_per_sec: Math.round(median(wall)),
    cpu_resolves_per_sec: Math.round(median(cpu)),
    min_run_resolves_per_sec: Math.round(Math.min(...wall)),
    p50_us: round(percentile(samples, 0.5) / 1000, 3),
    p99_us: round(percentile(samples, 0.99) / 1000, 3),
    calls_per_run: n,
  };
}

const outputs = sampleCharacterOutputs();
const registry = createDefaultRegistry({ withFormulas: true });
const resolver = new Resolver(registry);
const compiled = compileSubsystems(registry, outputs);
const plan = resolver.compile(compiled);
const cache = new StatCache(registry);
const sources: StatSource[] = outputs.map((output) => ({
  id: output.meta.system,
  version: 1,
  output,
}));
const snapshot = resolver.resolvePlan(plan);

/** The room's stats call, each call changing one input (buff, weapon, level) in rotation. */
async function roomPath() {
  const data = await loadGameData();
  const model = createCharacterStatsModel(data);
  const effectOf = (id: string): ActiveEffect => {
    const skill = data.content.skills.get(id);
    if (skill?.kind !== "buff") throw new Error(`no buff skill ${id}`);
    return effectFromSkill(skill, "bench", 0);
  };
  const base = [effectOf("iron_body"), effectOf("wind_step")];
  const effects = [base, [...base, effectOf("golden_bell")]] as const;
  const gear = {
    head: "iron_helm",
    chest: "iron_breastplate",
    legs: "cloth_trousers",
    feet: "leather_boots",
    hands: "leather_gloves",
    ring: "bone_ring",
    amulet: "phoenix_pendant",
  };
  const equipment = [
    { ...gear, weapon: "rusty_sword" },
    { ...gear, weapon: "azure_dragon_saber" },
  ] as unknown as readonly [Equipment, Equipment];
  for (const e of equipment) {
    for (const id of Object.values(e)) {
      if (!data.content.items.has(id as string)) throw new Error(`no item ${String(id)}`);
    }
  }
  const cache = model.createCache();
  let buff = 0;
  let weapon = 0;
  let level = 15;
  let turn = 0;
  // the room builds a fresh input object per call (zone-simulation refreshStats)
  const call = (): CharacterStats =>
    cache.resolve({
      race: "human",
      job: "warrior",
      level,
      equipment: equipment[weapon] as Equipment,
      effects: effects[buff] as readonly ActiveEffect[],
      zone: "town",
    } satisfies CharacterStatsInput);
  const changed = measure(() => {
    if (turn === 0) buff ^= 1;
    else if (turn === 1) weapon ^= 1;
    else level = level === 15 ? 16 : 15;
    turn = turn === 2 ? 0 : turn + 1;
    consumeStats(call());
  });
  const recomputesBefore = cache.recomputes;
  const hit = measure(() => consumeStats(call()));
  if (cache.recomputes !== recomputesBefore) throw new Error("room_path cache_hit recomputed");
  return { ...changed, cache_hit: hit };
}

const paths = {
  room_path: await roomPath(),
  plan: measure(() => consume(resolver.resolvePlan(plan))),
  compiled_sources: measure(() => consume(resolver.resolve(compiled))),
  raw_outputs: measure(() => consume(resolveSnapshot(registry, outputs))),
  cache_hit: measure(() => consume(cache.resolve("hero", sources))),
};

console.log(
  JSON.stringify({
    bench: "stats",
    node: process.version,
    character: {
      subsystems: outputs.length,
      contributions: outputs.reduce((n, o) => n + o.primary.length + o.derived.length, 0),
      caps: outputs.reduce((n, o) => n + o.caps.length, 0),
      formulas: registry.formulas?.count ?? 0,
      dimensions: Object.keys(snapshot.CapsUsed).length,
    },
    room_path: {
      resolves_per_sec: paths.room_path.resolves_per_sec,
      cpu_resolves_per_sec: paths.room_path.cpu_resolves_per_sec,
      p99_us: paths.room_path.p99_us,
    },
    plan: {
      resolves_per_sec: paths.plan.resolves_per_sec,
      cpu_resolves_per_sec: paths.plan.cpu_resolves_per_sec,
      p99_us: paths.plan.p99_us,
    },
    headline: "room_path",
    resolves_per_sec: paths.room_path.resolves_per_sec,
    cpu_resolves_per_sec: paths.room_path.cpu_resolves_per_sec,
    p99_us: paths.room_path.p99_us,
    paths,
    runs: RUNS,
    timer_overhead_us: round(timerOverheadUs(), 3),
    loadavg_1m: round(loadavg()[0] ?? 0, 2),
    checksum: sink > 0,
  }),
);
