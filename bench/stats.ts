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
 * - room_path: what a zone room does after a change (zone-simulation refreshStats):
 *   CharacterStatsCache.resolve(...).combat with a fresh input object, for a geared human warrior
 *   with two buffs, every call changing one input in rotation: a buff cast or expired (a new
 *   effects array of new effect objects, as applyEffect and expiry give the room), a weapon swap
 *   (a new equipment object), a level change. The inputs of a whole cycle are built before
 *   timing. Reused across calls, as in the server: each content definition compiled and indexed
 *   once per process (race/job at a level, item, a skill's modifiers, realm) and one snapshot
 *   builder per shape; the character keeps no memo of past states. Two rotations:
 *   - fresh (the headline): golden_bell stacks from 0 to 7 sources, then they all expire
 *     together; the weapon cycles through all 7 weapons; the level climbs 1..60 and wraps,
 *     crossing realm boundaries (caps change). No input returns to a state it had within its
 *     last 6 changes.
 *   - recurring: one golden_bell on and off, the weapon swapped between two, level 15/16.
 *   Its cache_hit is the same call with nothing changed (the room's common case).
 * Top-level resolves_per_sec, cpu_resolves_per_sec and p99_us are room_path.fresh's (the
 * headline: what the server does after a change); `plan` beside them is the pre-built plan's.
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
import { applyEffect, effectFromSkill, type ActiveEffects } from "../src/game/combat/effects.ts";
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

function pick(m: { resolves_per_sec: number; cpu_resolves_per_sec: number; p99_us: number }) {
  const { resolves_per_sec, cpu_resolves_per_sec, p99_us } = m;
  return { resolves_per_sec, cpu_resolves_per_sec, p99_us };
}

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

/** Everything worn but the weapon (typed, so a slot name that does not exist fails to build). */
const GEAR = {
  head: "iron_helm",
  chest: "iron_breastplate",
  legs: "cloth_trousers",
  feet: "leather_boots",
  hands: "leather_gloves",
  ring_1: "bone_ring",
  ring_2: "jade_ring",
  amulet: "phoenix_pendant",
} as const satisfies Omit<Equipment, "weapon">;
const MAX_STACKS = 7;

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** The room's stats call after a change (buff, weapon, level in turn); see the header. */
async function roomPath() {
  const data = await loadGameData();
  const model = createCharacterStatsModel(data);
  const buffSkill = (id: string) => {
    const skill = data.content.skills.get(id);
    if (skill?.kind !== "buff") throw new Error(`no buff skill ${id}`);
    return skill;
  };
  const stacked = buffSkill("golden_bell");
  const base = [buffSkill("iron_body"), buffSkill("wind_step")].map((s) =>
    effectFromSkill(s, "self", 0),
  );
  const weapons = [...data.content.items.values()]
    .filter((item) => item.type === "weapon")
    .map((item) => item.id);
  if (weapons.length <= 4) throw new Error("fresh rotation needs more than 4 weapons");
  for (const id of Object.values(GEAR) as string[]) {
    if (!data.content.items.has(id)) throw new Error(`no item ${id}`);
  }
  const levelCap = data.content.leveling.levelCap;

  type Step = { level: number; equipment: Equipment; effects: ActiveEffects };
  /**
   * The inputs of one whole cycle of changes (turn 0 buff, 1 weapon, 2 level), built before
   * timing so that the figure is the stats call's, not the making of effect lists and gear.
   */
  const cycle = (fresh: boolean): Step[] => {
    const stackStates = fresh ? MAX_STACKS + 1 : 2;
    const weaponStates = fresh ? weapons.length : 2;
    const levelStates = fresh ? levelCap : 2;
    const calls = 3 * lcm(lcm(stackStates, weaponStates), levelStates);
    let effects: ActiveEffects = base;
    let stacks = 0;
    let weapon = 0;
    let level = 15;
    let equipment: Equipment = { ...GEAR, weapon: weapons[0] as string };
    const steps: Step[] = [];
    for (let call = 0; call < calls; call++) {
      const turn = call % 3;
      if (turn === 0) {
        // a cast from one more source stacks; at the limit they all expire together (cast in
        // the same tick)
        if (stacks < stackStates - 1) {
          effects = applyEffect(effects, effectFromSkill(stacked, `caster${stacks}`, 0));
          stacks++;
        } else {
          effects = effects.filter((e) => e.id !== stacked.id);
          stacks = 0;
        }
      } else if (turn === 1) {
        weapon = (weapon + 1) % weaponStates;
        equipment = { ...GEAR, weapon: weapons[weapon] as string };
      } else {
        level = fresh ? (level % levelCap) + 1 : level === 15 ? 16 : 15;
      }
      steps.push({ level, equipment, effects });
    }
    return steps;
  };

  const changes = (fresh: boolean) => {
    const cache = model.createCache();
    const steps = cycle(fresh);
    let at = 0;
    let step = steps[0] as Step;
    // the room builds a fresh input object per call (zone-simulation refreshStats)
    const call = (): CharacterStats =>
      cache.resolve({
        race: "human",
        job: "warrior",
        level: step.level,
        equipment: step.equipment,
        effects: step.effects,
        zone: "town",
      } satisfies CharacterStatsInput);
    return {
      r: { cache, call },
      run: () => {
        step = steps[at] as Step;
        at = at + 1 === steps.length ? 0 : at + 1;
        consumeStats(call());
      },
    };
  };
  const fresh = changes(true);
  const freshFigures = measure(fresh.run);
  const recurring = changes(false);
  const recurringFigures = measure(recurring.run);
  const hitCache = recurring.r;
  const recomputesBefore = hitCache.cache.recomputes;
  const hit = measure(() => consumeStats(hitCache.call()));
  if (hitCache.cache.recomputes !== recomputesBefore) throw new Error("cache_hit recomputed");
  return { fresh: freshFigures, recurring: recurringFigures, cache_hit: hit };
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
      fresh: pick(paths.room_path.fresh),
      recurring: pick(paths.room_path.recurring),
    },
    plan: pick(paths.plan),
    headline: "room_path.fresh",
    ...pick(paths.room_path.fresh),
    paths,
    runs: RUNS,
    timer_overhead_us: round(timerOverheadUs(), 3),
    loadavg_1m: round(loadavg()[0] ?? 0, 2),
    checksum: sink > 0,
  }),
);
