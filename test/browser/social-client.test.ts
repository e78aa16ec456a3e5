import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import { startTestGame, type TestGame } from "../helpers/game-server.ts";
import { buildClient } from "./build-client.ts";
import { launchChromium, requireChromium } from "./chromium.ts";

const STARTING_GOLD = 500;
const PILL = "minor_healing_pill";
const PILLS = 5;

type Player = { page: Page; name: string; errors: string[] };

const characterIdOf = (p: Player) =>
  p.page.evaluate(() => window.__mmo!.state()!.characterId) as Promise<string>;

/** Texts of the elements matching `selector`. */
const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((el) => el.textContent ?? ""));

/** Waits until an element matching `selector` has exactly `text`. */
async function waitForText(page: Page, selector: string, text: string, timeout = 8_000) {
  await page.waitForFunction(
    ([sel, want]) => [...document.querySelectorAll(sel)].some((el) => el.textContent === want),
    [selector, text] as const,
    { timeout },
  );
}

async function chat(page: Page, line: string): Promise<void> {
  await page.fill("#chat-input", line);
  await page.press("#chat-input", "Enter");
}

describe("browser client: chat, party, mail, leaderboards, trade (Chromium)", function () {
  this.timeout(60_000);
  let game: TestGame | undefined;
  let browser: Browser | undefined;
  let a: Player;
  let b: Player;

  before(async function () {
    requireChromium(this);
    [, browser, game] = await Promise.all([
      buildClient(),
      launchChromium(),
      startTestGame(DATABASE_TARGETS[0]!),
    ]);
    const suffix = `${process.pid % 10_000}${Date.now() % 1000}`;
    [a, b] = await Promise.all([enter(`Ann${suffix}`), enter(`Bob${suffix}`)]);
  });

  after(async () => {
    await browser?.close();
    await game?.stop();
  });

  /** Registers in its own browser context, creates a character with some gold and plays it. */
  async function enter(name: string): Promise<Player> {
    const context = await browser!.newContext({ viewport: { width: 960, height: 640 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // Refused requests are checked by URL below; the console repeats them without one.
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && !text.startsWith("Failed to load resource")) {
        errors.push(text);
      }
    });
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      // In no guild (no guild chat history to load) and unranked on a board: both are 404s.
      // Playing again at once: the last session still holds the character (retried, 409).
      const expected =
        (response.status() === 404 &&
          /^\/v1\/(characters\/[^/]+\/guild|leaderboards\/\w+\/around\/[^/]+)$/.test(path)) ||
        (response.status() === 409 && path === "/v1/world/join");
      if (response.status() >= 400 && !expected) errors.push(`${response.status()} ${path}`);
    });
    await page.goto(game!.url);
    await page.fill("#auth-email", `${name.toLowerCase()}@example.com`);
    await page.fill("#auth-password", "browser password 123");
    await page.click("#auth-register");
    await page.waitForSelector("#screen-characters:not([hidden])");
    await page.fill("#create-name", name);
    await page.click("#create-submit");
    const play = await page.waitForSelector("#character-list button[data-character-id]");
    const id = (await play.getAttribute("data-character-id"))!;
    // Gold for the mail attachment, given while the character is offline.
    // Gold and a stack of pills (bag slot 0) to mail and trade, given while it is offline.
    const prisma = game!.server.db.prisma;
    await prisma.character.update({ where: { id }, data: { gold: STARTING_GOLD } });
    await prisma.inventoryItem.create({
      data: { characterId: id, slot: 0, itemId: PILL, quantity: PILLS },
    });
    await page.click("#character-list button[data-character-id]");
    await page.waitForFunction(() => window.__mmo?.state()?.mapLoaded === true, null, {
      timeout: 10_000,
    });
    return { page, name, errors };
  }

  it("shows a say line and whispers in the other player's chat log, markup as text", async () => {
    const hostile = `hi <img src=x onerror="window.__pwned=1">`;
    await chat(a.page, hostile);
    await waitForText(b.page, "#chat-log li", `[Say] ${a.name}: ${hostile}`);
    assert.equal(await b.page.$$eval("#chat-log img", (els) => els.length), 0);
    assert.equal(await b.page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    assert.equal(
      await b.page.$eval("#chat-log li:last-child", (li) => li.className),
      "chat-say",
      "coloured by channel",
    );

    await chat(a.page, `/w ${b.name} psst`);
    await waitForText(b.page, "#chat-log li.chat-whisper", `From ${a.name}: psst`);
    await waitForText(a.page, "#chat-log li.chat-whisper", `To ${b.name}: psst`);
    // Enter on the game focuses the chat; Enter there sends and gives the keys back to the game.
    await b.page.focus("#view");
    await b.page.keyboard.press("Enter");
    await b.page.waitForFunction(() => document.activeElement?.id === "chat-input");
    await b.page.keyboard.type("/r got it");
    await b.page.keyboard.press("Enter");
    assert.equal(await b.page.evaluate(() => document.activeElement?.id), "view");
    await waitForText(a.page, "#chat-log li.chat-whisper", `From ${b.name}: got it`);
    assert.equal(await a.page.inputValue("#chat-input"), "", "the input clears once sent");
  });

  it("shows a chatError inline", async () => {
    await chat(a.page, "/p anyone?");
    await waitForText(a.page, "#chat-error", "You are not in a party.");
    assert.equal(await a.page.getAttribute("#chat-error", "data-code"), "NOT_IN_PARTY");
    await chat(a.page, "/dance");
    await waitForText(a.page, "#chat-error", "Unknown command /dance.");
    assert.equal(await a.page.inputValue("#chat-input"), "/dance", "kept to fix");
    await a.page.fill("#chat-input", "");
  });

  it("forms a party through the invite prompt; both frames show both members", async () => {
    await a.page.fill("#party-invite-name", b.name);
    await a.page.click("#party-invite-form button[type=submit]");
    await b.page.waitForSelector("#party-prompt:not([hidden])", { timeout: 8_000 });
    assert.equal(
      await b.page.textContent("#party-prompt-text"),
      `${a.name} invites you to a party.`,
    );
    await b.page.click("#party-accept");
    for (const p of [a, b]) {
      await p.page.waitForFunction(
        () => document.querySelectorAll("#party-members .party-member").length === 2,
        null,
        { timeout: 8_000 },
      );
      const rows = await p.page.$$eval("#party-members .party-member", (els) =>
        els.map((el) => ({
          name: el.querySelector(".member-name")?.textContent,
          level: el.querySelector(".member-level")?.textContent,
          hp: (el.querySelector(".member-hp span") as HTMLElement | null)?.style.width,
          leader: el.classList.contains("leader"),
          offline: el.classList.contains("offline"),
          zone: el.querySelector(".member-zone")?.textContent,
          tools: el.querySelectorAll(".member-tools button").length,
        })),
      );
      const leaderTools = p === a ? 2 : 0;
      assert.deepEqual(rows, [
        {
          name: a.name,
          level: "Lv 1",
          hp: "100%",
          leader: true,
          offline: false,
          zone: "Aldermere",
          tools: 0,
        },
        {
          name: b.name,
          level: "Lv 1",
          hp: "100%",
          leader: false,
          offline: false,
          zone: "Aldermere",
          tools: leaderTools,
        },
      ]);
      assert.equal(await p.page.isHidden("#party-leave"), false);
    }
    assert.equal(await b.page.isHidden("#party-prompt"), true);
    await chat(b.page, "/p hello team");
    await waitForText(a.page, "#chat-log li.chat-party", `[Party] ${b.name}: hello team`);
    await mkdir("test-results", { recursive: true });
    await a.page.screenshot({ path: "test-results/browser-social.png" });
  });

  it("delivers a mail: the recipient's badge, then its content, gold and items", async () => {
    await a.page.click("#mail-open");
    await a.page.click("#mail-compose-open");
    await a.page.fill("#mail-to", b.name);
    await a.page.fill("#mail-subject-input", "Supplies <b>now</b>");
    await a.page.fill("#mail-body-input", "Take these.\nSecond line.");
    await a.page.fill("#mail-gold", "120");
    await a.page.fill('#mail-items input[data-slot="0"]', "2");
    await a.page.click("#mail-send");
    await a.page.waitForSelector("#mail-compose", { state: "hidden" });
    assert.equal(await a.page.textContent("#mail-error"), "");

    await waitForText(b.page, "#mail-badge", "1");
    assert.equal(await b.page.isVisible("#mail-badge"), true);
    await b.page.click("#mail-open");
    await b.page.waitForSelector("#mail-list li.mail-entry.unread");
    assert.deepEqual(await texts(b.page, "#mail-list .mail-subject"), ["Supplies <b>now</b>"]);
    await b.page.click("#mail-list li.mail-entry button");
    await waitForText(b.page, "#mail-body", "Take these.\nSecond line.");
    const from = (await b.page.textContent("#mail-from")) ?? "";
    assert.equal(from.split(" · ")[0], `From ${a.name}`);
    assert.equal(
      await b.page.textContent("#mail-attachments"),
      "Attached: 120 gold, Minor Healing Pill ×2",
    );
    await b.page.click("#mail-claim");
    await waitForText(
      b.page,
      "#chat-log li",
      "You take 120 gold, Minor Healing Pill ×2 from the mail.",
    );
    await b.page.waitForSelector("#mail-claim", { state: "hidden" });
    await waitForText(b.page, "#hud-gold", `${(STARTING_GOLD + 120).toLocaleString("en-US")} gold`);
    await b.page.click("#mail-back");
    await b.page.waitForSelector("#mail-list li.mail-entry:not(.unread)");
    assert.equal(await b.page.isHidden("#mail-badge"), true, "read: no unread mail left");
    // Emptied by the claim, it can be deleted.
    await b.page.click("#mail-list li.mail-entry button");
    await b.page.waitForSelector("#mail-read:not([hidden])");
    await b.page.click("#mail-delete");
    await b.page.waitForSelector("#mail-empty:not([hidden])");
    assert.equal(await b.page.$$eval("#mail-list li", (els) => els.length), 0);
    await b.page.click("#mail-close");
  });

  it("lists both characters on the level leaderboard, and the ranks around oneself", async () => {
    await a.page.click("#ranks-open");
    const deadline = Date.now() + 8_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      await a.page.click("#ranks-tabs button[data-board=level]");
      await a.page.waitForFunction(
        () => document.querySelector("#ranks-status")?.textContent !== "Loading…",
      );
      names = await texts(a.page, "#ranks-list .rank-name");
      if (names.includes(a.name) && names.includes(b.name)) break;
      await a.page.waitForTimeout(250);
    }
    assert.ok(names.includes(a.name) && names.includes(b.name), `board: ${names.join(", ")}`);
    const scores = await texts(a.page, "#ranks-list li .muted");
    assert.ok(
      scores.every((s) => /^Lv \d+ · [\d,]+ xp$/.test(s)),
      scores.join(" | "),
    );
    await a.page.click("#ranks-around");
    await a.page.waitForSelector("#ranks-list li.self");
    assert.equal(await a.page.textContent("#ranks-list li.self .rank-name"), a.name);
    await a.page.click("#ranks-tabs button[data-board=arena]");
    await waitForText(a.page, "#ranks-status", "You are not on this board yet.");
    await a.page.click("#ranks-close");
  });

  it("trades gold and a pill through the trade window; both see it complete", async () => {
    const goldOf = async (p: Player) =>
      Number(((await p.page.textContent("#hud-gold")) ?? "").replace(/[^\d]/g, ""));
    const [goldA, goldB] = [await goldOf(a), await goldOf(b)];
    // A right-clicks B in the view (B stepped aside) and picks Trade from the player menu.
    await b.page.focus("#view");
    await b.page.keyboard.down("d");
    await b.page.waitForTimeout(250);
    await b.page.keyboard.up("d");
    await a.page.waitForTimeout(400); // B's position settles on A's screen
    const me = (await a.page.evaluate(() => window.__mmo!.state()))!;
    const other = (await a.page.evaluate(
      (name) => window.__mmo!.entities().find((e) => e.name === name),
      b.name,
    ))!;
    assert.ok(other.x > me.x + 10, "B stands to the right of A");
    const box = (await a.page.locator("#view").boundingBox())!;
    await a.page.mouse.click(
      box.x + box.width / 2 + (other.x - me.x),
      box.y + box.height / 2 + (other.y - me.y),
      { button: "right" },
    );
    await waitForText(a.page, "#player-menu-name", b.name);
    await a.page.click("#player-menu button[data-action=trade]");
    assert.equal(await a.page.isHidden("#player-menu"), true);
    await b.page.waitForSelector("#trade-prompt:not([hidden])", { timeout: 8_000 });
    assert.equal(
      await b.page.textContent("#trade-prompt-text"),
      `${a.name} wants to trade with you.`,
    );
    await b.page.click("#trade-accept");
    for (const p of [a, b]) await p.page.waitForSelector("#trade-body:not([hidden])");
    assert.equal(await b.page.textContent("#trade-them-name"), a.name);
    assert.equal(await a.page.textContent("#trade-them-name"), b.name);

    await a.page.fill("#trade-gold", "75");
    // B offers one pill from its bags (slot 0: its own five and the two from the mail).
    await b.page.waitForSelector('#trade-your-items input[data-slot="0"]');
    await b.page.fill('#trade-your-items input[data-slot="0"]', "1");
    await b.page.click("#trade-offer");
    await waitForText(a.page, "#trade-their-items li", "Minor Healing Pill ×1");
    await a.page.click("#trade-offer");
    await waitForText(b.page, "#trade-their-gold", "75 gold");
    await b.page.screenshot({ path: "test-results/browser-trade.png" });
    await waitForText(a.page, "#trade-your-state", "Editing · offering 75 gold");
    assert.equal(await a.page.isDisabled("#trade-confirm"), true, "confirm needs both locks");
    await a.page.click("#trade-lock");
    await waitForText(b.page, "#trade-their-state", "Locked");
    await waitForText(a.page, "#trade-status", `Waiting for ${b.name} to lock.`);
    await b.page.click("#trade-lock");
    for (const p of [a, b]) {
      await p.page.waitForSelector("#trade-confirm:not([disabled])");
    }
    await a.page.click("#trade-confirm");
    await waitForText(b.page, "#trade-status", `${a.name} confirmed: confirm to trade.`);
    await b.page.click("#trade-confirm");
    await waitForText(a.page, "#chat-log li", `Trade with ${b.name} completed.`);
    await waitForText(b.page, "#chat-log li", `Trade with ${a.name} completed.`);
    for (const p of [a, b]) await p.page.waitForSelector("#trade-window", { state: "hidden" });
    await waitForText(a.page, "#hud-gold", `${(goldA - 75).toLocaleString("en-US")} gold`);
    await waitForText(b.page, "#hud-gold", `${(goldB + 75).toLocaleString("en-US")} gold`);
    // Committed to the database before either was told: A has 5 - 2 (mailed) + 1 pills.
    const pills = await game!.server.db.prisma.inventoryItem.aggregate({
      where: { characterId: await characterIdOf(a), itemId: PILL },
      _sum: { quantity: true },
    });
    assert.equal(pills._sum.quantity, PILLS - 2 + 1);
  });

  it("passes the lead with Promote, and Leave empties the leaver's frame", async () => {
    const rowsOf = (p: Player) =>
      p.page.$$eval("#party-members .party-member", (els) =>
        els.map((el) => ({
          name: el.dataset.name,
          leader: el.classList.contains("leader"),
          tools: el.querySelectorAll(".member-tools button").length,
        })),
      );
    await a.page.click(
      `#party-members .party-member[data-name="${b.name}"] button:text("Promote")`,
    );
    await b.page.waitForSelector(`#party-members .party-member.leader[data-name="${b.name}"]`);
    await a.page.waitForSelector(`#party-members .party-member.leader[data-name="${b.name}"]`);
    assert.deepEqual(await rowsOf(b), [
      { name: a.name, leader: false, tools: 2 },
      { name: b.name, leader: true, tools: 0 },
    ]);
    assert.deepEqual(await rowsOf(a), [
      { name: a.name, leader: false, tools: 0 },
      { name: b.name, leader: true, tools: 0 },
    ]);
    await a.page.click("#party-leave");
    await a.page.waitForFunction(() => !document.querySelector("#party-members .party-member"));
    assert.equal(await a.page.isHidden("#party-leave"), true);
    await b.page.waitForFunction(
      () => document.querySelectorAll("#party-members .party-member").length === 1,
    );
    assert.deepEqual(await rowsOf(b), [{ name: b.name, leader: true, tools: 0 }]);
  });

  it("shows the guild's chat history on entering the world, then guild chat live", async () => {
    const prisma = game!.server.db.prisma;
    const [idA, idB] = [await characterIdOf(a), await characterIdOf(b)];
    const guildId = randomUUID();
    await prisma.guild.create({
      data: {
        id: guildId,
        name: "Lanternbearers",
        nameKey: "lanternbearers",
        tag: "LNT",
        tagKey: "lnt",
        leaderId: idA,
        members: {
          create: [
            { characterId: idA, rank: "leader" },
            { characterId: idB, rank: "member" },
          ],
        },
        messages: { create: [{ fromId: idA, fromName: a.name, text: "<i>old news</i>" }] },
      },
    });
    // B plays again: the guild's recent chat is loaded as it enters.
    await b.page.click("#leave");
    await b.page.waitForSelector("#screen-characters:not([hidden])");
    await b.page.click("#character-list button[data-character-id]");
    await waitForText(b.page, "#chat-log li.history", `[Guild] ${a.name}: <i>old news</i>`, 12_000);
    assert.equal(await b.page.$$eval("#chat-log i", (els) => els.length), 0);
    await b.page.waitForFunction(() => window.__mmo?.state()?.mapLoaded === true);
    await chat(a.page, "/g rally at the gate");
    await waitForText(b.page, "#chat-log li.chat-guild", `[Guild] ${a.name}: rally at the gate`);
  });

  it("left no page errors", () => {
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  });
});
