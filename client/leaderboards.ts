/** The leaderboards panel: level, arena and guild boards, the top 20 or the ranks around oneself. */
import { BOARDS, type Board, type BoardEntry, type SocialApi } from "./social-api.ts";
import { byId } from "./ui.ts";

const TOP = 20;
const BOARD_LABELS: Record<Board, string> = { level: "Level", arena: "Arena", guild: "Guild" };

/** What a board's score reads as: `Lv 7 · 1,234 xp`, `1,512 rating`, `42 levels`. */
export function scoreText(board: Board, entry: BoardEntry): string {
  if (board === "level") {
    return `Lv ${entry.level ?? "?"} · ${(entry.xp ?? 0).toLocaleString()} xp`;
  }
  if (board === "arena") return `${Math.round(entry.score).toLocaleString()} rating`;
  return `${entry.score.toLocaleString()} levels`;
}

export class LeaderboardPanel {
  private readonly root = byId("ranks-panel");
  private readonly list = byId<HTMLOListElement>("ranks-list");
  private readonly status = byId("ranks-status");
  private readonly social: SocialApi;
  private characterId = "";
  private board: Board = "level";
  private around = false;
  /** Answers to an older click are dropped. */
  private request = 0;

  constructor(social: SocialApi) {
    this.social = social;
    const tabs = byId("ranks-tabs");
    tabs.replaceChildren(
      ...BOARDS.map((board) => {
        const tab = document.createElement("button");
        tab.type = "button";
        tab.className = "secondary small tab";
        tab.dataset.board = board;
        tab.textContent = BOARD_LABELS[board];
        tab.addEventListener("click", () => this.select(board, this.around));
        return tab;
      }),
    );
    byId("ranks-top").addEventListener("click", () => this.select(this.board, false));
    byId("ranks-around").addEventListener("click", () => this.select(this.board, true));
    byId("ranks-open").addEventListener("click", () => this.toggle());
    byId("ranks-close").addEventListener("click", () => this.hide());
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  reset(characterId: string): void {
    this.characterId = characterId;
    this.hide();
  }

  toggle(): void {
    if (this.isOpen) return this.hide();
    this.root.hidden = false;
    this.select(this.board, this.around);
  }

  hide(): void {
    this.root.hidden = true;
  }

  private select(board: Board, around: boolean): void {
    this.board = board;
    this.around = around;
    for (const tab of byId("ranks-tabs").querySelectorAll<HTMLElement>("button")) {
      tab.classList.toggle("active", tab.dataset.board === board);
    }
    byId("ranks-top").classList.toggle("active", !around);
    byId("ranks-around").classList.toggle("active", around);
    void this.load();
  }

  private async load(): Promise<void> {
    const ticket = ++this.request;
    const { board, around } = this;
    this.status.textContent = "Loading…";
    try {
      const entries = around
        ? ((await this.social.around(board, this.characterId))?.entries ?? null)
        : (await this.social.board(board, TOP)).entries;
      if (ticket !== this.request) return;
      this.render(board, entries ?? []);
      this.status.textContent =
        entries === null
          ? "You are not on this board yet."
          : entries.length === 0
            ? "Nobody is ranked yet."
            : "";
    } catch (error) {
      if (ticket !== this.request) return;
      this.list.replaceChildren();
      this.status.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  private render(board: Board, entries: readonly BoardEntry[]): void {
    this.list.replaceChildren(
      ...entries.map((entry) => {
        const item = document.createElement("li");
        item.dataset.id = entry.id;
        item.classList.toggle("self", entry.id === this.characterId);
        const rank = document.createElement("span");
        rank.className = "rank";
        rank.textContent = `#${entry.rank}`;
        const name = document.createElement("strong");
        name.className = "rank-name";
        name.textContent = entry.name;
        const score = document.createElement("span");
        score.className = "muted small";
        score.textContent = scoreText(board, entry);
        item.append(rank, name, score);
        return item;
      }),
    );
  }
}
