import assert from "node:assert/strict";
import { formatChatLine, parseChatInput, type ChatTarget } from "../../client/chat-format.ts";
import { pickedItems } from "../../client/item-picker.ts";
import { scoreText } from "../../client/leaderboards.ts";
import { attachmentText } from "../../client/mail.ts";
import { hpPercent, partyFrameModel, zoneLabel } from "../../client/party-model.ts";
import { playerAt } from "../../client/player-menu.ts";
import type { EntityView, GameSession } from "../../client/session.ts";
import { Kind } from "../../schema/entity-kind.ts";
import type { ChatLine } from "../../client/social-messages.ts";
import { guildChangeText } from "../../client/social-ui.ts";
import { sideState, tradeControls, type TradeView } from "../../client/trade-model.ts";
import { tradeClosedText } from "../../client/trade-window.ts";

const SAY: ChatTarget = { channel: "say", to: "" };

describe("client parseChatInput (slash commands)", () => {
  it("sends plain text on the selected channel, whispers to the selected name", () => {
    assert.deepEqual(parseChatInput("  hello there ", SAY), {
      kind: "send",
      message: { channel: "say", text: "hello there" },
    });
    assert.deepEqual(parseChatInput("hi", { channel: "whisper", to: "Bob_1" }), {
      kind: "send",
      message: { channel: "whisper", text: "hi", to: "Bob_1" },
    });
    assert.deepEqual(parseChatInput("   ", SAY), { kind: "none" });
  });

  it("picks the channel from /s /z /p /g /world, with no `to` outside whispers", () => {
    const cases: [string, string][] = [
      ["/s a", "say"],
      ["/z a", "zone"],
      ["/p a", "party"],
      ["/party a", "party"],
      ["/g a", "guild"],
      ["/world a", "world"],
      ["/P a", "party"],
    ];
    for (const [line, channel] of cases) {
      assert.deepEqual(parseChatInput(line, SAY), {
        kind: "send",
        message: { channel, text: "a" },
      });
    }
  });

  it("whispers with /w name text and answers the last whisper with /r", () => {
    assert.deepEqual(parseChatInput("/w Ayla meet me at the gate", SAY), {
      kind: "send",
      message: { channel: "whisper", text: "meet me at the gate", to: "Ayla" },
    });
    assert.deepEqual(parseChatInput("/r on my way", SAY, "Ayla"), {
      kind: "send",
      message: { channel: "whisper", text: "on my way", to: "Ayla" },
    });
    assert.deepEqual(parseChatInput("/r hello?", SAY, ""), {
      kind: "error",
      message: "Nobody has whispered to you yet.",
    });
    assert.equal(parseChatInput("/w a! hi", SAY).kind, "error", "not a character name");
    assert.equal(parseChatInput("/w", SAY).kind, "error");
  });

  it("switches the sticky channel on a command without text", () => {
    assert.deepEqual(parseChatInput("/p", SAY), {
      kind: "switch",
      target: { channel: "party", to: "" },
    });
    assert.deepEqual(parseChatInput("/w Ayla", SAY), {
      kind: "switch",
      target: { channel: "whisper", to: "Ayla" },
    });
  });

  it("asks a player with /invite and /trade; refuses unknown commands and long text", () => {
    assert.deepEqual(parseChatInput("/invite Ayla", SAY), { kind: "invite", name: "Ayla" });
    assert.deepEqual(parseChatInput("/trade Ayla", SAY), { kind: "trade", name: "Ayla" });
    assert.equal(parseChatInput("/invite", SAY).kind, "error");
    assert.deepEqual(parseChatInput("/dance", SAY), {
      kind: "error",
      message: "Unknown command /dance.",
    });
    assert.equal(parseChatInput("x".repeat(257), SAY).kind, "error");
    assert.equal(parseChatInput("😀".repeat(256), SAY).kind, "send", "code points, not units");
  });
});

describe("client formatChatLine", () => {
  const line = (over: Partial<ChatLine>): ChatLine => ({
    channel: "party",
    from: "Ayla",
    fromId: "a",
    text: "<b>hi</b>",
    at: 0,
    ...over,
  });

  it("labels channels and keeps text as written", () => {
    assert.deepEqual(formatChatLine(line({}), "me"), {
      text: "[Party] Ayla: <b>hi</b>",
      className: "chat-party",
    });
    assert.equal(formatChatLine(line({ channel: "world" }), "me").text, "[World] Ayla: <b>hi</b>");
  });

  it("shows whispers as From X when received and To X when sent", () => {
    const received = line({ channel: "whisper", to: "Me", text: "psst" });
    assert.equal(formatChatLine(received, "me").text, "From Ayla: psst");
    const sent = line({ channel: "whisper", fromId: "me", from: "Me", to: "Ayla", text: "yes" });
    assert.deepEqual(formatChatLine(sent, "me"), {
      text: "To Ayla: yes",
      className: "chat-whisper",
    });
  });
});

describe("client party frame model", () => {
  const view = {
    id: "p1",
    leader: "Ayla",
    members: [
      { name: "Ayla", level: 7, hpRatio: 1, zone: "town", online: true },
      { name: "Brann", level: 5, hpRatio: 0.25, zone: "dark_forest", online: true },
      { name: "Cato", level: 3, hpRatio: 0.6, zone: "", online: false },
    ],
  };

  it("marks the leader, oneself and offline members; the leader manages the others", () => {
    const model = partyFrameModel(view, "Ayla")!;
    assert.equal(model.leading, true);
    assert.deepEqual(
      model.rows.map((r) => [
        r.name,
        r.level,
        r.hpPercent,
        r.leader,
        r.self,
        r.online,
        r.manageable,
      ]),
      [
        ["Ayla", 7, 100, true, true, true, false],
        ["Brann", 5, 25, false, false, true, true],
        ["Cato", 3, 60, false, false, false, true],
      ],
    );
  });

  it("lets a member who does not lead manage nobody; no party is no frame", () => {
    const model = partyFrameModel(view, "Brann")!;
    assert.equal(model.leading, false);
    assert.ok(model.rows.every((r) => !r.manageable));
    assert.equal(partyFrameModel(null, "Ayla"), null);
  });

  it("clamps hp to 0..100 and names zones", () => {
    assert.deepEqual(
      [hpPercent(-1), hpPercent(0.004), hpPercent(0.996), hpPercent(3)],
      [0, 0, 100, 100],
    );
    assert.equal(hpPercent(Number.NaN), 0);
    assert.equal(zoneLabel("dark_forest"), "Dark forest");
    assert.equal(zoneLabel(""), "");
  });
});

describe("client trade, mail and leaderboard helpers", () => {
  const side = { items: [], gold: 0, locked: false, confirmed: false };
  const trade = (over: Partial<TradeView>): TradeView => ({
    id: "t",
    you: side,
    them: side,
    state: "open",
    ...over,
  });

  it("offers lock while open, confirm once both locked, nothing while committing", () => {
    const open = tradeControls(trade({}), "Bob");
    assert.deepEqual([open.canOffer, open.canLock, open.canConfirm], [true, true, false]);
    const waiting = tradeControls(trade({ you: { ...side, locked: true } }), "Bob");
    assert.deepEqual([waiting.canLock, waiting.status], [false, "Waiting for Bob to lock."]);
    const locked = { ...side, locked: true };
    const both = tradeControls(trade({ state: "locked", you: locked, them: locked }), "Bob");
    assert.deepEqual([both.canLock, both.canConfirm], [false, true]);
    const confirmed = tradeControls(
      trade({ state: "locked", you: { ...locked, confirmed: true }, them: locked }),
      "Bob",
    );
    assert.deepEqual(
      [confirmed.canConfirm, confirmed.status],
      [false, "Waiting for Bob to confirm."],
    );
    const committing = tradeControls(trade({ state: "committing" }), "Bob");
    assert.deepEqual(
      [committing.canOffer, committing.canLock, committing.canConfirm],
      [false, false, false],
    );
    assert.equal(sideState({ ...locked, confirmed: true }), "Confirmed");
  });

  it("says why a trade closed", () => {
    assert.equal(tradeClosedText("moved"), "Trade cancelled: one of you moved.");
    assert.equal(tradeClosedText("declined"), "Trade cancelled: declined.");
    assert.equal(tradeClosedText("somethingNew"), "Trade cancelled: somethingNew.");
    assert.equal(tradeClosedText(undefined), "Trade cancelled.");
  });

  it("reads picked quantities as whole numbers within the stack", () => {
    assert.deepEqual(
      pickedItems([
        { slot: 0, value: "2", max: 5 },
        { slot: 1, value: "0", max: 5 },
        { slot: 2, value: "9", max: 3 },
        { slot: 3, value: "1.7", max: 3 },
        { slot: 4, value: "abc", max: 3 },
        { slot: 5, value: "-2", max: 3 },
      ]),
      [
        { slot: 0, qty: 2 },
        { slot: 2, qty: 3 },
        { slot: 3, qty: 1 },
      ],
    );
  });

  it("describes attachments, scores and guild changes", () => {
    assert.equal(attachmentText(0, []), "");
    assert.equal(
      attachmentText(1500, [{ itemId: "no_such_item", qty: 2 }]),
      "1,500 gold, no_such_item ×2",
    );
    assert.equal(
      scoreText("level", { rank: 1, id: "x", name: "A", score: 0, level: 7, xp: 1234 }),
      "Lv 7 · 1,234 xp",
    );
    assert.equal(
      scoreText("arena", { rank: 1, id: "x", name: "A", score: 1512.4 }),
      "1,512 rating",
    );
    assert.equal(scoreText("guild", { rank: 1, id: "x", name: "G", score: 42 }), "42 levels");
    assert.equal(guildChangeText({ kind: "joined", name: "Ayla" }), "Ayla joined the guild.");
    assert.equal(
      guildChangeText({ kind: "leaderChanged", toName: "Brann" }),
      "Brann now leads the guild.",
    );
    assert.equal(guildChangeText({ kind: "somethingNew" }), "");
  });
});

describe("client playerAt (right-click menu)", () => {
  const entities: [string, EntityView][] = [
    ["me", { kind: Kind.Player, name: "Me", x: 100, y: 100, posTick: 0 }],
    ["p2", { kind: Kind.Player, name: "Ayla", x: 100, y: 100, posTick: 0 }],
    ["p3", { kind: Kind.Player, name: "Brann", x: 130, y: 100, posTick: 0 }],
    ["m1", { kind: Kind.Mob, templateId: "slime", x: 200, y: 100, posTick: 0 }],
  ];
  const session = {
    entityId: "me",
    forEachEntity: (cb: (e: EntityView, key: string) => void) => {
      for (const [key, e] of entities) cb(e, key);
    },
    where: (e: EntityView) => ({ x: e.x, y: e.y }),
  } as unknown as GameSession;

  it("picks the nearest other player, never oneself, never a mob", () => {
    assert.equal(playerAt(session, { x: 100, y: 100 }), "Ayla", "oneself on the same spot");
    assert.equal(playerAt(session, { x: 126, y: 102 }), "Brann");
    assert.equal(playerAt(session, { x: 200, y: 100 }), null, "a mob");
    assert.equal(playerAt(session, { x: 400, y: 400 }), null);
  });
});
