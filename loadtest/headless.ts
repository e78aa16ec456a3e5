/**
 * Headless load generator: runs N bots (loadtest/bot.ts) against a running server and prints ONE
 * JSON object. It can run on another machine or process than the server.
 *
 *   npm run loadtest:headless -- --url http://127.0.0.1:2567 --bots 100 --duration 60 --ramp 10
 *
 * --duration counts from the first bot's start (ramp included); the figures for patches and bytes
 * cover the time after the ramp. --live prints a one-line summary to stderr every second.
 * --sdk-every N runs thin protocol bots (loadtest/thin-bot.ts) with one full SDK bot in every N.
 */
import { parseArgs } from "node:util";
import { LoadGenerator } from "./generator.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:2567" },
    bots: { type: "string", default: "100" },
    duration: { type: "string", default: "60" },
    ramp: { type: "string", default: "10" },
    "chars-per-account": { type: "string", default: "1" },
    portals: { type: "string", default: "0.05" },
    "sdk-every": { type: "string", default: "1" },
    live: { type: "boolean", default: false },
  },
});
const bots = Number(values.bots);
const durationMs = Number(values.duration) * 1000;
const rampMs = Math.min(Number(values.ramp) * 1000, durationMs);

const generator = new LoadGenerator({
  url: values.url,
  charactersPerAccount: Number(values["chars-per-account"]),
  portalChance: Number(values.portals),
  sdkEvery: Number(values["sdk-every"]),
});

const started = Date.now();
let live: NodeJS.Timeout | undefined;
if (values.live) {
  const s = generator.stats;
  let lastPatches = 0;
  live = setInterval(() => {
    const perBot = s.connected ? (s.patches - lastPatches) / s.connected : 0;
    lastPatches = s.patches;
    process.stderr.write(
      `\r${Math.round((Date.now() - started) / 1000)}s bots ${generator.bots} connected ${s.connected}` +
        ` patches/bot/s ${perBot.toFixed(1)} joins ${s.joins} transfers ${s.transfers}` +
        ` attacks ${s.attacks} reconnects ${s.reconnects} errors ${s.errors}   `,
    );
  }, 1000);
}

await generator.add(bots, rampMs);
generator.window(); // discard the ramp window
const remaining = durationMs - (Date.now() - started);
if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
const w = generator.window();
if (live) clearInterval(live);
if (values.live) process.stderr.write("\n");
const joinLatency = generator.allJoinLatency;
await generator.stop();

console.log(
  JSON.stringify(
    {
      url: values.url,
      bots,
      botsConnected: w.connected,
      durationSec: durationMs / 1000,
      measuredSec: w.seconds,
      joins: generator.stats.joins,
      joinLatencyP50Ms: joinLatency.quantile(0.5),
      joinLatencyP99Ms: joinLatency.quantile(0.99),
      patchesPerBotPerSec: w.patchesPerBotPerSec,
      patchIntervalP99Ms: w.patchIntervalP99Ms,
      bytesPerBotPerSec: w.bytesPerBotPerSec,
      thinBots: w.thinBots,
      sdkBots: w.sdkBots,
      echoP99Ms: w.echoP99Ms,
      transfers: w.transfers,
      attacks: w.attacks,
      drops: w.drops,
      reconnects: w.reconnects,
      rejoins: w.rejoins,
      errors: generator.stats.errors,
      errorSamples: generator.stats.errorSamples,
      generatorLoopDelayP99Ms: w.generatorLoopDelayP99Ms,
      generatorCpuPct: w.generatorCpuPct,
    },
    null,
    2,
  ),
);
process.exit(0);
