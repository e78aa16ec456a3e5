/**
 * Soak test: many SDK bots for a long time, with forced reconnects, leaves and portal crossings,
 * watching the server's memory and the clients' errors. Prints ONE JSON object.
 *
 *   npm run soak -- --bots 400 --minutes 30 [--gc-every 60] [--heap-snapshots /tmp]
 *                   [--url http://host:2567 --admin user:password]
 *
 * Without --url it starts `src/main.ts` in its own process (embedded PGlite in memory, or
 * --database-url) pinned to core 0 with taskset, and pins itself, the load generator, to core 1.
 * --minutes counts from the moment every bot has joined; the first --warmup seconds of it are
 * left out of the memory verdict.
 * Every --disrupt-every seconds a fraction of the live bots lose their TCP connection abruptly
 * (the SDK reconnects) and another fraction leave on purpose and join again. Every --sample
 * seconds it records the server's RSS (/proc, or `process_resident_memory_bytes`) and V8 heap
 * (`nodejs_heap_size_used_bytes`), CCU and step p99 from /metrics, and the bots' own counters.
 * A server started here runs with the Node inspector on a free local port: every --gc-every
 * seconds the soak forces a full collection through it and records the heap left (the live set,
 * without the saw-tooth between collections) and the pause; `memoryFlat` judges that series
 * (`loadtest/soak-metrics.ts`). --heap-snapshots DIR also saves heap snapshots at the end of the
 * warm-up and of the run and reports the constructors that grew in between; each snapshot stalls
 * the server for seconds (bots then hit the move rate limit), so use it to investigate, not to
 * measure.
 * `runSoak` is also the CI test's engine (test/load/soak.test.ts).
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ServerProcess } from "../test/helpers/server-process.ts";
import type { BotState } from "./bot.ts";
import { LoadGenerator, round } from "./generator.ts";
import {
  histogramBuckets,
  metricValue,
  p99MsBetween,
  type MemoryCriteria,
} from "./soak-metrics.ts";
import { heapGrowth, postGcSampler, type Inspector, type PostGcSampler } from "./soak-inspector.ts";
import { buildSoakReport } from "./soak-report.ts";
import { startTarget } from "./soak-target.ts";
import {
  awaitCcu,
  captureConsole,
  captureProcess,
  lingeringSessions,
  procCpuSeconds,
  procRssMiB,
  serverLogProblems,
} from "./soak-watch.ts";

export type SoakOptions = {
  bots: number;
  /** From the moment every bot has joined (the ramp comes before) to the end of the run. */
  durationSec: number;
  rampSec: number;
  /** Memory readings before `all joined + warmupSec` are left out of the verdict. */
  warmupSec: number;
  sampleSec: number;
  disruptEverySec: number;
  /** Fraction of the live bots whose connection is cut each round. */
  dropFraction: number;
  /** Fraction of the live bots that leave and rejoin each round. */
  leaveFraction: number;
  /** Spare bots that asked for a portal this recently from the cuts (0 spares none). */
  spareHandoverMs: number;
  /** No disruptions in the last seconds, so the end shows whether every bot came back. */
  quietTailSec: number;
  portalChance: number;
  charactersPerAccount: number;
  memory: MemoryCriteria;
  /** Full collection and post-GC heap reading period (0: none); only for a server started here. */
  gcEverySec: number;
  /** Save heap snapshots here (end of warm-up, end of run) and report what grew. */
  heapSnapshotDir?: string;
  /** A running server; without it one is started (and stopped) here. */
  url?: string;
  /** Admin credentials for /metrics of a server given by `url`. */
  admin?: { user: string; password: string };
  databaseUrl?: string;
  /** Pin the started server to core 0 and this process to core 1 (taskset). */
  pin: boolean;
  /** Called with a one-line summary at each sample. */
  progress?: (line: string) => void;
};

export const SOAK_DEFAULTS: SoakOptions = {
  bots: 400,
  durationSec: 1800,
  rampSec: 60,
  warmupSec: 300,
  sampleSec: 5,
  disruptEverySec: 60,
  dropFraction: 0.05,
  leaveFraction: 0.02,
  spareHandoverMs: 0,
  quietTailSec: 30,
  portalChance: 0.05,
  charactersPerAccount: 8,
  // A 20 MiB/h leak is ~0.5 GiB a day: the server must be restarted daily, which is not flat.
  // Post-GC readings are judged by slope + 2 standard errors, the growth a run rules out; heap
  // floors (a server given by URL) scatter too much for that (~15 MiB/h over 25 minutes) and are
  // judged by their slope alone. The end rule catches a late step the slope would average away.
  memory: { maxSlopeMiBPerHour: 20, endTolerance: 0.1, windowSec: 60 },
  gcEverySec: 60,
  pin: true,
};

export type SoakSample = {
  tSec: number;
  connected: number;
  live: number;
  serverCcu: number | null;
  rssMiB: number | null;
  heapUsedMiB: number | null;
  /** V8 heap committed (`nodejs_heap_size_total_bytes`): its growth shows in RSS. */
  heapTotalMiB: number | null;
  /** Memory outside the V8 heap (buffers, PGlite's WebAssembly memory). */
  externalMiB: number | null;
  stepP99Ms: number | null;
  patchesPerBotPerSec: number;
  patchIntervalP99Ms: number | null;
  generatorLoopDelayP99Ms: number;
  errors: number;
};

const STEP_HISTOGRAM = "mmo_room_step_duration_seconds";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number | null) => (bytes === null ? null : round(bytes / 2 ** 20, 1));

function shuffled<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export async function runSoak(o: SoakOptions) {
  const consoleCapture = captureConsole();
  const processCapture = captureProcess();
  let server: ServerProcess | undefined;
  let inspector: Inspector | undefined;
  let generator: LoadGenerator | undefined;
  try {
    const started = await startTarget(o);
    const target = started.target;
    server = started.server;
    inspector = started.inspector;
    let serverExit: number | null | undefined;
    void server?.exited.then((code) => (serverExit = code));

    const gen = new LoadGenerator({
      url: target.url,
      charactersPerAccount: o.charactersPerAccount,
      portalChance: o.portalChance,
    });
    generator = gen;
    const t0 = performance.now();
    const elapsedSec = () => (performance.now() - t0) / 1000;
    const live = () => gen.controls.filter((c) => c.isLive()).length;
    const samples: SoakSample[] = [];
    let lastBuckets = new Map<string, number>();
    const gc: PostGcSampler | undefined = inspector && postGcSampler(inspector, elapsedSec);
    const snapshotFile = (label: string) =>
      o.heapSnapshotDir && `${o.heapSnapshotDir}/soak-${process.pid}-${label}.heapsnapshot`;

    const takeSample = async (): Promise<SoakSample> => {
      const w = gen.window();
      const text = await target.scrape();
      const buckets = text ? histogramBuckets(text, STEP_HISTOGRAM) : new Map<string, number>();
      const stepP99 = text ? p99MsBetween(lastBuckets, buckets) : null;
      lastBuckets = buckets;
      const rss = target.pid
        ? procRssMiB(target.pid)
        : mib(text ? metricValue(text, "process_resident_memory_bytes") : null);
      const sample: SoakSample = {
        tSec: round(elapsedSec(), 1),
        connected: w.connected,
        live: live(),
        serverCcu: text ? metricValue(text, "mmo_ccu") : null,
        rssMiB: rss === null ? null : round(rss, 1),
        heapUsedMiB: mib(text ? metricValue(text, "nodejs_heap_size_used_bytes") : null),
        heapTotalMiB: mib(text ? metricValue(text, "nodejs_heap_size_total_bytes") : null),
        externalMiB: mib(text ? metricValue(text, "nodejs_external_memory_bytes") : null),
        stepP99Ms: stepP99 === Infinity ? -1 : stepP99,
        patchesPerBotPerSec: w.patchesPerBotPerSec,
        patchIntervalP99Ms: w.patchIntervalP99Ms,
        generatorLoopDelayP99Ms: w.generatorLoopDelayP99Ms,
        errors: gen.stats.errors,
      };
      samples.push(sample);
      const s = gen.stats;
      o.progress?.(
        `${Math.round(sample.tSec)}s live ${sample.live}/${gen.bots} ccu ${sample.serverCcu}` +
          ` rss ${sample.rssMiB} heap ${sample.heapUsedMiB}` +
          ` post-GC ${gc?.readings.at(-1)?.usedMiB ?? "-"} step p99 ${sample.stepP99Ms}` +
          ` loop p99 ${sample.generatorLoopDelayP99Ms} transfers ${s.transfers}` +
          ` drops ${s.drops} reconnects ${s.reconnects} leaves ${s.leaves}` +
          ` errors ${s.errors} refId ${consoleCapture.counts.refId}`,
      );
      return sample;
    };

    const idle = await takeSample();
    const idlePostGc = (await gc?.read()) ?? null;
    if (o.gcEverySec > 0) gc?.start(o.gcEverySec);
    const cpu0 = target.pid ? procCpuSeconds(target.pid) : null;
    // Chained so a slow scrape never overlaps the next; a failed one is skipped, not fatal.
    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = sampling.then(() =>
        takeSample().then(
          () => undefined,
          () => undefined,
        ),
      );
    }, o.sampleSec * 1000);

    await gen.add(o.bots, o.rampSec * 1000);
    const joinDeadline = performance.now() + 60_000;
    while (live() < o.bots && performance.now() < joinDeadline) await sleep(250);
    const allJoinedSec = elapsedSec();
    const warmupEndSec = allJoinedSec + o.warmupSec;
    const endSec = allJoinedSec + o.durationSec;

    const disruption = { rounds: 0, forcedDrops: 0, forcedLeaves: 0 };
    const disruptor = setInterval(() => {
      if (elapsedSec() >= endSec - o.quietTailSec) return;
      disruption.rounds += 1;
      const candidates = shuffled(gen.controls.filter((c) => c.isLive()));
      let drops = Math.round(candidates.length * o.dropFraction);
      let leaves = Math.round(candidates.length * o.leaveFraction);
      // Bots that refuse a cut (just connected, or sparing a hand-over) leave the turn to others.
      for (const c of candidates) {
        if (drops > 0 && c.dropConnection({ spareHandoverMs: o.spareHandoverMs })) {
          drops -= 1;
          disruption.forcedDrops += 1;
        } else if (leaves > 0 && c.leaveAndRejoin()) {
          leaves -= 1;
          disruption.forcedLeaves += 1;
        }
      }
    }, o.disruptEverySec * 1000);

    let warmupBuckets: Map<string, number> | undefined;
    let warmupSnapshot: ReturnType<PostGcSampler["snapshot"]> | undefined;
    const warmupTimer = setTimeout(
      () => {
        void target.scrape().then((t) => {
          warmupBuckets = t ? histogramBuckets(t, STEP_HISTOGRAM) : undefined;
        });
        if (o.heapSnapshotDir) warmupSnapshot = gc?.snapshot(snapshotFile("warm"));
      },
      Math.max(0, (warmupEndSec - elapsedSec()) * 1000),
    );
    await sleep(Math.max(0, (endSec - elapsedSec()) * 1000));
    clearInterval(disruptor);
    clearInterval(sampler);
    clearTimeout(warmupTimer);
    await sampling;
    await gc?.stop();

    // From the deadline on no bot sets out for a portal (one could still be crossing when the
    // states are read). Bots mid-transfer or mid-rejoin get a few seconds to land, and the server
    // a moment to close the sessions they just left.
    for (const c of gen.controls) c.holdPortals();
    const settleDeadline = performance.now() + 10_000;
    while (live() < o.bots && performance.now() < settleDeadline) await sleep(200);
    await awaitCcu(target, o.bots, 3000);
    const end = await takeSample();
    const endPostGc = await gc?.read();
    if (endPostGc) gc!.readings.push(endPostGc);
    const before = await warmupSnapshot;
    const after = before && (await gc?.snapshot(snapshotFile("end")));
    const endStates = new Map<string, BotState>();
    const statesAtEnd: Partial<Record<BotState, number>> = {};
    for (const c of gen.controls) {
      const state = c.state();
      statesAtEnd[state] = (statesAtEnd[state] ?? 0) + 1;
      const id = c.characterId();
      if (id) endStates.set(id, state);
    }
    const endText = await target.scrape();
    const runSec = elapsedSec();
    const cpuPct =
      target.pid && cpu0 !== null
        ? round((((procCpuSeconds(target.pid) ?? cpu0) - cpu0) / runSec) * 100, 1)
        : null;
    const stepP99AfterWarmupMs =
      endText && warmupBuckets
        ? p99MsBetween(warmupBuckets, histogramBuckets(endText, STEP_HISTOGRAM))
        : null;

    await gen.stop();
    generator = undefined;
    // Every bot has left: the server must get back to zero sessions (a dropped one within 20 s).
    const stoppedAt = performance.now();
    const ccuAfterStop = await awaitCcu(target, 0, 30_000);
    const ccuSettleSec = round((performance.now() - stoppedAt) / 1000, 1);
    const lingering = ccuAfterStop ? await lingeringSessions(target, endStates) : null;
    const afterStopPostGc = (await gc?.read()) ?? null;

    return buildSoakReport({
      options: o,
      samples,
      idle,
      end,
      warmupEndSec,
      allJoinedSec,
      runSec,
      stats: gen.stats,
      joinLatency: gen.allJoinLatency,
      disruption,
      statesAtEnd,
      server: {
        pinned: target.pinned,
        cpuPct,
        ccuAfterStop,
        ccuSettleSec,
        lingering,
        stepP99AfterWarmupMs,
        logs: server ? serverLogProblems(server.output()) : null,
        exitedEarly: serverExit,
      },
      postGc: gc
        ? {
            everySec: o.gcEverySec,
            readings: gc.readings,
            idle: idlePostGc,
            afterStop: afterStopPostGc,
          }
        : null,
      heapGrowth: before && after ? heapGrowth(before, after) : null,
      console: consoleCapture,
      process: processCapture,
    });
  } finally {
    await generator?.stop();
    // A server with a debugger attached waits for it to detach before exiting.
    await inspector?.close();
    if (server) {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    consoleCapture.restore();
    processCapture.restore();
  }
}

export type SoakResult = Awaited<ReturnType<typeof runSoak>>;

async function main() {
  const { values } = parseArgs({
    options: {
      bots: { type: "string" },
      minutes: { type: "string", default: "30" },
      ramp: { type: "string" },
      warmup: { type: "string" },
      sample: { type: "string" },
      "disrupt-every": { type: "string" },
      drop: { type: "string" },
      leave: { type: "string" },
      "spare-handover": { type: "string" },
      portals: { type: "string" },
      "chars-per-account": { type: "string" },
      url: { type: "string" },
      admin: { type: "string" },
      "database-url": { type: "string" },
      "no-pin": { type: "boolean", default: false },
      "keep-samples": { type: "boolean", default: false },
      "gc-every": { type: "string" },
      "heap-snapshots": { type: "string" },
    },
  });
  const d = SOAK_DEFAULTS;
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const [user, password] = values.admin?.split(":") ?? [];
  const result = await runSoak({
    ...d,
    bots: num(values.bots, d.bots),
    durationSec: Number(values.minutes) * 60,
    rampSec: num(values.ramp, d.rampSec),
    warmupSec: num(values.warmup, d.warmupSec),
    sampleSec: num(values.sample, d.sampleSec),
    disruptEverySec: num(values["disrupt-every"], d.disruptEverySec),
    dropFraction: num(values.drop, d.dropFraction),
    leaveFraction: num(values.leave, d.leaveFraction),
    spareHandoverMs: num(values["spare-handover"], d.spareHandoverMs / 1000) * 1000,
    portalChance: num(values.portals, d.portalChance),
    charactersPerAccount: num(values["chars-per-account"], d.charactersPerAccount),
    url: values.url,
    admin: user && password ? { user, password } : undefined,
    databaseUrl: values["database-url"],
    gcEverySec: num(values["gc-every"], d.gcEverySec),
    heapSnapshotDir: values["heap-snapshots"],
    pin: !values["no-pin"],
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const { samples: _samples, ...rest } = result;
  console.log(JSON.stringify(values["keep-samples"] ? result : rest, null, 2));
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
