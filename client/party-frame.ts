/**
 * The party frame: members with level, hp bar and zone (offline members greyed, the leader
 * marked), invite by name, leave, kick and promote for the leader, and the prompt that answers a
 * `partyInvited`.
 */
import { partyFrameModel, zoneLabel, type PartyRow } from "./party-model.ts";
import type { PartyInvite, PartyView, Refusal } from "./social-messages.ts";
import { byId } from "./ui.ts";

export type PartyActions = {
  invite(name: string): void;
  accept(partyId: string): void;
  decline(partyId: string): void;
  leave(): void;
  kick(name: string): void;
  promote(name: string): void;
};

export class PartyFrame {
  private readonly root = byId("party-frame");
  private readonly list = byId<HTMLOListElement>("party-members");
  private readonly leaveButton = byId<HTMLButtonElement>("party-leave");
  private readonly inviteName = byId<HTMLInputElement>("party-invite-name");
  private readonly error = byId("party-error");
  private readonly prompt = byId("party-prompt");
  private readonly actions: PartyActions;
  private ownName = "";
  private zoneName: (zoneId: string) => string = zoneLabel;
  private invite: PartyInvite | null = null;
  private view: PartyView | null = null;

  constructor(actions: PartyActions) {
    this.actions = actions;
    byId<HTMLFormElement>("party-invite-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = this.inviteName.value.trim();
      if (!name) return;
      actions.invite(name);
      this.inviteName.value = "";
      this.showError("");
    });
    this.leaveButton.addEventListener("click", () => actions.leave());
    byId("party-accept").addEventListener("click", () => this.answer(true));
    byId("party-decline").addEventListener("click", () => this.answer(false));
  }

  /** A new session; `zoneName` names zones (by id) on member rows. */
  reset(ownName: string, zoneName: (zoneId: string) => string = zoneLabel): void {
    this.ownName = ownName;
    this.zoneName = zoneName;
    this.invite = null;
    this.prompt.hidden = true;
    this.showError("");
    this.show(null);
  }

  /** The latest `party` message (null: in no party). */
  show(view: PartyView | null): void {
    this.view = view;
    const model = partyFrameModel(view, this.ownName);
    this.root.classList.toggle("in-party", model !== null);
    this.leaveButton.hidden = model === null;
    this.list.replaceChildren(...(model?.rows ?? []).map((row) => this.row(row)));
    if (model && this.invite?.partyId === model.id) this.closePrompt();
  }

  get party(): PartyView | null {
    return this.view;
  }

  invited(invite: PartyInvite): void {
    this.invite = invite;
    byId("party-prompt-text").textContent = `${invite.from} invites you to a party.`;
    this.prompt.hidden = false;
  }

  showError(refusal: Refusal | string): void {
    this.error.textContent = typeof refusal === "string" ? refusal : refusal.message;
  }

  private answer(accept: boolean): void {
    const invite = this.invite;
    this.closePrompt();
    if (!invite) return;
    if (accept) this.actions.accept(invite.partyId);
    else this.actions.decline(invite.partyId);
  }

  private closePrompt(): void {
    this.invite = null;
    this.prompt.hidden = true;
  }

  private row(row: PartyRow): HTMLLIElement {
    const item = document.createElement("li");
    item.className = "party-member";
    item.dataset.name = row.name;
    item.classList.toggle("offline", !row.online);
    item.classList.toggle("leader", row.leader);
    item.classList.toggle("self", row.self);
    const head = document.createElement("div");
    head.className = "member-head";
    const name = document.createElement("span");
    name.className = "member-name";
    name.textContent = row.name;
    if (row.leader) name.title = "Party leader";
    const level = document.createElement("span");
    level.className = "member-level badge";
    level.textContent = `Lv ${row.level}`;
    head.append(name, level);
    const bar = document.createElement("div");
    bar.className = "bar hp member-hp";
    bar.title = `${row.hpPercent}% health`;
    const fill = document.createElement("span");
    fill.style.width = `${row.hpPercent}%`;
    bar.append(fill);
    const zone = document.createElement("div");
    zone.className = "member-zone muted small";
    zone.textContent = row.online ? this.zoneName(row.zone) : "Offline";
    item.append(head, bar, zone);
    if (row.manageable) {
      const tools = document.createElement("div");
      tools.className = "member-tools";
      tools.append(
        button("Promote", () => this.actions.promote(row.name)),
        button("Kick", () => this.actions.kick(row.name)),
      );
      item.append(tools);
    }
    return item;
  }
}

function button(label: string, run: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "secondary small";
  b.textContent = label;
  b.addEventListener("click", run);
  return b;
}
