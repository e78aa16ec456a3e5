/**
 * Runs thin bots (loadtest/thin-bot.ts) with one timer for all their inputs: every 10 ms it sends
 * the inputs of one slot of bots, so at 10 Hz each bot sends once per 100 ms, spread evenly.
 */
import { Client } from "@colyseus/sdk";
import type { Account, BotStats } from "./bot.ts";
import { ThinBot } from "./thin-bot.ts";
import type { FrameCounts, SeatReservation } from "./thin-wire.ts";

const SLOT_MS = 10;

export type ThinPoolOptions = {
  /** Server base URL, e.g. http://127.0.0.1:2567. */
  url: string;
  stats: BotStats;
  frames: FrameCounts;
  signal: AbortSignal;
  /** Input rate; 10 Hz by default (a multiple of 10 ms per input). */
  inputHz?: number;
};

/** Runs thin bots and the one timer that sends all their inputs. */
export class ThinBotPool {
  readonly bots: ThinBot[] = [];
  /** Bots by input slot: slot `i` sends during the i-th 10 ms of every input period. */
  private readonly slots: ThinBot[][];
  private readonly timer: NodeJS.Timeout;
  private lastSlot = Math.floor(performance.now() / SLOT_MS);
  /** Builds room URLs exactly as the SDK does (`Client.buildEndpoint` is protected). */
  private readonly sdk: { buildEndpoint(r: SeatReservation, o: Record<string, string>): string };
  readonly options: ThinPoolOptions;

  constructor(options: ThinPoolOptions) {
    this.options = options;
    const count = Math.max(1, Math.round(1000 / (options.inputHz ?? 10) / SLOT_MS));
    this.slots = Array.from({ length: count }, () => []);
    this.sdk = new Client(options.url) as unknown as ThinBotPool["sdk"];
    this.timer = setInterval(() => this.tick(), SLOT_MS);
    options.signal.addEventListener("abort", () => clearInterval(this.timer), { once: true });
  }

  /** Runs one bot until the signal aborts; never throws (failures are counted in `stats`). */
  run(bot: { clientIp?: string; account?: Account; characterId?: string }): Promise<void> {
    const b = new ThinBot(this, bot.clientIp, bot.account, bot.characterId);
    this.bots.push(b);
    this.slots[(this.bots.length - 1) % this.slots.length]!.push(b);
    return b.run();
  }

  endpoint(reservation: SeatReservation): string {
    const options: Record<string, string> = { sessionId: reservation.sessionId };
    if (reservation.reconnectionToken) options.reconnectionToken = reservation.reconnectionToken;
    return this.sdk.buildEndpoint(reservation, options);
  }

  private tick() {
    const now = performance.now();
    const slot = Math.floor(now / SLOT_MS);
    // A late timer catches up on the slots it missed, at most one whole period.
    const from = Math.max(this.lastSlot + 1, slot - this.slots.length + 1);
    for (let s = from; s <= slot; s++) {
      for (const bot of this.slots[s % this.slots.length]!) bot.input(now);
    }
    this.lastSlot = slot;
  }
}
