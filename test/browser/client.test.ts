import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import { startTestGame, type TestGame } from "../helpers/game-server.ts";
import { buildClient } from "./build-client.ts";
import { launchChromium, requireChromium } from "./chromium.ts";
import { countNear, decodePng } from "./png.ts";

const SCREENSHOT = "test-results/browser-zone.png";
/** COLORS.own in client/render.ts. */
const OWN_COLOR: [number, number, number] = [0xff, 0xd3, 0x4d];

type DebugState = {
  characterId: string;
  /** Own entity's key in the state: the room's session id. */
  entityId: string;
  x: number;
  y: number;
  zone: string;
  hp: number;
  mapLoaded: boolean;
};

describe("browser client in Chromium", function () {
  this.timeout(30_000);
  let game: TestGame | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    [, browser, game] = await Promise.all([
      buildClient(),
      launchChromium(),
      startTestGame(DATABASE_TARGETS[0]!),
    ]);
    page = await browser.newPage({ viewport: { width: 960, height: 640 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // CSP violations show up here too; failed requests are checked by URL below.
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && !text.startsWith("Failed to load resource")) {
        pageErrors.push(text);
      }
    });
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      // A character in no guild has no guild (404): the chat box then loads no guild history.
      const noGuild = /^\/v1\/characters\/[^/]+\/guild$/.test(path);
      if (response.status() >= 400 && !(noGuild && response.status() === 404)) {
        pageErrors.push(`${response.status()} ${path}`);
      }
    });
  });

  after(async () => {
    await browser?.close();
    await game?.stop();
  });

  const own = () => page.evaluate(() => window.__mmo?.state() ?? null) as Promise<DebugState>;

  it("registers, creates a character, enters the zone, moves and draws the character", async () => {
    // Served by the game server itself: page, API and room WebSocket on one origin, under its CSP.
    const response = await page.goto(game!.url);
    assert.equal(response?.status(), 200);
    const csp = response.headers()["content-security-policy"] ?? "";
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/, "plain-http hosts keep working");

    await page.fill("#auth-email", `browser.${process.pid}.${Date.now()}@example.com`);
    await page.fill("#auth-password", "browser password 123");
    await page.click("#auth-register");
    await page.waitForSelector("#screen-characters:not([hidden])");

    await page.fill("#create-name", `Web${process.pid % 100_000}`);
    await page.selectOption("#create-race", "elf");
    await page.selectOption("#create-job", "mage");
    await page.click("#create-submit");
    await page.click("#character-list button[data-character-id]");

    // The map and the own `self` message (hp) arrive separately: wait for both.
    await page.waitForFunction(
      () => window.__mmo?.state()?.mapLoaded === true && window.__mmo.state()!.hp > 0,
      null,
      { timeout: 10_000 },
    );
    const start = await own();
    assert.equal(start.zone, "town");
    assert.ok(start.hp > 0, "own hp is replicated to the owner");
    // The HUD names the zone's channel (issue 13) and lists the zone's channels to switch to.
    await page.waitForSelector("#hud-channel:not([hidden]) option", { state: "attached" });
    assert.equal(await page.inputValue("#hud-channel"), "1");
    await page.waitForFunction(
      () => document.querySelector("#hud-channel option")?.textContent === "Ch 1 (1/200)",
      null,
      { timeout: 5_000 },
    );

    await page.keyboard.down("d");
    await page.waitForFunction((x0) => (window.__mmo?.state()?.x ?? x0) > x0 + 40, start.x, {
      timeout: 5_000,
    });
    await page.keyboard.up("d");
    const released = await own();
    await page.waitForTimeout(400);
    const stopped = await own();
    assert.ok(stopped.x > start.x + 40, `moved right: ${start.x} → ${stopped.x}`);
    assert.ok(stopped.x - released.x < 40, "stop on release halts the character");
    assert.ok(Math.abs(stopped.y - start.y) < 1, "moved along x only");

    await page.waitForTimeout(200); // interpolation catches up with the last position
    await mkdir("test-results", { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT });
    const image = decodePng(png);
    const ownPixels = countNear(image, image.width >> 1, image.height >> 1, 16, OWN_COLOR, 24);
    assert.ok(ownPixels > 100, `own character drawn at the centre (${ownPixels} pixels)`);
    const hud = await page.textContent("#hud-name");
    assert.match(hud ?? "", /^Web\d+$/);
    // The own entity is found under the room's session id (a network key, not the character id).
    assert.notEqual(stopped.entityId, stopped.characterId);
    const self = await page.evaluate(
      (key) => window.__mmo!.entities().find((e) => e.id === key),
      stopped.entityId,
    );
    assert.equal(self?.kind, "player");
    assert.equal(self?.name, hud);
    assert.equal(self?.level, 1);
    assert.deepEqual(pageErrors, []);
  });

  it("walks to a clicked point", async () => {
    const start = await own();
    const box = (await page.locator("#view").boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 120, box.y + box.height / 2);
    await page.waitForFunction((x0) => (window.__mmo?.state()?.x ?? x0) > x0 + 100, start.x, {
      timeout: 5_000,
    });
    await page.waitForTimeout(300);
    const arrived = await own();
    assert.ok(Math.abs(arrived.x - (start.x + 120)) < 12, `stopped at the click: ${arrived.x}`);
  });

  it("talks to a clicked NPC and accepts a quest", async () => {
    await page.waitForFunction(() => window.__mmo!.entities().some((e) => e.id === "npc-elder"));
    const me = await own();
    const elder = (await page.evaluate(() =>
      window.__mmo!.entities().find((e) => e.id === "npc-elder"),
    ))!;
    assert.equal(elder.name, "Elder Brann");
    assert.equal(elder.hpRatio, undefined, "NPCs have no health on the wire");
    const box = (await page.locator("#view").boundingBox())!;
    await page.mouse.click(
      box.x + box.width / 2 + (elder.x - me.x),
      box.y + box.height / 2 + (elder.y - me.y),
    );
    await page.waitForSelector("#npc-dialog:not([hidden])", { timeout: 8_000 });
    assert.equal(await page.textContent("#npc-name"), "Elder Brann");
    await page.click("#npc-quests button:text('Accept')");
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("#log li")].some((li) =>
          li.textContent?.startsWith("Quest accepted"),
        ),
      null,
      { timeout: 5_000 },
    );
  });

  it("attacks a clicked mob", async () => {
    await relocate("field", 680, 1600); // beside the west slime meadow
    await page.waitForFunction(() => window.__mmo!.entities().some((e) => e.kind === "mob"));
    const me = await own();
    const mobs = await page.evaluate(() =>
      window.__mmo!.entities().filter((e) => e.kind === "mob" && (e.hpRatio ?? 0) > 0),
    );
    const distance = (e: { x: number; y: number }) => Math.hypot(e.x - me.x, e.y - me.y);
    const mob = mobs.sort((a, b) => distance(a) - distance(b))[0];
    assert.ok(mob, "slimes in view");
    // Mobs carry no name or level on the wire: both come from content/mobs.json by template.
    assert.deepEqual([mob.name, mob.level], ["Dew Slime", 1]);
    const box = (await page.locator("#view").boundingBox())!;
    await page.mouse.click(
      box.x + box.width / 2 + (mob.x - me.x),
      box.y + box.height / 2 + (mob.y - me.y),
    );
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("#log li")].some((li) =>
          /^You hit Dew Slime for \d+\./.test(li.textContent ?? ""),
        ),
      null,
      { timeout: 8_000 },
    );
  });

  it("walks into a portal and arrives in the next zone", async () => {
    await relocate("town", 1380, 768); // just west of the town's east portal
    const before = await own();
    await page.keyboard.down("ArrowRight");
    await page.waitForFunction(
      () => window.__mmo?.state()?.zone === "field" && window.__mmo.state()?.mapLoaded,
      null,
      { timeout: 8_000 },
    );
    await page.keyboard.up("ArrowRight");
    const arrived = await own();
    assert.ok(Math.hypot(arrived.x - 224, arrived.y - 2048) < 64, "at the portal's target point");
    // Another room, another session id: the client follows its own entity under the new key.
    assert.notEqual(arrived.entityId, before.entityId);
    assert.equal(arrived.characterId, before.characterId);
    await page.screenshot({ path: "test-results/browser-field.png" });
    assert.deepEqual(pageErrors, []);
  });

  /** Leaves the world, moves the character while it is offline, and plays it again. */
  async function relocate(zone: string, x: number, y: number): Promise<void> {
    const last = await own();
    const id = last.characterId;
    await page.click("#leave");
    await page.waitForSelector("#screen-characters:not([hidden])");
    // Move it only once the room's save on leave is in, or that save would undo the move.
    const prisma = game!.server.db.prisma;
    await waitUntil(async () => {
      const row = await prisma.character.findUnique({ where: { id } });
      return row !== null && Math.abs(row.x - last.x) < 1 && Math.abs(row.y - last.y) < 1;
    }, "the save on leave");
    await prisma.character.update({ where: { id }, data: { zone, x, y } });
    await page.click(`#character-list button[data-character-id="${id}"]`);
    await page.waitForFunction(
      (z) => window.__mmo?.state()?.zone === z && window.__mmo.state()?.mapLoaded === true,
      zone,
    );
    assert.deepEqual([(await own()).x, (await own()).y], [x, y]);
  }
});

async function waitUntil(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
