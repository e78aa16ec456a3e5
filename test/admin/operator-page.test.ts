import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import type { Browser, Page } from "playwright-core";
import { launchChromium, requireChromium } from "../browser/chromium.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";

const ADMIN = { ADMIN_USER: "ops", ADMIN_PASSWORD: "a-long-admin-password" };

describe("operator page /admin/players (Chromium)", function () {
  this.timeout(60_000);
  let game: TestGame | undefined;
  let browser: Browser | undefined;
  const rooms: Room[] = [];

  before(async function () {
    requireChromium(this);
    [browser, game] = await Promise.all([
      launchChromium(),
      startTestGame(DATABASE_TARGETS[0]!, ADMIN),
    ]);
  });
  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
    );
    await browser?.close();
    await game?.stop();
  });

  /** The page as an operator sees it; dialogs are answered from `answers`, in order. */
  async function openPage(answers: string[]): Promise<Page> {
    const context = await browser!.newContext({
      httpCredentials: { username: ADMIN.ADMIN_USER, password: ADMIN.ADMIN_PASSWORD },
    });
    const page = await context.newPage();
    page.on("dialog", (dialog) => void dialog.accept(answers.shift() ?? ""));
    await page.goto(`${game!.url}/admin/players`);
    return page;
  }

  it("lists an online player and mutes then kicks it with the buttons", async () => {
    const player = await newPlayer(game!.url);
    const { room } = await enterWorld(game!.url, player);
    rooms.push(room);
    await sleep(300);
    const page = await openPage(["15", "spamming trade chat", "afk too long"]);
    const row = `tr[data-character-id="${player.characterId}"]`;
    await page.waitForSelector(row, { timeout: 10_000 });
    assert.equal(await page.textContent(`${row} td:first-child`), player.character.name);

    const muted = nextMessage<{ reason: string; until: string }>(room, "muted");
    await page.click(`${row} button[data-action="mute"]`);
    assert.equal((await muted).reason, "spamming trade chat");
    await page.waitForFunction(() =>
      /muted until/.test(document.getElementById("status")!.textContent ?? ""),
    );

    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    await page.click(`${row} button[data-action="kick"]`);
    assert.equal(await left, 4002);
    rooms.splice(rooms.indexOf(room), 1);
    await page.waitForSelector(row, { state: "detached", timeout: 10_000 });

    // The audit table shows both, with the operator's reasons.
    await page.waitForFunction(
      () => document.querySelectorAll("#audit tbody tr").length >= 2,
      undefined,
      { timeout: 10_000 },
    );
    const audit = await page.$$eval("#audit tbody tr", (rows) =>
      rows.slice(0, 2).map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent)),
    );
    assert.deepEqual(
      audit.map((cells) => [cells[1], cells[2], cells[4], cells[5]]),
      [
        ["ops", "player.kick", "afk too long", "200 ok"],
        ["ops", "player.mute", "spamming trade chat", "200 ok"],
      ],
    );
  });
});
