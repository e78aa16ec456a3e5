/**
 * Right-clicking another player in the view opens a small menu: whisper, invite to a party,
 * trade. Only players are picked (never oneself), so two players on one spot still work.
 */
import type { Renderer } from "./render.ts";
import { kindOf, type GameSession } from "./session.ts";
import { byId } from "./ui.ts";

/** How far from a player's centre a right-click still picks it, in world units. */
const PICK_RADIUS = 24;

export type PlayerMenuActions = {
  whisper(name: string): void;
  invite(name: string): void;
  trade(name: string): void;
};

/** The name of the other player nearest `world` within PICK_RADIUS, if any. */
export function playerAt(session: GameSession, world: { x: number; y: number }): string | null {
  let best: string | null = null;
  let bestDist = PICK_RADIUS;
  session.forEachEntity((entity, key) => {
    if (key === session.entityId || kindOf(entity) !== "player" || !entity.name) return;
    const at = session.where(entity);
    const dist = Math.hypot(at.x - world.x, at.y - world.y);
    if (dist <= bestDist) {
      best = entity.name;
      bestDist = dist;
    }
  });
  return best;
}

export class PlayerMenu {
  private readonly root = byId("player-menu");
  private name = "";

  constructor(renderer: Renderer, session: () => GameSession | null, actions: PlayerMenuActions) {
    renderer.canvas.addEventListener("contextmenu", (event) => {
      const current = session();
      const name = current && playerAt(current, renderer.toWorld(event.offsetX, event.offsetY));
      if (!name) return this.hide();
      this.show(name, event.clientX, event.clientY);
    });
    for (const button of this.root.querySelectorAll<HTMLButtonElement>("button[data-action]")) {
      const action = button.dataset.action as keyof PlayerMenuActions;
      button.addEventListener("click", () => {
        this.hide();
        actions[action](this.name);
      });
    }
    window.addEventListener("mousedown", (event) => {
      if (!this.root.contains(event.target as Node)) this.hide();
    });
  }

  hide(): void {
    this.root.hidden = true;
  }

  private show(name: string, x: number, y: number): void {
    this.name = name;
    byId("player-menu-name").textContent = name;
    this.root.style.left = `${x}px`;
    this.root.style.top = `${y}px`;
    this.root.hidden = false;
  }
}
