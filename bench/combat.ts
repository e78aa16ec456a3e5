/**
 * Micro-benchmark of the combat hot path: resolveDamage with a reusable result object.
 *   npm run bench:combat [-- --runs 7 --calls 5000000]
 * Prints one JSON object: median resolutions/s over the runs, p99 ns per call (measured over
 * 1000-call batches, so timer overhead is negligible), and GC events seen during the runs
 * (0 means the hot path allocated nothing worth collecting).
 */
import os from "node:os";
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { CombatStats } from "../src/game/combat/combat-stats.ts";
import { createDamageResult, resolveDamage } from "../src/game/combat/damage.ts";
import { DEFAULT_COMBAT_RULES } from "../src/game/combat/rules.ts";
import { createRng } from "../src/game/rng.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    calls: { type: "string", default: "5000000" },
  },
});
const runs = Number(values.runs);
const calls = Number(values.calls);
const BATCH = 1000;

const attacker: CombatStats = {
  hp_max: 1200,
  mp_max: 300,
  attack_power: 180,
  magic_power: 40,
  defense: 60,
  crit_rate: 0.25,
  crit_damage: 1.75,
  attack_speed: 1.2,
  move_speed: 160,
  cooldown_reduction: 0.1,
  hit_rate: 0.97,
  dodge_rate: 0.05,
};
const defender: CombatStats = { ...attacker, attack_power: 120, defense: 140, dodge_rate: 0.08 };
const rng = createRng(20_240_601);
const out = createDamageResult();
const FACTORS = [1, 1.8, 1.2, 2.2];

let sink = 0;
function runCalls(n: number): void {
  for (let i = 0; i < n; i++) {
    resolveDamage(
      attacker,
      defender,
      FACTORS[i & 3] as number,
      rng,
      out,
      "attack_power",
      DEFAULT_COMBAT_RULES,
    );
    sink += out.amount;
  }
}

let gcEvents = 0;
const observer = new PerformanceObserver((list) => {
  gcEvents += list.getEntries().length;
});

runCalls(2_000_000); // warm up: let the JIT optimise before measuring
observer.observe({ entryTypes: ["gc"] });

const rates: number[] = [];
const batchNs: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = process.hrtime.bigint();
  runCalls(calls);
  const elapsedNs = Number(process.hrtime.bigint() - t0);
  rates.push(calls / (elapsedNs / 1e9));

  for (let b = 0; b < 2000; b++) {
    const s = process.hrtime.bigint();
    runCalls(BATCH);
    batchNs.push(Number(process.hrtime.bigint() - s) / BATCH);
  }
}
await new Promise((resolve) => setImmediate(resolve)); // let the GC observer flush
observer.disconnect();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
};

console.log(
  JSON.stringify({
    bench: "combat.resolveDamage",
    resolutionsPerSec: Math.round(median(rates)),
    runs,
    callsPerRun: calls,
    minPerSec: Math.round(Math.min(...rates)),
    maxPerSec: Math.round(Math.max(...rates)),
    p50NsPerCall: Number(percentile(batchNs, 0.5).toFixed(1)),
    p99NsPerCall: Number(percentile(batchNs, 0.99).toFixed(1)),
    p99Method: `per-call mean of ${batchNs.length} batches of ${BATCH} calls`,
    gcEventsDuringRuns: gcEvents,
    targetPerSec: 2_000_000,
    meetsTarget: median(rates) >= 2_000_000,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    checksum: sink % 1_000_007,
  }),
);
