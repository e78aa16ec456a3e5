/**
 * A headless load generator: runs many bots in this process and reports windows of their
 * counters. Bots are full `@colyseus/sdk` clients (`loadtest/bot.ts`), or, with `sdkEvery`, thin
 * protocol-level bots (`loadtest/thin-bot.ts`) with one SDK bot in every `sdkEvery` to check what
 * thin bots cannot (`loadtest/sdk-probe.ts`). Used by `loadtest/headless.ts`, `bench/capacity.ts`,
 * the soak and the CI load test.
 */
import { Protocol } from "@colyseus/sdk";
import { monitorEventLoopDelay } from "node:perf_hooks";
import {
  createCharacter,
  MsHistogram,
  newBotStats,
  recordError,
  registerAccount,
  runBot,
  type Account,
  type BotControl,
  type BotOptions,
  type BotStats,
} from "./bot.ts";
import { SdkProbe } from "./sdk-probe.ts";
import type { ThinBot } from "./thin-bot.ts";
import { ThinBotPool } from "./thin-pool.ts";
import { newFrameCounts } from "./thin-wire.ts";

export type GeneratorOptions = {
  url: string;
  /** Characters per registered account (the server must allow that many). 1 = one account each. */
  charactersPerAccount?: number;
  portalChance?: number;
  /**
   * One bot in this many is a full SDK bot, the others are thin bots; unset (or 1): every bot is
   * an SDK bot; 0: every bot is thin.
   */
  sdkEvery?: number;
  onRoom?: BotOptions["onRoom"];
  /** Another bot to run instead of `runBot` (e.g. the naive baseline's). */
  runner?: (bot: { index: number; stats: BotStats; signal: AbortSignal }) => Promise<void>;
};

export type WindowReport = {
  seconds: number;
  bots: number;
  connected: number;
  joins: number;
  joinLatencyP50Ms: number | null;
  joinLatencyP99Ms: number | null;
  patchesPerBotPerSec: number;
  patchIntervalP50Ms: number | null;
  patchIntervalP99Ms: number | null;
  bytesPerBotPerSec: number;
  messages: number;
  transfers: number;
  attacks: number;
  drops: number;
  reconnects: number;
  rejoins: number;
  errors: number;
  /** Of the bytes per bot: state (full states and patches) and room messages (notices, …). */
  stateBytesPerThinBotPerSec: number | null;
  messageBytesPerThinBotPerSec: number | null;
  thinBots: number;
  sdkBots: number;
  /** Input-to-echo latency of the SDK bots (`SdkProbe`). */
  echoP50Ms: number | null;
  echoP99Ms: number | null;
  positionErrors: number;
  /** Of the SDK bots' one-second own-position samples, the share that moved. */
  movingFraction: number | null;
  /** The generator's own event-loop delay p99: above ~50 ms the generator, not the server, lags. */
  generatorLoopDelayP99Ms: number;
  /** CPU time of this process (user + system) over the window, in % of one core. */
  generatorCpuPct: number;
};

/** A fake client address per bot (10.x.y.z), sent as X-Forwarded-For to the REST API. */
export function botIp(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

export class LoadGenerator {
  readonly stats: BotStats = newBotStats();
  /** Join latency over the whole run (the window histogram is reset by `window()`). */
  readonly allJoinLatency = new MsHistogram();
  /** One handle per `runBot` bot, in start order (see `BotControl`). */
  readonly controls: BotControl[] = [];
  /** Frames and bytes the thin bots received, by protocol code. */
  readonly frames = newFrameCounts();
  /** What the SDK bots saw of their own entity. */
  readonly probe = new SdkProbe();
  private readonly abort = new AbortController();
  private thin: ThinBotPool | undefined;
  private sdkBots = 0;
  private cpu = process.cpuUsage();
  private lastFrames = newFrameCounts();
  private readonly running: Promise<void>[] = [];
  private account: Account | undefined;
  /** Characters made by `provision`, taken by the next bots `add` starts. */
  private readonly provisioned: { account: Account; characterId: string }[] = [];
  private windowStart = performance.now();
  private last = { patches: 0, bytes: 0, joins: 0 };
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });

  private readonly options: GeneratorOptions;

  constructor(options: GeneratorOptions) {
    this.options = options;
    this.loop.enable();
  }

  get bots(): number {
    return this.running.length;
  }

  /** The thin bots, in start order. */
  get thinBots(): readonly ThinBot[] {
    return this.thin?.bots ?? [];
  }

  private isThin(index: number): boolean {
    const every = this.options.sdkEvery ?? 1;
    return every === 0 || (every > 1 && index % every !== 0);
  }

  /** Starts `count` more bots, spread evenly over `rampMs`. Resolves when all have been started. */
  async add(count: number, rampMs: number): Promise<void> {
    const gap = count > 1 ? rampMs / count : 0;
    for (let i = 0; i < count && !this.abort.signal.aborted; i++) {
      const index = this.running.length;
      if (this.options.runner) {
        this.running.push(
          this.options.runner({ index, stats: this.stats, signal: this.abort.signal }),
        );
        if (gap > 0) await new Promise((r) => setTimeout(r, gap));
        continue;
      }
      const ready = this.provisioned.shift();
      const account = ready?.account ?? (await this.sharedAccount(index));
      const characterId = ready?.characterId;
      if (this.isThin(index)) {
        this.thin ??= new ThinBotPool({
          url: this.options.url,
          stats: this.stats,
          frames: this.frames,
          signal: this.abort.signal,
        });
        this.running.push(this.thin.run({ clientIp: botIp(index + 1), account, characterId }));
        if (gap > 0) await new Promise((r) => setTimeout(r, gap));
        continue;
      }
      this.sdkBots += 1;
      this.running.push(
        runBot({
          url: this.options.url,
          stats: this.stats,
          signal: this.abort.signal,
          clientIp: botIp(index + 1),
          account,
          characterId,
          portalChance: this.options.portalChance,
          onRoom: (room) => {
            this.probe.attach(room);
            this.options.onRoom?.(room);
          },
          onControl: (control) => this.controls.push(control),
        }),
      );
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
    }
  }

  /**
   * Makes `count` accounts' characters ahead of `add`, `concurrency` calls at a time, so that a
   * measured ramp is joins only (registration and character creation are REST work a capacity step
   * is not about). Accounts hold `charactersPerAccount` characters each. Failures are counted in
   * `stats`; resolves with how many characters were made.
   */
  async provision(count: number, concurrency = 8): Promise<number> {
    const per = Math.max(1, this.options.charactersPerAccount ?? 1);
    const accounts: Account[] = [];
    for (let i = 0; i < Math.ceil(count / per); i++) {
      const ip = botIp(200_000 + this.provisioned.length + this.running.length + i);
      try {
        accounts.push(await registerAccount(this.options.url, ip));
      } catch (err) {
        recordError(this.stats, `provision account: ${(err as Error).message}`);
      }
    }
    // One worker per account at a time: creations of one account serialise on its row lock.
    let next = 0;
    let made = 0;
    const worker = async (account: Account, ip: string) => {
      while (account.characters < per && next < count && !this.abort.signal.aborted) {
        next += 1;
        try {
          const characterId = await createCharacter(this.options.url, account, this.stats, ip);
          this.provisioned.push({ account, characterId });
          made += 1;
        } catch (err) {
          recordError(this.stats, `provision character: ${(err as Error).message}`);
        }
      }
    };
    for (let i = 0; i < accounts.length; i += concurrency) {
      await Promise.all(
        accounts.slice(i, i + concurrency).map((a, j) => worker(a, botIp(300_000 + i + j))),
      );
    }
    return made;
  }

  /** The account the next bot shares; undefined (the bot registers its own) if none could be had. */
  private async sharedAccount(index: number): Promise<Account | undefined> {
    const per = this.options.charactersPerAccount ?? 1;
    if (per <= 1) return undefined;
    if (!this.account || this.account.characters >= per) {
      try {
        this.account = await registerAccount(this.options.url, botIp(100_000 + index));
      } catch (err) {
        recordError(this.stats, `shared account: ${(err as Error).message}`);
        return undefined;
      }
    }
    return this.account;
  }

  /** Counters since the previous call (or the start), then starts a new window. */
  window(): WindowReport {
    const now = performance.now();
    const seconds = (now - this.windowStart) / 1000;
    const s = this.stats;
    const perBot = (n: number) => (s.connected > 0 && seconds > 0 ? n / s.connected / seconds : 0);
    const thinBots = this.thinBots.length;
    const thinLive = this.thinBots.reduce((n, b) => n + (b.isLive() ? 1 : 0), 0);
    const thinBytes = (codes: number[]) =>
      thinLive > 0 && seconds > 0
        ? Math.round(
            codes.reduce((n, c) => n + this.frames.bytes[c]! - this.lastFrames.bytes[c]!, 0) /
              thinLive /
              seconds,
          )
        : null;
    const cpu = process.cpuUsage(this.cpu);
    const probe = this.probe.report();
    const report: WindowReport = {
      seconds: round(seconds, 1),
      bots: this.bots,
      connected: s.connected,
      joins: s.joins - this.last.joins,
      joinLatencyP50Ms: s.joinLatency.quantile(0.5),
      joinLatencyP99Ms: s.joinLatency.quantile(0.99),
      patchesPerBotPerSec: round(perBot(s.patches - this.last.patches), 2),
      patchIntervalP50Ms: s.patchGaps.quantile(0.5),
      patchIntervalP99Ms: s.patchGaps.quantile(0.99),
      bytesPerBotPerSec: Math.round(perBot(s.bytes - this.last.bytes)),
      messages: s.messages,
      transfers: s.transfers,
      attacks: s.attacks,
      drops: s.drops,
      reconnects: s.reconnects,
      rejoins: s.rejoins,
      errors: s.errors,
      stateBytesPerThinBotPerSec: thinBytes([Protocol.ROOM_STATE, Protocol.ROOM_STATE_PATCH]),
      messageBytesPerThinBotPerSec: thinBytes([Protocol.ROOM_DATA, Protocol.ROOM_DATA_BYTES]),
      thinBots,
      sdkBots: this.sdkBots,
      echoP50Ms: probe.echoP50Ms,
      echoP99Ms: probe.echoP99Ms,
      positionErrors: probe.positionErrors,
      movingFraction: probe.movingFraction,
      generatorLoopDelayP99Ms: round(this.loop.percentile(99) / 1e6, 1),
      generatorCpuPct: seconds > 0 ? round((cpu.user + cpu.system) / 1e4 / seconds, 1) : 0,
    };
    this.probe.reset();
    this.cpu = process.cpuUsage();
    this.lastFrames.frames.set(this.frames.frames);
    this.lastFrames.bytes.set(this.frames.bytes);
    this.allJoinLatency.merge(s.joinLatency);
    s.joinLatency.reset();
    s.patchGaps.reset();
    this.loop.reset();
    this.last = { patches: s.patches, bytes: s.bytes, joins: s.joins };
    this.windowStart = now;
    return report;
  }

  /** Stops every bot (each leaves its room) and waits for them. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.running);
    this.loop.disable();
  }
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
