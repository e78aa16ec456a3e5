/** DOM side of the client: screens, forms, the character list, the HUD bars and the event log. */
import type { Character, Inventory, QuestLog } from "./api.ts";
import {
  isConsumable,
  itemName,
  jobName,
  objectiveLabels,
  questDescription,
  questName,
  raceName,
  xpToNextLevel,
  type Choice,
  type SkillInfo,
} from "./content.ts";
import type { GameSession, LogKind, NpcMenu } from "./session.ts";

export type Screen = "auth" | "characters" | "game";

const MAX_LOG_LINES = 80;

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

export function showScreen(screen: Screen): void {
  for (const name of ["auth", "characters", "game"] as const) {
    byId(`screen-${name}`).hidden = name !== screen;
  }
  document.body.dataset.screen = screen;
}

export function fillChoices(select: HTMLSelectElement, choices: readonly Choice[]): void {
  select.replaceChildren(
    ...choices.map((c) => {
      const option = document.createElement("option");
      option.value = c.id;
      option.textContent = c.name;
      return option;
    }),
  );
}

/** Renders the account's characters with a Play button each. */
export function renderCharacterList(
  list: HTMLElement,
  characters: readonly Character[],
  onPlay: (character: Character) => void,
): void {
  list.replaceChildren(
    ...characters.map((c) => {
      const item = document.createElement("li");
      const text = document.createElement("div");
      const name = document.createElement("strong");
      name.textContent = c.name;
      const detail = document.createElement("div");
      detail.className = "muted small";
      detail.textContent = `Level ${c.level} ${raceName(c.race)} ${jobName(c.job)} · ${c.zone}`;
      text.append(name, detail);
      const play = document.createElement("button");
      play.type = "button";
      play.textContent = "Play";
      play.dataset.characterId = c.id;
      play.addEventListener("click", () => onPlay(c));
      item.append(text, play);
      return item;
    }),
  );
}

/** The scrolling event log (damage, loot, level-ups, errors); newest line at the bottom. */
export class EventLog {
  private readonly list: HTMLOListElement;

  constructor(list: HTMLOListElement) {
    this.list = list;
  }

  add(kind: LogKind, text: string): void {
    const item = document.createElement("li");
    item.className = kind;
    item.textContent = text;
    this.list.append(item);
    while (this.list.childElementCount > MAX_LOG_LINES) this.list.firstElementChild?.remove();
    this.list.scrollTop = this.list.scrollHeight;
  }

  clear(): void {
    this.list.replaceChildren();
  }
}

type Bar = { fill: HTMLElement; text: HTMLElement; last: string };

/** HP/MP/XP bars, level, gold and zone, from one's own entity; touches the DOM only on change. */
export class Hud {
  private readonly hp = bar("hp");
  private readonly mp = bar("mp");
  private readonly xp = bar("xp");
  private readonly name = byId("hud-name");
  private readonly level = byId("hud-level");
  private readonly zone = byId("hud-zone");
  private readonly gold = byId("hud-gold");
  private readonly last = new Map<HTMLElement, string>();

  update(session: GameSession): void {
    const own = session.own();
    this.set(this.name, session.character.name);
    this.set(this.zone, session.map?.name ?? session.zoneId);
    if (!own) return;
    // Players always carry a level; the character list's is a fallback for the first patch.
    const level = own.level ?? session.character.level;
    this.set(this.level, `Lv ${level}`);
    const self = session.self;
    this.set(this.gold, `${Math.floor(self.gold).toLocaleString()} gold`);
    setBar(this.hp, self.hp, self.hpMax);
    setBar(this.mp, self.mp, self.mpMax);
    const need = xpToNextLevel(level);
    setBar(this.xp, self.xp, need, need === 0 ? "max level" : undefined);
  }

  private set(el: HTMLElement, text: string): void {
    if (this.last.get(el) === text) return;
    this.last.set(el, text);
    el.textContent = text;
  }
}

function bar(name: string): Bar {
  return { fill: byId(`bar-${name}`), text: byId(`text-${name}`), last: "" };
}

function setBar(b: Bar, value: number, max: number, label?: string): void {
  const ratio = max > 0 ? Math.max(0, Math.min(1, value / max)) : 1;
  const text = label ?? `${Math.floor(value)} / ${Math.floor(max)}`;
  const key = `${ratio.toFixed(3)}|${text}`;
  if (b.last === key) return;
  b.last = key;
  b.fill.style.width = `${(ratio * 100).toFixed(1)}%`;
  b.text.textContent = text;
}

/** Hotkey buttons for the job's skills with their remaining cooldown (from the own entity). */
export class SkillBar {
  private readonly root: HTMLElement;
  private slots: {
    skill: SkillInfo;
    button: HTMLButtonElement;
    shade: HTMLElement;
    last: string;
  }[] = [];

  constructor(root: HTMLElement) {
    this.root = root;
  }

  show(skills: readonly SkillInfo[], onUse: (index: number) => void): void {
    this.slots = skills.map((skill, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "skill";
      button.title = `${skill.name} · ${skill.mpCost} MP · ${skill.cooldownMs / 1000} s`;
      button.dataset.skillId = skill.id;
      const key = document.createElement("kbd");
      key.textContent = String(index + 1);
      const name = document.createElement("span");
      name.textContent = skill.name;
      const shade = document.createElement("i");
      button.append(key, name, shade);
      // Keep keyboard focus on the game, not on the button.
      button.addEventListener("mousedown", (e) => e.preventDefault());
      button.addEventListener("click", () => onUse(index));
      return { skill, button, shade, last: "" };
    });
    this.root.replaceChildren(...this.slots.map((s) => s.button));
  }

  update(session: GameSession): void {
    for (const slot of this.slots) {
      const remaining = session.cooldownLeftMs(slot.skill.id);
      const short = session.self.mp < slot.skill.mpCost;
      const ratio = slot.skill.cooldownMs > 0 ? Math.min(1, remaining / slot.skill.cooldownMs) : 0;
      const key = `${ratio.toFixed(2)}|${short}`;
      if (key === slot.last) continue;
      slot.last = key;
      slot.shade.style.height = `${(ratio * 100).toFixed(0)}%`;
      slot.button.classList.toggle("no-mana", short);
    }
  }
}

/** An entry row: a title, a muted detail line, and an optional action button. */
function entry(title: string, detail: string, action?: { label: string; run: () => void }) {
  const item = document.createElement("li");
  const text = document.createElement("div");
  const strong = document.createElement("strong");
  strong.textContent = title;
  const small = document.createElement("div");
  small.className = "muted small";
  small.textContent = detail;
  text.append(strong, small);
  item.append(text);
  if (action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = action.label;
    button.addEventListener("click", action.run);
    item.append(button);
  }
  return item;
}

const QUEST_STATUS: Record<string, string> = {
  available: "Offered",
  active: "In progress",
  ready: "Ready to turn in",
};

/** A quest giver's menu: offered quests to accept, finished ones to turn in. */
export class NpcDialog {
  private readonly root = byId("npc-dialog");
  npcId: string | null = null;

  constructor() {
    byId("npc-close").addEventListener("click", () => this.hide());
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  show(menu: NpcMenu, actions: { accept(id: string): void; turnIn(id: string): void }): void {
    this.npcId = menu.npcId;
    byId("npc-name").textContent = menu.name;
    byId("npc-quests").replaceChildren(
      ...menu.quests.map((q) =>
        entry(
          q.name || questName(q.id),
          `${QUEST_STATUS[q.status] ?? q.status} · ${questDescription(q.id)}`,
          q.status === "available"
            ? { label: "Accept", run: () => actions.accept(q.id) }
            : q.status === "ready"
              ? { label: "Turn in", run: () => actions.turnIn(q.id) }
              : undefined,
        ),
      ),
    );
    byId("npc-empty").hidden = menu.quests.length > 0;
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
    this.npcId = null;
  }
}

/** Bags (use consumables) and the quest log, as saved on the server. */
export class BagPanel {
  private readonly root = byId("bag-panel");

  constructor() {
    byId("bag-close").addEventListener("click", () => this.hide());
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  show(): void {
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }

  render(inventory: Inventory, quests: QuestLog, onUse: (slot: number) => void): void {
    const items = inventory.items.map((i) =>
      entry(
        itemName(i.itemId),
        `×${i.quantity} · slot ${i.slot + 1}`,
        isConsumable(i.itemId) ? { label: "Use", run: () => onUse(i.slot) } : undefined,
      ),
    );
    const empty = entry("Empty", `${inventory.size} free slots`);
    byId("bag-items").replaceChildren(...(items.length > 0 ? items : [empty]));
    const active = quests.active.map((q) =>
      entry(
        questName(q.questId),
        [
          QUEST_STATUS[q.status] ?? q.status,
          ...objectiveLabels(q.questId).map(
            (label, i) => `${label} ${q.progress[i] ?? 0}/${q.required[i] ?? "?"}`,
          ),
        ].join(" · "),
      ),
    );
    const none = entry("No active quests", "Talk to the townsfolk: click an NPC.");
    byId("quest-log").replaceChildren(...(active.length > 0 ? active : [none]));
  }
}
