/**
 * The trade window: ask a player by name, answer a request, set one's offer (bag slots with
 * quantities, gold), see theirs, lock, confirm or cancel. It closes with a message when the trade
 * completes or is cancelled. The server decides everything; this only shows its `trade` view.
 */
import type { Send } from "../clients/js/client-messages.ts";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import type { ServerPayloads } from "../clients/js/server-messages.ts";
import type { Api } from "./api.ts";
import { itemName } from "./content.ts";
import { ItemPicker } from "./item-picker.ts";
import type { Refusal } from "./social-messages.ts";
import { sideState, tradeControls, type TradeView } from "./trade-model.ts";
import { byId } from "./ui.ts";

type Log = (text: string, kind?: "info" | "error") => void;

/** `tradeRequested`: someone asks to trade. */
type TradeRequest = ServerPayloads["tradeRequested"];

/** `tradeClosed.reason` as the end of "Trade cancelled: …". */
const CLOSE_REASONS: Record<string, string> = {
  cancelled: "cancelled",
  declined: "declined",
  busy: "one of you started another trade",
  expired: "the request expired",
  moved: "one of you moved",
  fighting: "one of you is fighting",
  died: "one of you died",
  left: "your partner left",
  dropped: "the connection dropped",
  portal: "one of you left the area",
};

/** A `tradeClosed` as a sentence. */
export function tradeClosedText(reason: string | undefined): string {
  if (!reason) return "Trade cancelled.";
  return `Trade cancelled: ${CLOSE_REASONS[reason] ?? reason}.`;
}

export class TradeWindow {
  private readonly root = byId("trade-window");
  private readonly error = byId("trade-error");
  private readonly picker = new ItemPicker(byId("trade-your-items"));
  private readonly api: Api;
  private readonly send: Send;
  private readonly log: Log;
  private characterId = "";
  private partner = "";
  private incoming: TradeRequest | null = null;
  private view: TradeView | null = null;

  constructor(api: Api, send: Send, log: Log) {
    this.api = api;
    this.send = send;
    this.log = log;
    byId("trade-open").addEventListener("click", () => this.toggle());
    // Closing the window during a trade cancels it (the server then sends tradeClosed).
    byId("trade-close").addEventListener("click", () =>
      this.view ? this.send(ClientMessage.tradeCancel, { tradeId: this.view.id }) : this.hide(),
    );
    byId<HTMLFormElement>("trade-request-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = byId<HTMLInputElement>("trade-name").value.trim();
      if (name) this.request(name);
    });
    byId("trade-accept").addEventListener("click", () => this.answer(true));
    byId("trade-decline").addEventListener("click", () => this.answer(false));
    byId("trade-offer").addEventListener("click", () => this.offer());
    byId("trade-lock").addEventListener("click", () => this.send(ClientMessage.tradeLock));
    byId("trade-confirm").addEventListener("click", () => this.send(ClientMessage.tradeConfirm));
    byId("trade-cancel").addEventListener("click", () => this.send(ClientMessage.tradeCancel));
  }

  reset(characterId: string, _name: string): void {
    this.characterId = characterId;
    this.incoming = null;
    this.close();
    this.hide();
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  toggle(): void {
    if (this.isOpen && !this.view) this.hide();
    else this.open();
  }

  hide(): void {
    // An open trade stays on screen: it is closed by Cancel, not by hiding it.
    if (!this.view) this.root.hidden = true;
  }

  /** Asks `name` to trade (the Request button, `/trade Name`). */
  request(name: string): void {
    this.partner = name;
    this.send(ClientMessage.tradeRequest, { name });
    this.open();
    this.showError("");
    this.status(`Waiting for ${name} to accept…`);
  }

  receive(type: string, message: unknown): void {
    switch (type) {
      case ServerMessage.tradeRequested:
        return this.requested(message as TradeRequest);
      case ServerMessage.trade:
        return void this.update(message as TradeView);
      case ServerMessage.tradeError:
        this.open();
        return this.showError(message as Refusal);
      case ServerMessage.tradeCompleted:
        this.log(`Trade with ${this.partner || "your partner"} completed.`);
        this.close();
        return this.hide();
      case ServerMessage.tradeClosed: {
        const closed = (message as { id?: string; reason?: string } | null) ?? {};
        // An older request closing (busy) leaves the open trade alone.
        if (this.view && closed.id !== this.view.id) return;
        this.log(tradeClosedText(closed.reason), "error");
        this.close();
        return this.hide();
      }
    }
  }

  private open(): void {
    this.root.hidden = false;
    byId("trade-request-form").hidden = this.view !== null;
  }

  private requested(request: TradeRequest): void {
    this.incoming = request;
    byId("trade-prompt-text").textContent = `${request.from} wants to trade with you.`;
    byId("trade-prompt").hidden = false;
    this.open();
  }

  private answer(accept: boolean): void {
    const request = this.incoming;
    this.incoming = null;
    byId("trade-prompt").hidden = true;
    if (!request) return;
    if (!accept) {
      this.send(ClientMessage.tradeCancel, { tradeId: request.tradeId });
      return this.hide();
    }
    this.partner = request.from;
    this.send(ClientMessage.tradeAccept, { tradeId: request.tradeId });
  }

  private async update(view: TradeView): Promise<void> {
    const first = this.view === null;
    this.view = view;
    this.open();
    byId("trade-prompt").hidden = true;
    byId("trade-body").hidden = false;
    byId("trade-them-name").textContent = this.partner || "Them";
    const controls = tradeControls(view, this.partner || "Your partner");
    byId<HTMLButtonElement>("trade-offer").disabled = !controls.canOffer;
    byId<HTMLButtonElement>("trade-lock").disabled = !controls.canLock;
    byId<HTMLButtonElement>("trade-confirm").disabled = !controls.canConfirm;
    byId("trade-your-state").textContent =
      `${sideState(view.you)} · offering ${view.you.gold} gold`;
    byId("trade-their-state").textContent = sideState(view.them);
    byId("trade-their-gold").textContent = `${view.them.gold.toLocaleString()} gold`;
    byId("trade-their-items").replaceChildren(
      ...view.them.items.map((i) => {
        const item = document.createElement("li");
        item.textContent = `${itemName(i.itemId)} ×${i.qty}`;
        return item;
      }),
    );
    this.status(controls.status);
    if (first) {
      byId<HTMLInputElement>("trade-gold").value = String(view.you.gold);
      this.picker.render([]);
      try {
        const bags = await this.api.inventory(this.characterId);
        if (this.view?.id === view.id) this.picker.render(bags.items, view.you.items);
      } catch (error) {
        this.showError(`Bags unavailable: ${(error as Error).message}`);
      }
    }
  }

  private offer(): void {
    const gold = Math.max(0, Math.floor(Number(byId<HTMLInputElement>("trade-gold").value) || 0));
    this.send(ClientMessage.tradeOffer, { items: this.picker.selected(), gold });
    this.showError("");
  }

  private close(): void {
    this.view = null;
    this.partner = "";
    byId("trade-body").hidden = true;
    byId("trade-prompt").hidden = true;
    byId("trade-request-form").hidden = false;
    byId<HTMLInputElement>("trade-name").value = "";
    this.status("");
  }

  private status(text: string): void {
    byId("trade-status").textContent = text;
  }

  private showError(refusal: Refusal | string): void {
    this.error.textContent = typeof refusal === "string" ? refusal : refusal.message;
  }
}
