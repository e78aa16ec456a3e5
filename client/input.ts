/**
 * Player input: WASD/arrows send `move` with a normalised direction at 10 Hz while held and
 * `stop` on release; clicking the ground walks there, clicking a mob attacks it (walking into
 * range and following it), clicking a drop walks to it and picks it up; walking onto a portal or
 * pressing E in one uses it. The server stays authoritative: this only sends intents.
 */
import type { Point } from "../clients/js/dead-reckoning.ts";
import type { Overlay, Renderer } from "./render.ts";
import { isDead, type GameSession, type LogKind } from "./session.ts";
import { castIntent } from "./skills.ts";

/** Inputs go out at 10 Hz; the server allows 20 messages/s with a burst of 40. */
export const INPUT_INTERVAL_MS = 100;
const ARRIVE_DISTANCE = 6;
/**
 * How often a walk to a clicked point checks whether it has arrived. Inputs go out every
 * INPUT_INTERVAL_MS, but checking only then let a walker run up to 100 ms (16 units) past the spot.
 */
const ARRIVAL_CHECK_MS = 20;
const PICKUP_DISTANCE = 64;
/** Give up walking to a point when this little progress is made in STUCK_MS (a wall). */
const STUCK_PROGRESS = 4;
const STUCK_MS = 1000;

const KEY_DIRECTIONS: Record<string, [number, number]> = {
  KeyW: [0, -1],
  ArrowUp: [0, -1],
  KeyS: [0, 1],
  ArrowDown: [0, 1],
  KeyA: [-1, 0],
  ArrowLeft: [-1, 0],
  KeyD: [1, 0],
  ArrowRight: [1, 0],
};

type Goal =
  | { kind: "point"; x: number; y: number }
  | { kind: "pickup" | "talk"; id: string; x: number; y: number; sent: boolean };

/** Talk to NPCs from a little inside the server's NPC_RANGE (96 units). */
const TALK_DISTANCE = 72;

/** Keys the page handles (panels); they run only while playing and never in form fields. */
export type Hotkeys = Partial<Record<string, () => void>>;

export class InputController {
  private readonly renderer: Renderer;
  private readonly session: () => GameSession | null;
  private readonly log: (kind: LogKind, text: string) => void;
  private readonly hotkeys: Hotkeys;
  private readonly held = new Set<string>();
  private goal: Goal | null = null;
  private attackId: string | null = null;
  private hoverId: string | null = null;
  /** Last pointer position over the canvas in CSS pixels (a world point depends on the camera). */
  private pointer: Point | null = null;
  private moving = false;
  private lastDx = 0;
  private lastDy = 0;
  private lastSentAt = 0;
  private progressAt = 0;
  private progressFrom: Point = { x: 0, y: 0 };
  private portalsInside: Set<string> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private arrivalTimer: ReturnType<typeof setInterval> | null = null;
  private readonly teardown: (() => void)[] = [];

  constructor(
    renderer: Renderer,
    session: () => GameSession | null,
    log: (kind: LogKind, text: string) => void,
    hotkeys: Hotkeys = {},
  ) {
    this.renderer = renderer;
    this.session = session;
    this.log = log;
    this.hotkeys = hotkeys;
  }

  start(): void {
    const canvas = this.renderer.canvas;
    this.listen(window, "keydown", (e) => this.onKey(e as KeyboardEvent, true));
    this.listen(window, "keyup", (e) => this.onKey(e as KeyboardEvent, false));
    this.listen(window, "blur", () => this.releaseAll());
    this.listen(canvas, "mousedown", (e) => this.onClick(e as MouseEvent));
    this.listen(canvas, "mousemove", (e) => this.onHover(e as MouseEvent));
    this.listen(canvas, "contextmenu", (e) => e.preventDefault());
    this.timer = setInterval(() => this.tick(), INPUT_INTERVAL_MS);
    this.arrivalTimer = setInterval(() => this.checkArrival(), ARRIVAL_CHECK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.arrivalTimer) clearInterval(this.arrivalTimer);
    this.timer = null;
    this.arrivalTimer = null;
    for (const off of this.teardown.splice(0)) off();
    this.held.clear();
    this.reset();
  }

  /** Forget goals and portal state (after a zone change or death). */
  reset(): void {
    this.goal = null;
    this.attackId = null;
    this.moving = false;
    this.portalsInside = null;
  }

  overlay(): Overlay {
    const goal = this.goal;
    return {
      hoverId: this.hoverId,
      targetId: this.attackId,
      moveTo: goal?.kind === "point" ? goal : null,
    };
  }

  private listen(target: EventTarget, type: string, handler: (e: Event) => void): void {
    target.addEventListener(type, handler);
    this.teardown.push(() => target.removeEventListener(type, handler));
  }

  private onKey(e: KeyboardEvent, down: boolean): void {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    if (KEY_DIRECTIONS[e.code]) {
      e.preventDefault();
      if (e.repeat) return;
      if (down) this.held.add(e.code);
      else this.held.delete(e.code);
      if (down) {
        this.goal = null;
        this.attackId = null;
      }
      this.steer(true);
      return;
    }
    if (!down || e.repeat) return;
    const digit = /^Digit([1-9])$/.exec(e.code);
    const hotkey = this.hotkeys[e.code];
    if (digit) this.castSlot(Number(digit[1]) - 1);
    else if (e.code === "KeyE") this.usePortal(true);
    else if (e.code === "Escape") {
      this.goal = null;
      this.attackId = null;
      this.steer(true);
      hotkey?.();
    } else hotkey?.();
  }

  private releaseAll(): void {
    this.held.clear();
    this.steer(true);
  }

  private onHover(e: MouseEvent): void {
    const world = this.renderer.toWorld(e.offsetX, e.offsetY);
    this.pointer = { x: e.offsetX, y: e.offsetY };
    this.hoverId = this.renderer.pick(world)?.id ?? null;
  }

  /** Casts the job's skill in hotkey slot `index` (0-based) at the target, cursor or self. */
  castSlot(index: number): void {
    const session = this.session();
    const own = session?.own();
    const skill = session?.skills[index];
    if (!session || !own || !skill) return;
    const targetId = this.attackId ?? this.hoverId ?? undefined;
    const intent = castIntent(skill, {
      own,
      mp: session.self.mp,
      ownId: session.entityId,
      target: targetId === undefined ? undefined : session.entity(targetId),
      targetId,
      cursor: this.pointer ? this.renderer.toWorld(this.pointer.x, this.pointer.y) : null,
      cooldownMs: session.cooldownLeftMs(skill.id),
      at: (entity) => session.where(entity),
    });
    if ("error" in intent) this.log("error", intent.error);
    else session.cast(intent);
  }

  private onClick(e: MouseEvent): void {
    const session = this.session();
    if (e.button !== 0 || !session) return;
    const world = this.renderer.toWorld(e.offsetX, e.offsetY);
    const hit = this.renderer.pick(world);
    const entity = hit ? session.entity(hit.id) : undefined;
    this.goal = null;
    this.attackId = null;
    if (hit && entity && hit.kind === "mob" && !isDead(entity)) {
      this.attackId = hit.id;
      session.attack(hit.id);
    } else if (hit && entity && hit.kind === "drop") {
      this.goal = { kind: "pickup", id: hit.id, ...session.where(entity), sent: false };
    } else if (hit && entity && hit.kind === "npc") {
      this.goal = { kind: "talk", id: hit.id, ...session.where(entity), sent: false };
    } else {
      this.goal = { kind: "point", x: world.x, y: world.y };
    }
    this.markProgress(session);
    this.steer(true);
  }

  private tick(): void {
    this.steer(false);
    this.usePortal(false);
  }

  /** Stops a walk to a clicked point as soon as it is there (keys and attacks steer elsewhere). */
  private checkArrival(): void {
    const goal = this.goal;
    if (goal?.kind !== "point" || !this.moving || this.held.size > 0 || this.attackId) return;
    const session = this.session();
    const own = session?.own();
    if (!session || !own) return;
    const me = session.where(own);
    if (Math.hypot(goal.x - me.x, goal.y - me.y) > ARRIVE_DISTANCE) return;
    this.goal = null;
    this.halt(session);
  }

  /** Sends the intent for this moment: keys first, then the attack target, then a click goal. */
  private steer(changed: boolean): void {
    const session = this.session();
    if (!session) return;
    const own = session.own();
    const me = own ? session.where(own) : null;
    let dx = 0;
    let dy = 0;
    for (const code of this.held) {
      const d = KEY_DIRECTIONS[code]!;
      dx += d[0];
      dy += d[1];
    }
    if ((dx !== 0 || dy !== 0) && own) return this.walk(session, dx, dy, changed);
    if (own && isDead(own)) {
      this.reset();
      return this.halt(session);
    }
    if (own && this.attackId) {
      const target = session.entity(this.attackId);
      if (!target || isDead(target)) {
        this.attackId = null;
        return this.halt(session);
      }
      const there = session.where(target);
      const dist = Math.hypot(there.x - me!.x, there.y - me!.y);
      if (dist > session.attackRange * 0.85) {
        return this.walk(session, there.x - me!.x, there.y - me!.y, changed);
      }
      return this.halt(session);
    }
    if (me && this.goal) return this.followGoal(session, me, this.goal, changed);
    this.halt(session);
  }

  private followGoal(
    session: GameSession,
    own: { x: number; y: number },
    goal: Goal,
    changed: boolean,
  ): void {
    if (goal.kind !== "point") {
      const target = session.entity(goal.id);
      if (!target) {
        this.goal = null;
        return this.halt(session);
      }
      session.where(target, goal);
    }
    const dist = Math.hypot(goal.x - own.x, goal.y - own.y);
    const arrive =
      goal.kind === "pickup"
        ? PICKUP_DISTANCE
        : goal.kind === "talk"
          ? TALK_DISTANCE
          : ARRIVE_DISTANCE;
    if (dist <= arrive) {
      if (goal.kind !== "point" && !goal.sent) {
        goal.sent = true;
        if (goal.kind === "pickup") session.pickup(goal.id);
        else session.interact(goal.id);
      }
      this.goal = null;
      return this.halt(session);
    }
    const now = performance.now();
    if (now - this.progressAt > STUCK_MS) {
      const progress = Math.hypot(own.x - this.progressFrom.x, own.y - this.progressFrom.y);
      if (progress < STUCK_PROGRESS) {
        this.goal = null;
        this.log("info", "The way is blocked.");
        return this.halt(session);
      }
      this.markProgress(session);
    }
    this.walk(session, goal.x - own.x, goal.y - own.y, changed);
  }

  private walk(session: GameSession, dx: number, dy: number, changed: boolean): void {
    const len = Math.hypot(dx, dy);
    const nx = dx / len;
    const ny = dy / len;
    const now = performance.now();
    const turned = Math.abs(nx - this.lastDx) > 0.05 || Math.abs(ny - this.lastDy) > 0.05;
    // While walking the same way, one message per INPUT_INTERVAL_MS; turns go out at once.
    if (!turned && !changed && now - this.lastSentAt < INPUT_INTERVAL_MS - 10) return;
    if (!turned && now - this.lastSentAt < INPUT_INTERVAL_MS / 2) return;
    session.move(nx, ny);
    this.moving = true;
    this.lastDx = nx;
    this.lastDy = ny;
    this.lastSentAt = now;
  }

  private halt(session: GameSession): void {
    if (!this.moving) return;
    session.stop();
    this.moving = false;
    this.lastDx = 0;
    this.lastDy = 0;
    this.lastSentAt = performance.now();
  }

  private markProgress(session: GameSession): void {
    const own = session.own();
    this.progressAt = performance.now();
    this.progressFrom = own ? session.where(own) : { x: 0, y: 0 };
  }

  /**
   * Walking into a portal uses it (once per entry; standing in one on arrival does not);
   * E uses the portal one stands in.
   */
  private usePortal(pressed: boolean): void {
    const session = this.session();
    const own = session?.own();
    const map = session?.map;
    if (!session || !own || !map || session.isTransferring) return;
    const me = session.where(own);
    const inside = new Set(
      map.portals.filter((p) => Math.hypot(p.x - me.x, p.y - me.y) <= p.radius).map((p) => p.id),
    );
    const before = this.portalsInside;
    this.portalsInside = inside;
    if (pressed) {
      const [first] = inside;
      if (first) session.portal(first);
      else this.log("info", "No portal here: walk onto a glowing circle.");
      return;
    }
    if (!before) return;
    for (const id of inside) if (!before.has(id)) session.portal(id);
  }
}
