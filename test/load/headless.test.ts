/* eslint-disable no-console -- the test watches what the SDK reports through the console */
import assert from "node:assert/strict";
import { newBotStats, runBot, type BotStats } from "../../loadtest/bot.ts";
import { botIp } from "../../loadtest/generator.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import { sleep, startTestGame, type TestGame } from "../helpers/game-server.ts";

const BOTS = 20;
const RUN_MS = 8000;
const DECODE_ERROR = /refId|decode|schema mismatch/i;

describe("headless load (20 bots on @colyseus/sdk, ~8 s)", function () {
  this.timeout(30_000);
  let game: TestGame;
  const problems: string[] = [];
  const onWarning = (w: Error) => problems.push(`process warning: ${w.name}: ${w.message}`);
  const original = { warn: console.warn, error: console.error };

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
    process.on("warning", onWarning);
    // The SDK reports decode failures (e.g. "refId not found") through the console.
    for (const level of ["warn", "error"] as const) {
      console[level] = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (DECODE_ERROR.test(text)) problems.push(`console.${level}: ${text}`);
        original[level](...args);
      };
    }
  });

  after(async () => {
    process.off("warning", onWarning);
    console.warn = original.warn;
    console.error = original.error;
    await game?.stop();
  });

  it("every bot joins, walks, receives ≥ 7 patches/s (10 Hz patches), with no errors", async () => {
    const abort = new AbortController();
    const stats: BotStats[] = [];
    const roomErrors: string[] = [];
    const runs = Array.from({ length: BOTS }, (_, i) => {
      const s = newBotStats();
      stats.push(s);
      return runBot({
        url: game.url,
        stats: s,
        signal: abort.signal,
        clientIp: botIp(i + 1),
        portalChance: 0.2,
        onRoom: (room) =>
          room.onError((code, message) => roomErrors.push(`${code}: ${message ?? ""}`)),
      });
    });
    // Wait until everyone is in (setup is REST + argon2), then measure a fixed window.
    const deadline = Date.now() + 15_000;
    while (stats.some((s) => s.joins === 0 && s.errors === 0) && Date.now() < deadline) {
      await sleep(100);
    }
    const before = stats.map((s) => s.patches);
    const started = performance.now();
    await sleep(RUN_MS);
    const seconds = (performance.now() - started) / 1000;
    const rates = stats.map((s, i) => (s.patches - before[i]!) / seconds);
    abort.abort();
    await Promise.all(runs);

    const errors = stats.flatMap((s) => s.errorSamples);
    assert.deepEqual(errors, [], "bot errors");
    assert.deepEqual(roomErrors, [], "room.onError");
    assert.deepEqual(problems, [], "decode errors or process warnings");
    assert.equal(stats.filter((s) => s.joins > 0).length, BOTS, "every bot joined");
    const slow = rates.filter((r) => r < 7);
    assert.deepEqual(slow, [], `bots below 7 patches/s: ${rates.map((r) => r.toFixed(1))}`);
    assert.ok(
      stats.every((s) => s.bytes > 0),
      "every bot counted received bytes",
    );
  });
});
