/**
 * The soak test's result (`loadtest/soak.ts`): figures, memory verdict, checks and `ok`.
 */
import { dropMethod, type BotState, type BotStats, type MsHistogram } from "./bot.ts";
import { round } from "./generator.ts";
import type { heapGrowth, PostGcReading } from "./soak-inspector.ts";
import {
  judgeMemory,
  median,
  summarizePostGc,
  summarizeSeries,
  type MemoryPoint,
} from "./soak-metrics.ts";
import type { SoakOptions, SoakSample } from "./soak.ts";
import type { captureConsole, captureProcess, serverLogProblems } from "./soak-watch.ts";

export type SoakReportInput = {
  options: SoakOptions;
  samples: SoakSample[];
  /** Before the first bot. */
  idle: SoakSample;
  /** After the run, once every bot was back (or 10 s passed). */
  end: SoakSample;
  warmupEndSec: number;
  allJoinedSec: number;
  runSec: number;
  stats: BotStats;
  joinLatency: MsHistogram;
  disruption: { rounds: number; forcedDrops: number; forcedLeaves: number };
  /** Bots by state when the run ended. */
  statesAtEnd: Partial<Record<BotState, number>>;
  server: {
    pinned: boolean;
    cpuPct: number | null;
    ccuAfterStop: number | null;
    ccuSettleSec: number;
    /** What the server still held after the stop (only when its CCU did not reach zero). */
    lingering: unknown;
    stepP99AfterWarmupMs: number | null;
    logs: ReturnType<typeof serverLogProblems> | null;
    /** Exit code when the server process ended before the run did. */
    exitedEarly: number | null | undefined;
  };
  /** Heap after forced full collections (a server started with the inspector only). */
  postGc: {
    everySec: number;
    /** Through the run, the last one after the end sample. */
    readings: PostGcReading[];
    /** Before the first bot. */
    idle: PostGcReading | null;
    /** Once every bot had stopped and the server's sessions were closed. */
    afterStop: PostGcReading | null;
  } | null;
  heapGrowth: ReturnType<typeof heapGrowth> | null;
  console: ReturnType<typeof captureConsole>;
  process: ReturnType<typeof captureProcess>;
};

/** Post-GC readings: after-warm-up summary, pauses and the readings themselves. */
function postGcReport(postGc: SoakReportInput["postGc"], warmupEndSec: number) {
  if (!postGc) return { series: null, report: null };
  const after = postGc.readings.filter((r) => r.tSec >= warmupEndSec);
  const series = summarizePostGc(after.map((r) => ({ tSec: r.tSec, mib: r.usedMiB })));
  const pauses = postGc.readings.map((r) => r.pauseMs);
  return {
    series,
    report: {
      everySec: postGc.everySec,
      idleMiB: postGc.idle?.usedMiB ?? null,
      afterStopMiB: postGc.afterStop?.usedMiB ?? null,
      afterWarmup: series,
      pauseMsMedian: pauses.length ? round(median(pauses), 1) : null,
      pauseMsMax: pauses.length ? Math.max(...pauses) : null,
      readings: postGc.readings,
    },
  };
}

export function buildSoakReport(input: SoakReportInput) {
  const { options: o, samples, idle, end, stats, joinLatency, disruption, server } = input;
  const after = samples.filter((s) => s.tSec >= input.warmupEndSec && s !== end);
  const series = (pick: (s: SoakSample) => number | null) =>
    summarizeSeries(
      after
        .map((s) => ({ tSec: s.tSec, mib: pick(s) }))
        .filter((p): p is MemoryPoint => p.mib !== null),
      o.memory.windowSec,
    );
  const heap = series((s) => s.heapUsedMiB);
  const rss = series((s) => s.rssMiB);
  const heapTotal = series((s) => s.heapTotalMiB);
  const external = series((s) => s.externalMiB);
  const postGc = postGcReport(input.postGc, input.warmupEndSec);
  const floorVerdict = judgeMemory(heap, o.memory);
  const verdict = postGc.series ? judgeMemory(heap, o.memory, postGc.series) : floorVerdict;
  const loopDelays = after.map((s) => s.generatorLoopDelayP99Ms);
  const stepP99s = after.map((s) => s.stepP99Ms).filter((v): v is number => v !== null);
  const c = input.console.counts;
  const p = input.process.counts;
  const checks = {
    memoryFlat: verdict.memoryFlat === true,
    noRefIdErrors: c.refId === 0,
    noDecodeErrors: c.decode === 0,
    noBotErrors: stats.errors === 0,
    noFailedReconnects: stats.failedReconnects === 0 && c.reconnectGaveUp === 0,
    everyDropReconnected: stats.reconnects >= disruption.forcedDrops,
    everyBotLiveAtEnd: end.live === o.bots,
    serverCcuMatchesBots: end.serverCcu === null || end.serverCcu === o.bots,
    serverBackToZeroSessions: server.ccuAfterStop === null || server.ccuAfterStop === 0,
    noProcessErrors: p.uncaughtExceptions === 0 && p.unhandledRejections === 0,
    noServerErrorLogs: !server.logs || server.logs.errors === 0,
    serverRanThrough: server.exitedEarly === undefined,
  };
  return {
    test: "soak: SDK bots with forced reconnects, leaves and portals",
    node: process.version,
    url: o.url ?? "started here (src/main.ts)",
    database: o.url ? "given server" : o.databaseUrl ? "PostgreSQL" : "PGlite in memory",
    pinning: server.pinned ? "server on core 0, generator on core 1 (taskset)" : "none",
    bots: o.bots,
    durationSec: o.durationSec,
    totalSec: round(input.runSec, 0),
    allJoinedSec: round(input.allJoinedSec, 1),
    warmupEndSec: round(input.warmupEndSec, 1),
    disruption: {
      everySec: o.disruptEverySec,
      dropFraction: o.dropFraction,
      leaveFraction: o.leaveFraction,
      spareHandoverMs: o.spareHandoverMs,
      ...disruption,
      dropMethod: dropMethod ?? null,
    },
    clients: {
      joins: stats.joins,
      joinLatencyP50Ms: joinLatency.quantile(0.5),
      joinLatencyP99Ms: joinLatency.quantile(0.99),
      transfers: stats.transfers,
      attacks: stats.attacks,
      drops: stats.drops,
      reconnects: stats.reconnects,
      reconnectLatencyP50Ms: stats.reconnectLatency.quantile(0.5),
      reconnectLatencyP99Ms: stats.reconnectLatency.quantile(0.99),
      failedReconnects: stats.failedReconnects,
      failedReconnectsNearPortal: stats.failedReconnectsNearPortal,
      leaves: stats.leaves,
      rejoins: stats.rejoins,
      tokenRefreshes: stats.tokenRefreshes,
      liveAtEnd: end.live,
      statesAtEnd: input.statesAtEnd,
      connectedAtEnd: end.connected,
      patchesPerBotPerSecMedian: median(after.map((s) => s.patchesPerBotPerSec)),
    },
    server: {
      idleRssMiB: idle.rssMiB,
      idleHeapMiB: idle.heapUsedMiB,
      cpuPct: server.cpuPct,
      ccuAtEnd: end.serverCcu,
      ccuAfterStop: server.ccuAfterStop,
      ccuSettleSec: server.ccuSettleSec,
      lingering: server.lingering,
      stepP99AfterWarmupMs:
        server.stepP99AfterWarmupMs === Infinity ? -1 : server.stepP99AfterWarmupMs,
      // -1: some sample's p99 was above the histogram's largest finite bucket (50 ms).
      stepP99MaxPerSampleMs: stepP99s.includes(-1)
        ? -1
        : stepP99s.length
          ? Math.max(...stepP99s)
          : null,
      stepP99SamplesAboveTopBucket: stepP99s.filter((v) => v === -1).length,
      postGcHeap: postGc.report,
      heap,
      rss,
      heapTotal,
      external,
      logs: server.logs,
      exitedEarly: server.exitedEarly ?? null,
    },
    memory: {
      criteria: o.memory,
      basis: verdict.basis,
      memoryFlat: verdict.memoryFlat,
      reasons: verdict.reasons,
      /** The heap-floor verdict too, when the post-GC one decided. */
      floors: verdict === floorVerdict ? null : floorVerdict,
    },
    heapGrowth: input.heapGrowth,
    generator: {
      loopDelayP99MedianMs: loopDelays.length ? median(loopDelays) : null,
      loopDelayP99MaxMs: loopDelays.length ? Math.max(...loopDelays) : null,
    },
    errors: {
      bots: stats.errors,
      botKinds: stats.errorKinds,
      botSamples: stats.errorSamples.slice(0, 10),
      refId: c.refId,
      decode: c.decode,
      otherConsoleWarnings: c.otherWarnings,
      consoleSamples: input.console.samples.slice(0, 10),
      reconnectGaveUp: c.reconnectGaveUp,
      process: p,
      processSamples: input.process.samples,
    },
    checks,
    ok: Object.values(checks).every(Boolean),
    samples,
  };
}
