import { strict as assert } from "node:assert";
import {
  CHAT_CHANNELS,
  ChatError,
  MAX_CHAT_TEXT_LENGTH,
  parseChatMessage,
  validateChatText,
} from "./chat-rules.ts";

const INVALID = { ok: false, code: ChatError.INVALID };

describe("validateChatText", () => {
  it("returns the trimmed text when it is ordinary", () => {
    assert.deepEqual(validateChatText("  hello there  "), { ok: true, text: "hello there" });
  });

  it("accepts ordinary Unicode and emoji, counting code points", () => {
    assert.deepEqual(validateChatText("héllo 世界 👋"), { ok: true, text: "héllo 世界 👋" });
    const family = "👨‍👩‍👧"; // joined with U+200D, which stays allowed
    assert.equal(validateChatText(family).ok, true);
    const emojis = "😀".repeat(MAX_CHAT_TEXT_LENGTH); // 512 UTF-16 units, 256 code points
    assert.equal(validateChatText(emojis).ok, true);
    assert.deepEqual(validateChatText(`${emojis}😀`), INVALID);
  });

  it("refuses empty, blank and too long text", () => {
    assert.deepEqual(validateChatText(""), INVALID);
    assert.deepEqual(validateChatText("    "), INVALID);
    assert.equal(validateChatText("x".repeat(MAX_CHAT_TEXT_LENGTH)).ok, true);
    assert.deepEqual(validateChatText("x".repeat(MAX_CHAT_TEXT_LENGTH + 1)), INVALID);
    assert.deepEqual(validateChatText(" ".repeat(5000) + "x"), INVALID);
  });

  it("refuses control characters, newlines and separators", () => {
    for (const bad of ["a\nb", "a\rb", "a\tb", "a\u0000b", "a\u007fb", "a\u0085b", "a\u009bb"]) {
      assert.deepEqual(validateChatText(bad), INVALID, JSON.stringify(bad));
    }
    assert.deepEqual(validateChatText("hi\n"), INVALID);
    assert.deepEqual(validateChatText("a\u2028b"), INVALID);
    assert.deepEqual(validateChatText("a\u2029b"), INVALID);
  });

  it("refuses bidirectional overrides and unpaired surrogates", () => {
    for (const bad of ["abc\u202Edef", "\u202Aa", "a\u2066b", "a\u200Fb", "a\u061Cb", "a\uD800b"]) {
      assert.deepEqual(validateChatText(bad), INVALID, JSON.stringify(bad));
    }
  });

  it("refuses anything but a string", () => {
    for (const bad of [undefined, null, 42, ["hi"], { text: "hi" }]) {
      assert.deepEqual(validateChatText(bad), INVALID);
    }
  });
});

describe("parseChatMessage", () => {
  it("accepts every channel but whisper without a recipient", () => {
    for (const channel of CHAT_CHANNELS.filter((c) => c !== "whisper")) {
      assert.deepEqual(parseChatMessage({ channel, text: " hi " }), {
        ok: true,
        message: { channel, text: "hi" },
      });
    }
  });

  it("requires a character name as recipient for whispers only", () => {
    assert.deepEqual(parseChatMessage({ channel: "whisper", text: "psst", to: "Bob_1" }), {
      ok: true,
      message: { channel: "whisper", text: "psst", to: "Bob_1" },
    });
    assert.deepEqual(parseChatMessage({ channel: "whisper", text: "psst" }), INVALID);
    assert.deepEqual(parseChatMessage({ channel: "whisper", text: "psst", to: "a b" }), INVALID);
    assert.deepEqual(parseChatMessage({ channel: "whisper", text: "psst", to: "ab" }), INVALID);
    assert.deepEqual(parseChatMessage({ channel: "say", text: "hi", to: "Bob_1" }), INVALID);
  });

  it("refuses unknown channels, extra keys, bad text and non-objects", () => {
    assert.deepEqual(parseChatMessage({ channel: "shout", text: "hi" }), INVALID);
    assert.deepEqual(parseChatMessage({ channel: "say", text: "hi", color: "red" }), INVALID);
    assert.deepEqual(parseChatMessage({ channel: "say", text: "a\nb" }), INVALID);
    assert.deepEqual(parseChatMessage({ channel: "say" }), INVALID);
    assert.deepEqual(parseChatMessage("say hi"), INVALID);
    assert.deepEqual(parseChatMessage(null), INVALID);
    assert.deepEqual(parseChatMessage([]), INVALID);
  });
});
