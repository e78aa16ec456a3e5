/**
 * What the soak test (`loadtest/soak.ts`) watches: the server (its /metrics and admin API, its
 * process through /proc, its logs), the SDK's console output and process-level errors in the
 * generator.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { BotState } from "./bot.ts";
import { metricValue } from "./soak-metrics.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DECODE_TEXT =
  /definition mismatch|field not defined|DecodingWarning|@colyseus\/schema|decode/i;
const CLK_TCK = 100;

export function pin(pid: number, core: number): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(core), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function procRssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/**
 * Counts what the SDK and the schema decoder report through the console (a decode failure such as
 * `"refId" not found` is only a console.error there) and keeps the reconnection chatter
 * (console.info) off the output.
 */
export function captureConsole() {
  const counts = { refId: 0, decode: 0, otherWarnings: 0, reconnectGaveUp: 0 };
  const samples: string[] = [];
  const original = { warn: console.warn, error: console.error, info: console.info };
  const text = (args: unknown[]) =>
    args
      .map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.name}: ${a.message}` : ""))
      .join(" ")
      .trim();
  const record = (level: string, args: unknown[]) => {
    const line = text(args);
    if (/refId/i.test(line)) counts.refId += 1;
    else if (DECODE_TEXT.test(line)) counts.decode += 1;
    else counts.otherWarnings += 1;
    if (samples.length < 20) samples.push(`console.${level}: ${line.slice(0, 300)}`);
  };
  console.warn = (...args: unknown[]) => record("warn", args);
  console.error = (...args: unknown[]) => record("error", args);
  console.info = (...args: unknown[]) => {
    if (/Reconnection failed/i.test(text(args))) counts.reconnectGaveUp += 1;
  };
  return {
    counts,
    samples,
    restore() {
      Object.assign(console, original);
    },
  };
}

/** Process-level trouble in the generator, counted instead of crashing the run. */
export function captureProcess() {
  const counts = { uncaughtExceptions: 0, unhandledRejections: 0, warnings: 0 };
  const samples: string[] = [];
  const keep = (what: string) => samples.length < 10 && samples.push(what.slice(0, 300));
  const onUncaught = (err: Error) => {
    counts.uncaughtExceptions += 1;
    keep(`uncaught: ${err?.stack ?? err}`);
  };
  const onRejection = (reason: unknown) => {
    counts.unhandledRejections += 1;
    keep(`unhandled rejection: ${(reason as Error)?.stack ?? reason}`);
  };
  const onWarning = (w: Error) => {
    counts.warnings += 1;
    keep(`warning: ${w.name}: ${w.message}`);
  };
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onRejection);
  process.on("warning", onWarning);
  return {
    counts,
    samples,
    restore() {
      process.off("uncaughtException", onUncaught);
      process.off("unhandledRejection", onRejection);
      process.off("warning", onWarning);
    },
  };
}

/** Server log lines at warn (40) or above, by level and message. */
export function serverLogProblems(output: string) {
  const byMessage: Record<string, number> = {};
  let warnings = 0;
  let errors = 0;
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) < 40) continue;
      if (entry.level! >= 50) errors += 1;
      else warnings += 1;
      const key = `${entry.level! >= 50 ? "error" : "warn"}: ${entry.msg ?? "?"}`;
      byMessage[key] = (byMessage[key] ?? 0) + 1;
    } catch {
      // Not a pino line (e.g. a Node warning on stderr): not counted.
    }
  }
  return { warnings, errors, byMessage };
}

/** The server under test: started here (with its pid) or given by URL (metrics only). */
export type Target = {
  url: string;
  pid?: number;
  pinned: boolean;
  scrape(): Promise<string | null>;
  /** An admin GET (null without credentials or on failure). */
  get(path: string): Promise<string | null>;
};

/**
 * The sessions a server still holds after every bot has stopped: its rooms with clients and its
 * online players, each with what its bot was doing at the end of the run.
 */
export async function lingeringSessions(target: Target, endStates: Map<string, BotState>) {
  const rooms = JSON.parse((await target.get("/admin/api/rooms")) ?? '{"rooms":[]}') as {
    rooms: { name: string; roomId: string; clients: number; metadata?: unknown }[];
  };
  const players = JSON.parse((await target.get("/admin/api/players")) ?? '{"players":[]}') as {
    players: { characterId: string; zone: string; roomId: string; since: string }[];
  };
  return {
    rooms: rooms.rooms
      .filter((r) => r.clients > 0)
      .map((r) => ({ name: r.name, roomId: r.roomId, clients: r.clients, metadata: r.metadata })),
    players: players.players.map((p) => ({
      ...p,
      botStateAtEnd: endStates.get(p.characterId) ?? "unknown",
    })),
  };
}

/** Polls the server's CCU until it equals `expected` or `ms` pass; returns the last reading. */
export async function awaitCcu(target: Target, expected: number, ms: number) {
  const deadline = performance.now() + ms;
  for (;;) {
    const text = await target.scrape();
    const ccu = text ? metricValue(text, "mmo_ccu") : null;
    if (ccu === null || ccu === expected || performance.now() > deadline) return ccu;
    await sleep(500);
  }
}
