/**
 * Mail: the inbox (unread in bold), reading one mail, claiming its attachments, deleting it, and
 * composing one with gold and items. A `mail` notice raises the badge on the Mail button.
 */
import type { Api } from "./api.ts";
import { itemName } from "./content.ts";
import { ItemPicker } from "./item-picker.ts";
import type { MailNotice } from "./social-messages.ts";
import type { ItemStack, MailSummary, MailView, SocialApi } from "./social-api.ts";
import { byId } from "./ui.ts";

type View = "list" | "read" | "compose";

/** `120 gold, Health Potion ×2`; "" when nothing is attached. */
export function attachmentText(gold: number, items: readonly ItemStack[]): string {
  const parts = items.map((i) => `${itemName(i.itemId)} ×${i.qty}`);
  if (gold > 0) parts.unshift(`${gold.toLocaleString()} gold`);
  return parts.join(", ");
}

export class MailPanel {
  private readonly root = byId("mail-panel");
  private readonly badge = byId("mail-badge");
  private readonly error = byId("mail-error");
  private readonly picker = new ItemPicker(byId("mail-items"));
  private readonly social: SocialApi;
  private readonly api: Api;
  private readonly log: (text: string) => void;
  private characterId = "";
  private unread = 0;
  private reading: MailView | null = null;

  constructor(api: Api, social: SocialApi, log: (text: string) => void) {
    this.api = api;
    this.social = social;
    this.log = log;
    byId("mail-open").addEventListener("click", () => this.toggle());
    byId("mail-close").addEventListener("click", () => this.hide());
    byId("mail-compose-open").addEventListener("click", () => void this.compose());
    byId("mail-back").addEventListener("click", () => void this.showList());
    byId("mail-cancel").addEventListener("click", () => void this.showList());
    byId("mail-claim").addEventListener("click", () => void this.claim());
    byId("mail-delete").addEventListener("click", () => void this.remove());
    byId<HTMLFormElement>("mail-compose").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /** A new session: counts the unread mail for the badge. */
  reset(characterId: string): void {
    this.characterId = characterId;
    this.hide();
    this.setUnread(0);
    void this.guard(async () => {
      const mail = await this.social.inbox(characterId);
      if (this.characterId === characterId) this.setUnread(mail.filter((m) => !m.read).length);
    });
  }

  /** A `mail` notice: badge up, and the open inbox shows it. */
  notice(m: MailNotice): void {
    this.setUnread(this.unread + 1);
    this.log(`New mail from ${m.from}: "${m.subject}".`);
    if (this.isOpen && this.view() === "list") void this.showList();
  }

  toggle(): void {
    if (this.isOpen) this.hide();
    else {
      this.root.hidden = false;
      void this.showList();
    }
  }

  hide(): void {
    this.root.hidden = true;
    this.reading = null;
  }

  private view(): View {
    if (!byId("mail-read").hidden) return "read";
    if (!byId("mail-compose").hidden) return "compose";
    return "list";
  }

  private show(view: View): void {
    byId("mail-list").hidden = view !== "list";
    byId("mail-empty").hidden = true;
    byId("mail-read").hidden = view !== "read";
    byId("mail-compose").hidden = view !== "compose";
    byId("mail-compose-open").hidden = view !== "list";
    this.error.textContent = "";
  }

  private async showList(): Promise<void> {
    this.show("list");
    this.reading = null;
    await this.guard(async () => {
      const mail = await this.social.inbox(this.characterId);
      this.setUnread(mail.filter((m) => !m.read).length);
      byId("mail-list").replaceChildren(...mail.map((m) => this.entry(m)));
      byId("mail-empty").hidden = mail.length > 0;
    });
  }

  private entry(m: MailSummary): HTMLLIElement {
    const item = document.createElement("li");
    item.className = m.read ? "mail-entry" : "mail-entry unread";
    item.dataset.mailId = m.id;
    const open = document.createElement("button");
    open.type = "button";
    open.className = "link";
    const subject = document.createElement("span");
    subject.className = "mail-subject";
    subject.textContent = m.subject;
    const detail = document.createElement("span");
    detail.className = "muted small";
    const attached = attachmentText(m.gold, m.items);
    detail.textContent = [m.from, new Date(m.createdAt).toLocaleString(), attached]
      .filter(Boolean)
      .join(" · ");
    open.append(subject, detail);
    open.addEventListener("click", () => void this.read(m.id));
    item.append(open);
    return item;
  }

  private async read(mailId: string): Promise<void> {
    await this.guard(async () => {
      const mail = await this.social.readMail(this.characterId, mailId);
      this.show("read");
      this.reading = mail;
      byId("mail-subject").textContent = mail.subject;
      byId("mail-from").textContent =
        `From ${mail.from} · ${new Date(mail.createdAt).toLocaleString()}`;
      byId("mail-body").textContent = mail.body;
      const attached = attachmentText(mail.gold, mail.items);
      byId("mail-attachments").textContent = attached ? `Attached: ${attached}` : "";
      byId("mail-claim").hidden = attached === "";
    });
  }

  private async claim(): Promise<void> {
    const mail = this.reading;
    if (!mail) return;
    await this.guard(async () => {
      const claimed = await this.social.claimMail(this.characterId, mail.id);
      this.log(`You take ${attachmentText(claimed.gold, claimed.items)} from the mail.`);
      await this.read(mail.id);
    });
  }

  private async remove(): Promise<void> {
    const mail = this.reading;
    if (!mail) return;
    await this.guard(async () => {
      await this.social.deleteMail(this.characterId, mail.id);
      await this.showList();
    });
  }

  private async compose(): Promise<void> {
    this.show("compose");
    for (const id of ["mail-to", "mail-subject-input", "mail-body-input"]) {
      byId<HTMLInputElement>(id).value = "";
    }
    byId<HTMLInputElement>("mail-gold").value = "0";
    this.picker.render([]);
    await this.guard(async () => {
      this.picker.render((await this.api.inventory(this.characterId)).items);
    });
  }

  private async send(): Promise<void> {
    const to = byId<HTMLInputElement>("mail-to").value.trim();
    const button = byId<HTMLButtonElement>("mail-send");
    button.disabled = true;
    await this.guard(async () => {
      await this.social.sendMail(this.characterId, {
        to,
        subject: byId<HTMLInputElement>("mail-subject-input").value.trim(),
        body: byId<HTMLTextAreaElement>("mail-body-input").value,
        gold: Math.max(0, Math.floor(Number(byId<HTMLInputElement>("mail-gold").value) || 0)),
        items: this.picker.selected(),
      });
      this.log(`Mail sent to ${to}.`);
      await this.showList();
    });
    button.disabled = false;
  }

  private setUnread(count: number): void {
    this.unread = Math.max(0, count);
    this.badge.textContent = String(this.unread);
    this.badge.hidden = this.unread === 0;
  }

  /** Runs a call, showing a refusal in the panel instead of throwing. */
  private async guard(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : String(error);
    }
  }
}
