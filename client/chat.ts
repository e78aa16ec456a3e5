/**
 * The chat box: a channel-coloured log, a sticky channel selector and an input that understands
 * slash commands (chat-format.ts). Every text goes in with textContent: chat is never markup.
 */
import {
  CHANNEL_LABELS,
  formatChatLine,
  parseChatInput,
  targetLabel,
  type ChatTarget,
} from "./chat-format.ts";
import {
  CHAT_CHANNELS,
  type ChatChannel,
  type ChatLine,
  type OutgoingChat,
  type Refusal,
} from "./social-messages.ts";
import { byId } from "./ui.ts";

const MAX_CHAT_LINES = 150;
const ERROR_SHOWN_MS = 6_000;

export type ChatActions = {
  send(message: OutgoingChat): void;
  invite(name: string): void;
  trade(name: string): void;
  /** Typing is over (sent or Escape): give the keyboard back to the game. */
  done(): void;
};

export class ChatBox {
  private readonly log = byId<HTMLOListElement>("chat-log");
  private readonly form = byId<HTMLFormElement>("chat-form");
  private readonly input = byId<HTMLInputElement>("chat-input");
  private readonly channel = byId<HTMLSelectElement>("chat-channel");
  private readonly to = byId<HTMLInputElement>("chat-to");
  private readonly error = byId("chat-error");
  private readonly actions: ChatActions;
  private ownId = "";
  private lastWhisperFrom = "";
  private errorTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(actions: ChatActions) {
    this.actions = actions;
    this.channel.replaceChildren(
      ...CHAT_CHANNELS.map((c) => {
        const option = document.createElement("option");
        option.value = c;
        option.textContent = CHANNEL_LABELS[c];
        return option;
      }),
    );
    this.channel.addEventListener("change", () => this.showTarget());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    // Enter sends from either field (two text fields: the form has no implicit submission).
    for (const field of [this.input, this.to]) {
      field.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          this.submit();
        } else if (event.key === "Escape") {
          field.blur();
          actions.done();
        }
      });
    }
    this.showTarget();
  }

  /** A new session: one's own id (to tell sent whispers from received ones), an empty log. */
  reset(ownId: string): void {
    this.ownId = ownId;
    this.lastWhisperFrom = "";
    this.log.replaceChildren();
    this.showError("");
    this.setTarget({ channel: "say", to: "" });
  }

  focus(): void {
    this.input.focus();
  }

  /** Starts a whisper to `name` (the player menu): the next line goes to them. */
  whisperTo(name: string): void {
    this.setTarget({ channel: "whisper", to: name });
    this.focus();
  }

  get target(): ChatTarget {
    return { channel: this.channel.value as ChatChannel, to: this.to.value.trim() };
  }

  add(line: ChatLine): void {
    if (line.channel === "whisper" && line.fromId !== this.ownId) this.lastWhisperFrom = line.from;
    const { text, className } = formatChatLine(line, this.ownId);
    this.append(text, className, line.at);
  }

  /** A line from the client itself (guild news, party and trade outcomes). */
  system(text: string, kind: "info" | "error" = "info"): void {
    this.append(text, `chat-system ${kind}`, Date.now());
  }

  /** Guild chat said before one logged in (oldest first), shown muted above what comes next. */
  history(lines: readonly { fromName: string; text: string; at: string }[]): void {
    const items = lines.map((l) => {
      const { text, className } = formatChatLine(
        { channel: "guild", from: l.fromName, fromId: "", text: l.text, at: Date.parse(l.at) },
        this.ownId,
      );
      return this.line(text, `${className} history`, Date.parse(l.at));
    });
    this.log.prepend(...items);
    this.trim();
  }

  showError(refusal: Refusal | string): void {
    clearTimeout(this.errorTimer);
    this.error.textContent = typeof refusal === "string" ? refusal : refusal.message;
    this.error.dataset.code = typeof refusal === "string" ? "" : refusal.code;
    if (this.error.textContent) {
      this.errorTimer = setTimeout(() => this.showError(""), ERROR_SHOWN_MS);
    }
  }

  private submit(): void {
    const parsed = parseChatInput(this.input.value, this.target, this.lastWhisperFrom);
    switch (parsed.kind) {
      case "none":
        this.input.blur();
        this.actions.done();
        return;
      case "error":
        this.showError(parsed.message);
        return;
      case "switch":
        this.setTarget(parsed.target);
        break;
      case "send":
        this.actions.send(parsed.message);
        break;
      case "invite":
        this.actions.invite(parsed.name);
        break;
      case "trade":
        this.actions.trade(parsed.name);
        break;
    }
    this.input.value = "";
    this.showError("");
    if (parsed.kind === "switch") return;
    // Sent: like Enter on an empty line, the keys go back to the game.
    this.input.blur();
    this.actions.done();
  }

  private setTarget(target: ChatTarget): void {
    this.channel.value = target.channel;
    if (target.channel === "whisper") this.to.value = target.to;
    this.showTarget();
  }

  private showTarget(): void {
    const whisper = this.channel.value === "whisper";
    this.to.hidden = !whisper;
    this.input.placeholder = `${targetLabel(this.target)} · Enter to send · /w Name, /p, /r`;
  }

  private append(text: string, className: string, at: number): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 24;
    this.log.append(this.line(text, className, at));
    this.trim();
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  private line(text: string, className: string, at: number): HTMLLIElement {
    const item = document.createElement("li");
    item.className = className;
    item.textContent = text;
    if (Number.isFinite(at)) item.title = new Date(at).toLocaleTimeString();
    return item;
  }

  private trim(): void {
    while (this.log.childElementCount > MAX_CHAT_LINES) this.log.firstElementChild?.remove();
  }
}
