/**
 * Capacity benchmark: how many moving clients one server process holds, ours against the naive
 * baseline (bench/naive-server.ts, the seed 004 design). Prints ONE JSON object.
 *
 *   npm run bench:capacity [-- --max-bots 5000 --step 500 --naive-step 250 --hold 8 --ramp 20
 *                             --sdk-every 20 --db postgres --patch-hz 10 --transport uws
 *                             --skip naive --keep-going --server-node-args=--max-semi-space-size=64]
 *
 * Method: the server runs in its own process pinned to core 0 (`taskset`), this process (the load
 * generator) is pinned to core 1. Our bots are thin protocol-level bots (loadtest/thin-bot.ts) with
 * one full `@colyseus/sdk` bot in every `--sdk-every` (1: all SDK bots; 0: none) that decodes and
 * measures input-to-echo latency; the baseline's bots are its own `ws` bots. Bots are added `step`
 * at a time over `ramp` seconds; after 2 s of settling the step is measured for `hold` seconds. A
 * step passes when the server's step p99 is within the 50 ms bucket (ours:
 * `mmo_room_step_duration_seconds` from /metrics; baseline: its whole tick, simulate + serialize +
 * send), its event-loop delay p99 is under 100 ms (ours: prom-client's
 * `nodejs_eventloop_lag_p99_seconds`, reset at each scrape; baseline: its /stats), the SDK bots
 * printed no `refId` decode error, and at least 98% of the bots are connected. Max CCU is the last
 * step that passed. CPU% and RSS come from /proc/<pid>/stat and /proc/<pid>/status of the server
 * process, the generator's CPU% from its own `process.cpuUsage()`; bytes are WebSocket payload
 * bytes received per client per second (state and room messages, notices included).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DATABASE_TARGETS } from "../test/helpers/databases.ts";
import { freePort, startServerProcess } from "../test/helpers/server-process.ts";
import { LoadGenerator, round, type WindowReport } from "../loadtest/generator.ts";
import { histogramBuckets, p99MsBetween } from "../loadtest/soak-metrics.ts";
import { captureConsole, serverLogProblems } from "../loadtest/soak-watch.ts";
import { runNaiveBot } from "./naive-server.ts";

const { values } = parseArgs({
  options: {
    "max-bots": { type: "string", default: "5000" },
    step: { type: "string", default: "500" },
    "naive-step": { type: "string", default: "250" },
    "naive-max-bots": { type: "string", default: "3000" },
    hold: { type: "string", default: "8" },
    ramp: { type: "string", default: "20" },
    portals: { type: "string", default: "0.02" },
    skip: { type: "string", default: "" },
    "sdk-every": { type: "string", default: "20" },
    /** Our server's database: embedded PGlite in memory, or a fresh schema on PostgreSQL. */
    db: { type: "string", default: "pglite" },
    /** Ramps on past failed steps (to measure the generator itself, e.g. with --sdk-every 0). */
    "keep-going": { type: "boolean", default: false },
    /** The server's WS_TRANSPORT: ws (its default) or uws (uWebSockets.js game sockets). */
    transport: { type: "string", default: "ws" },
    /** The server's ZONE_PATCH_HZ (its default when unset). */
    "patch-hz": { type: "string", default: "" },
    /** Writes a V8 CPU profile of our server process into this directory (for finding hot spots). */
    "server-cpu-prof": { type: "string", default: "" },
    /** More node options for our server process, space-separated (e.g. GC settings). */
    "server-node-args": { type: "string", default: "" },
  },
});
const HOLD_MS = Number(values.hold) * 1000;
const RAMP_MS = Number(values.ramp) * 1000;
const SETTLE_MS = 2000;
const JOIN_WAIT_MS = 30_000;
const STEP_P99_LIMIT_MS = 50;
const LOOP_DELAY_P99_LIMIT_MS = 100;
const CONNECTED_FRACTION = 0.98;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NODE = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
const CLK_TCK = 100;

const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
function pin(pid: number, core: number) {
  if (hasTaskset)
    execFileSync("taskset", ["-a", "-p", "-c", String(core), String(pid)], { stdio: "ignore" });
}
pin(process.pid, 1);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

type Row = {
  bots: number;
  thinBots: number;
  sdkBots: number;
  connected: number;
  serverStepP99Ms: number | null;
  serverLoopDelayP99Ms: number | null;
  serverCpuPct: number;
  serverCpuPctPer1000Ccu: number | null;
  serverRssMiB: number;
  bytesPerClientPerSec: number;
  stateBytesPerClientPerSec: number | null;
  messageBytesPerClientPerSec: number | null;
  patchesPerClientPerSec: number;
  clientPatchIntervalP99Ms: number | null;
  echoP50Ms: number | null;
  echoP99Ms: number | null;
  refIdErrors: number;
  positionErrors: number;
  sdkMovingFraction: number | null;
  joinLatencyP99Ms: number | null;
  generatorCpuPct: number;
  generatorCpuPctPer1000Bots: number | null;
  generatorLoopDelayP99Ms: number;
  errors: number;
  /** Errors so far by kind (only when there were some). */
  errorKinds?: Record<string, number>;
  pass: boolean;
};

type System = {
  pid: number;
  generator: LoadGenerator;
  /** Bots get characters made before their step (ours); the baseline's bots need none. */
  provisions: boolean;
  /** Resets the server-side window. */
  beginWindow(): Promise<void>;
  /** Step p99 (ms) since beginWindow; Infinity when above the largest bucket. */
  stepP99Ms(): Promise<number | null>;
  /** The server's event-loop delay p99 (ms) over the window, once stepP99Ms has run. */
  serverLoopDelayP99Ms(): number | null;
  stop(): Promise<void>;
};

/** `refId` decode errors the SDK bots printed (the SDK reports them only on the console). */
const consoleCapture = captureConsole();

async function ramp(system: System, step: number, maxBots: number) {
  const rows: Row[] = [];
  const idleRss = rssMiB(system.pid);
  let stopReason = `reached --max-bots ${maxBots}`;
  let errorsBefore = 0;
  while (system.generator.bots < maxBots) {
    const add = Math.min(step, maxBots - system.generator.bots);
    // Accounts and characters first, outside every window: the ramp itself is joins only.
    if (system.provisions) await system.generator.provision(add);
    await system.generator.add(add, RAMP_MS);
    // Let every bot finish joining (REST + matchmaking queue up behind a ramp), then settle.
    const joinDeadline = Date.now() + JOIN_WAIT_MS;
    while (system.generator.stats.connected < system.generator.bots && Date.now() < joinDeadline) {
      await sleep(250);
    }
    await sleep(SETTLE_MS);
    const rampWindow = system.generator.window();
    await system.beginWindow();
    const refIdBefore = consoleCapture.counts.refId;
    const cpu0 = cpuSeconds(system.pid);
    const t0 = performance.now();
    await sleep(HOLD_MS);
    const w: WindowReport = system.generator.window();
    const cpuPct = ((cpuSeconds(system.pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
    const stepP99 = await system.stepP99Ms();
    const loopP99 = system.serverLoopDelayP99Ms();
    const refIdErrors = consoleCapture.counts.refId - refIdBefore;
    const errors = system.generator.stats.errors - errorsBefore;
    errorsBefore = system.generator.stats.errors;
    const bots = system.generator.bots;
    const reasons: string[] = [];
    if (stepP99 === null || stepP99 > STEP_P99_LIMIT_MS)
      reasons.push(`server step p99 ${stepP99} ms > ${STEP_P99_LIMIT_MS}`);
    if (loopP99 === null || loopP99 >= LOOP_DELAY_P99_LIMIT_MS)
      reasons.push(`server event-loop delay p99 ${loopP99} ms ≥ ${LOOP_DELAY_P99_LIMIT_MS}`);
    if (refIdErrors > 0) reasons.push(`${refIdErrors} refId errors`);
    if (w.connected < bots * CONNECTED_FRACTION)
      reasons.push(`only ${w.connected}/${bots} connected`);
    const per1000 = (value: number, of: number) => (of > 0 ? round((value / of) * 1000, 1) : null);
    const row: Row = {
      bots,
      thinBots: w.thinBots,
      sdkBots: w.sdkBots,
      connected: w.connected,
      serverStepP99Ms: stepP99 === Infinity ? null : stepP99,
      serverLoopDelayP99Ms: loopP99,
      serverCpuPct: round(cpuPct, 1),
      serverCpuPctPer1000Ccu: per1000(cpuPct, w.connected),
      serverRssMiB: round(rssMiB(system.pid), 1),
      bytesPerClientPerSec: w.bytesPerBotPerSec,
      stateBytesPerClientPerSec: w.stateBytesPerThinBotPerSec,
      messageBytesPerClientPerSec: w.messageBytesPerThinBotPerSec,
      patchesPerClientPerSec: w.patchesPerBotPerSec,
      clientPatchIntervalP99Ms: w.patchIntervalP99Ms,
      echoP50Ms: w.echoP50Ms,
      echoP99Ms: w.echoP99Ms,
      refIdErrors,
      positionErrors: w.positionErrors,
      sdkMovingFraction: w.movingFraction,
      joinLatencyP99Ms: rampWindow.joinLatencyP99Ms,
      generatorCpuPct: w.generatorCpuPct,
      generatorCpuPctPer1000Bots: per1000(w.generatorCpuPct, w.connected),
      generatorLoopDelayP99Ms: w.generatorLoopDelayP99Ms,
      errors,
      ...(errors > 0 && { errorKinds: { ...system.generator.stats.errorKinds } }),
      pass: reasons.length === 0,
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
    if (!row.pass && stopReason.startsWith("reached")) {
      stopReason = reasons.join("; ");
      if (w.generatorLoopDelayP99Ms > LOOP_DELAY_P99_LIMIT_MS)
        stopReason += ` (generator event-loop delay p99 ${w.generatorLoopDelayP99Ms} ms: the load generator itself was saturated)`;
      if (!values["keep-going"]) break;
    }
  }
  // With --keep-going a later step may pass again: max CCU stays the last one before a failure.
  const firstFail = rows.findIndex((r) => !r.pass);
  const best = (firstFail < 0 ? rows : rows.slice(0, firstFail)).at(-1);
  const joinLatency = system.generator.allJoinLatency;
  return {
    maxCcu: best?.connected ?? 0,
    stopReason,
    atMax: best
      ? {
          serverCpuPct: best.serverCpuPct,
          serverCpuPctPer1000Ccu: best.serverCpuPctPer1000Ccu,
          serverLoopDelayP99Ms: best.serverLoopDelayP99Ms,
          serverRssMiB: best.serverRssMiB,
          serverRssMiBPer1000Ccu: round((best.serverRssMiB / best.connected) * 1000, 1),
          serverRssAboveIdleMiBPer1000Ccu: round(
            ((best.serverRssMiB - idleRss) / best.connected) * 1000,
            1,
          ),
          bytesPerClientPerSec: best.bytesPerClientPerSec,
          patchesPerClientPerSec: best.patchesPerClientPerSec,
          serverStepP99Ms: best.serverStepP99Ms,
          clientPatchIntervalP99Ms: best.clientPatchIntervalP99Ms,
          echoP99Ms: best.echoP99Ms,
          generatorCpuPct: best.generatorCpuPct,
          generatorCpuPctPer1000Bots: best.generatorCpuPctPer1000Bots,
        }
      : null,
    joinLatencyP50Ms: joinLatency.quantile(0.5),
    joinLatencyP99Ms: joinLatency.quantile(0.99),
    idleRssMiB: round(idleRss, 1),
    errors: system.generator.stats.errors,
    errorSamples: system.generator.stats.errorSamples.slice(0, 5),
    steps: rows,
  };
}

async function ours(maxBots: number, step: number) {
  const admin = { user: "bench", password: "bench-password-123456" };
  const target = DATABASE_TARGETS.find((t) => t.name === values.db);
  if (!target) throw new Error(`--db ${values.db}: pglite or postgres`);
  const database = await target.create();
  const server = await startServerProcess(
    {
      LOG_LEVEL: "warn",
      DATA_DIR: database.dataDir,
      ...(database.url && { DATABASE_URL: database.url }),
      ADMIN_USER: admin.user,
      ADMIN_PASSWORD: admin.password,
      MAX_CHARACTERS_PER_ACCOUNT: "100",
      ACCESS_TOKEN_TTL_SEC: "86400",
      // The bots' X-Forwarded-For addresses, so each has its own per-address auth budget.
      TRUST_PROXY: "loopback",
      ...(values["patch-hz"] && { ZONE_PATCH_HZ: values["patch-hz"] }),
      WS_TRANSPORT: values.transport,
      WS_PORT: "0",
      // Joins load each character in a transaction: a ramp of joins waits on the pool.
      DATABASE_POOL_SIZE: "20",
    },
    {
      nodeArgs: [
        ...values["server-node-args"].split(" ").filter(Boolean),
        ...(values["server-cpu-prof"]
          ? ["--cpu-prof", "--cpu-prof-dir", values["server-cpu-prof"]]
          : []),
      ],
    },
  );
  const pid = server.child.pid!;
  pin(pid, 0);
  const auth = `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString("base64")}`;
  let loopDelayP99Ms: number | null = null;
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: auth } });
    if (!res.ok) throw new Error(`/metrics: ${res.status}`);
    const text = await res.text();
    // prom-client resets its event-loop delay histogram at every scrape: this is the window's.
    const lag = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
    loopDelayP99Ms = lag === undefined ? null : round(Number(lag) * 1000, 1);
    return histogramBuckets(text, "mmo_room_step_duration_seconds");
  };
  let before = new Map<string, number>();
  const generator = new LoadGenerator({
    url: server.url,
    charactersPerAccount: 25,
    portalChance: Number(values.portals),
    sdkEvery: Number(values["sdk-every"]),
  });
  let result: Awaited<ReturnType<typeof ramp>>;
  try {
    result = await ramp(
      {
        pid,
        generator,
        provisions: true,
        beginWindow: async () => void (before = await scrape()),
        stepP99Ms: async () => p99MsBetween(before, await scrape()),
        serverLoopDelayP99Ms: () => loopDelayP99Ms,
        stop: async () => {},
      },
      step,
      maxBots,
    );
  } finally {
    await generator.stop();
    server.child.kill("SIGTERM");
    await server.exited;
    await database.drop();
  }
  const output = server.output();
  // What the server logged at warn and above (e.g. why a REST call answered 500).
  const errorLines = output.split("\n").filter((l) => /^\{.*"level":(50|60)/.test(l));
  return {
    ...result,
    serverLog: { ...serverLogProblems(output), samples: errorLines.slice(0, 3) },
  };
}

async function naive(maxBots: number, step: number) {
  const port = await freePort();
  const child = spawn(NODE, ["--import", "tsx", "bench/naive-server.ts", "--port", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  pin(child.pid!, 0);
  const url = `http://127.0.0.1:${port}`;
  let loopDelayP99Ms: number | null = null;
  const stats = async () => {
    const body = (await (await fetch(`${url}/stats`)).json()) as {
      tickP99Ms: number | null;
      loopDelayP99Ms: number | null;
    };
    loopDelayP99Ms = body.loopDelayP99Ms;
    return body;
  };
  const generator = new LoadGenerator({
    url,
    runner: ({ stats: s, signal }) => runNaiveBot(url, s, signal),
  });
  try {
    return await ramp(
      {
        pid: child.pid!,
        generator,
        provisions: false,
        beginWindow: async () => void (await stats()),
        stepP99Ms: async () => (await stats()).tickP99Ms,
        serverLoopDelayP99Ms: () => loopDelayP99Ms,
        stop: async () => {},
      },
      step,
      maxBots,
    );
  } finally {
    await generator.stop();
    child.kill("SIGTERM");
  }
}

const started = Date.now();
const skip = new Set(values.skip.split(","));
const result: Record<string, unknown> = {
  benchmark: "capacity: moving clients on one server process",
  node: process.version,
  database: values.db,
  zonePatchHz: values["patch-hz"] ? Number(values["patch-hz"]) : "server default (10)",
  transport: values.transport,
  serverNodeArgs: values["server-node-args"] || undefined,
  pinning: hasTaskset
    ? "server on core 0, load generator (this process) on core 1 (taskset)"
    : "none (no taskset)",
  criteria: {
    serverStepP99Ms: STEP_P99_LIMIT_MS,
    serverLoopDelayP99BelowMs: LOOP_DELAY_P99_LIMIT_MS,
    refIdErrors: 0,
    connectedFraction: CONNECTED_FRACTION,
  },
  bots: {
    ours:
      values["sdk-every"] === "0"
        ? "thin protocol bots only"
        : `thin protocol bots, 1 in ${values["sdk-every"]} a full @colyseus/sdk bot`,
    naive: "the baseline's own ws bots",
  },
  steps: {
    step: Number(values.step),
    naiveStep: Number(values["naive-step"]),
    rampSec: RAMP_MS / 1000,
    holdSec: HOLD_MS / 1000,
  },
};
const oursResult = skip.has("ours")
  ? undefined
  : await ours(Number(values["max-bots"]), Number(values.step));
const naiveResult = skip.has("naive")
  ? undefined
  : await naive(Number(values["naive-max-bots"]), Number(values["naive-step"]));
result.ours = oursResult;
result.naive = naiveResult;
if (oursResult && naiveResult) {
  // Bandwidth at the same CCU: our step row nearest to the baseline's max CCU.
  const near = oursResult.steps
    .filter((r) => r.pass)
    .reduce<Row | undefined>(
      (a, r) =>
        !a ||
        Math.abs(r.connected - naiveResult.maxCcu) < Math.abs(a.connected - naiveResult.maxCcu)
          ? r
          : a,
      undefined,
    );
  const naiveBytes = naiveResult.atMax?.bytesPerClientPerSec ?? 0;
  result.ratios = {
    ccu: naiveResult.maxCcu > 0 ? round(oursResult.maxCcu / naiveResult.maxCcu, 2) : null,
    bandwidthPerClientAtEachMax:
      oursResult.atMax && naiveBytes
        ? round(naiveBytes / oursResult.atMax.bytesPerClientPerSec, 1)
        : null,
    bandwidthPerClientAtBaselineMaxCcu:
      near && naiveBytes
        ? {
            oursCcu: near.connected,
            naiveCcu: naiveResult.maxCcu,
            ratio: round(naiveBytes / near.bytesPerClientPerSec, 1),
          }
        : null,
  };
  result.targets = {
    ccuAtLeast3000: oursResult.maxCcu >= 3000,
    ccuAtLeast5xBaseline: naiveResult.maxCcu > 0 && oursResult.maxCcu >= 5 * naiveResult.maxCcu,
    bandwidthAtLeast30xLess:
      oursResult.atMax && naiveBytes
        ? naiveBytes / oursResult.atMax.bytesPerClientPerSec >= 30
        : false,
  };
}
result.sdkConsole = {
  ...consoleCapture.counts,
  samples: consoleCapture.samples.slice(0, 5),
};
result.durationSec = Math.round((Date.now() - started) / 1000);
consoleCapture.restore();
console.log(JSON.stringify(result, null, 2));
process.exit(0);
