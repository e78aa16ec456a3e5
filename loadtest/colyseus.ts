/**
 * Interactive load test on `@colyseus/loadtest` (its terminal UI needs a TTY), with the same bots
 * as the headless generator (loadtest/bot.ts):
 *
 *   npm run loadtest -- --endpoint http://127.0.0.1:2567 --numClients 50 --delay 100
 *
 * @colyseus/loadtest 0.17.8 depends on sdk 0.17; package.json overrides it to our sdk 0.18 so the
 * bots and the UI share one `Client` class. The UI counts rooms joined through `Client.prototype`
 * join methods, wrapped when `cli()` runs; our bots join from a seat reservation, so before that we
 * route reservations through `joinById` (see `consumeViaJoinById`), which the UI then counts.
 * For benchmarks and CI use `npm run loadtest:headless` instead.
 */
import { cli, type Options } from "@colyseus/loadtest";
import { Client, type Room } from "@colyseus/sdk";
import { newBotStats, runBot } from "./bot.ts";
import { botIp } from "./generator.ts";

const RESERVATION = "__reservation__";
type JoinById = (this: Client, roomId: string, options?: unknown) => Promise<Room>;
const joinById = Client.prototype.joinById as unknown as JoinById;
(Client.prototype as unknown as { joinById: JoinById }).joinById = function (roomId, options) {
  if (roomId === RESERVATION) return this.consumeSeatReservation(options as never);
  return joinById.call(this, roomId, options);
};
const consumeViaJoinById = (client: Client, reservation: unknown) =>
  (client.joinById as unknown as JoinById).call(client, RESERVATION, reservation);

const stats = newBotStats();
const abort = new AbortController();
let lastErrors = 0;
setInterval(() => {
  if (stats.errors > lastErrors) {
    for (const e of stats.errorSamples.slice(lastErrors)) console.error(e);
    lastErrors = stats.errors;
  }
}, 1000);

cli(async (options: Options) => {
  const url = options.endpoint.replace(/^ws/, "http");
  // Resolve once this bot is in a room (the UI opens clients one after another), keep it running.
  await new Promise<void>((resolve, reject) => {
    let joined = false;
    const errorsBefore = stats.errors;
    void runBot({
      url,
      stats,
      signal: abort.signal,
      clientIp: botIp(options.clientId + 1),
      portalChance: 0.05,
      consume: consumeViaJoinById,
      onRoom: () => {
        if (!joined) {
          joined = true;
          resolve();
        }
      },
    });
    const check = setInterval(() => {
      if (joined) return clearInterval(check);
      if (stats.errors > errorsBefore) {
        clearInterval(check);
        reject(new Error(stats.errorSamples.at(-1) ?? "bot failed"));
      }
    }, 100);
  });
});
