/**
 * One character in the world: the Colyseus room it is in (consumed from a seat reservation),
 * its replicated entities with interpolation tracks, intents sent to the server, and zone
 * transfers through portals. Event messages are shown by notices.ts.
 */
import { Client, type Room } from "@colyseus/sdk";
import { ApiError, type Api, type Character, type ZoneMap } from "./api.ts";
import { attackRangeOf, skillsOf, type SkillInfo } from "./content.ts";
import { extrapolate } from "../schema/motion.ts";
import { Track, type Point } from "./interpolation.ts";
import { listenForNotices } from "./notices.ts";
import type { CastIntent } from "./skills.ts";

/** An entity as replicated (schema/Entity.ts); owner-only fields exist on one's own entity. */
export type EntityView = {
  id: string;
  kind: "player" | "mob" | "drop" | "npc";
  name: string;
  templateId: string;
  /** Dead reckoning (schema/motion.ts): position at tick `posTick`, velocity in units/s. */
  x: number;
  y: number;
  vx: number;
  vy: number;
  posTick: number;
  dir: number;
  hpRatio: number;
  level: number;
  hp?: number;
  hpMax?: number;
  mp?: number;
  mpMax?: number;
  xp?: number;
  gold?: number;
  ackSeq?: number;
  /** Remaining cooldown per skill id, in ms (own entity only). */
  cooldowns?: { get(skillId: string): number | undefined };
};

type EntityMap = {
  forEach(cb: (entity: EntityView, id: string) => void): void;
  get(id: string): EntityView | undefined;
};
type ZoneStateView = { zoneId?: string; tick?: number; entities?: EntityMap };

export type LogKind = "info" | "combat" | "loot" | "level" | "error";
export type FloatKind = "hit" | "hurt" | "crit" | "miss" | "heal" | "xp" | "skill";

export interface SessionListener {
  log(kind: LogKind, text: string): void;
  floatText(x: number, y: number, text: string, kind: FloatKind): void;
  /** A zone was entered (first join or transfer); `map` is null when geometry is unavailable. */
  zoneEntered(zoneId: string, map: ZoneMap | null): void;
  /** The session is over (kicked, disconnected for good, or left). */
  ended(reason: string): void;
  /** An NPC answered `interact`: its name and the quests it gives or takes. */
  npcMenu(menu: NpcMenu): void;
  /** Bags or quests changed on the server (loot, quest steps, item use). */
  progressChanged(): void;
}

export type NpcQuest = { id: string; name: string; status: "available" | "active" | "ready" };
export type NpcMenu = { npcId: string; name: string; quests: NpcQuest[] };

const JOIN_ATTEMPTS = 4;
const JOIN_RETRY_MS = 250;

type Reservation = Parameters<Client["consumeSeatReservation"]>[0];

export class GameSession {
  readonly character: Character;
  readonly attackRange: number;
  /** The job's skills in hotkey order. */
  readonly skills: readonly SkillInfo[];
  zoneId = "";
  map: ZoneMap | null = null;
  private readonly api: Api;
  private readonly pageOrigin: string;
  private readonly listener: SessionListener;
  private readonly client: Client;
  private room: Room | null = null;
  private readonly tracks = new Map<string, Track>();
  /** Server tick of the latest patch and when it arrived (performance.now()). */
  private tick = 0;
  private tickAt = 0;
  private readonly scratch: Point = { x: 0, y: 0 };
  private seq = 0;
  private transferring = false;
  private over = false;

  constructor(api: Api, character: Character, listener: SessionListener, pageOrigin: string) {
    this.api = api;
    this.character = character;
    this.listener = listener;
    this.pageOrigin = pageOrigin;
    this.client = new Client(api.baseUrl);
    this.attackRange = attackRangeOf(character.job);
    this.skills = skillsOf(character.job);
  }

  /** The entity id of one's own character (the server uses the character id). */
  get entityId(): string {
    return this.character.id;
  }

  get isTransferring(): boolean {
    return this.transferring;
  }

  /** Matchmakes server-side (`POST /v1/world/join`) and joins the zone room. */
  async start(): Promise<void> {
    const { zone, reservation } = await this.joinWorld();
    await this.enter(zone, reservation as Reservation);
  }

  /**
   * Right after leaving, the previous session may still be saving and holding the character's
   * lock for a moment: CHARACTER_ONLINE is retried briefly before it is shown.
   */
  private async joinWorld(): Promise<{ zone: string; reservation: unknown }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.joinWorld(this.character.id);
      } catch (error) {
        const busy = error instanceof ApiError && error.code === "CHARACTER_ONLINE";
        if (!busy || attempt >= JOIN_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, JOIN_RETRY_MS * attempt));
      }
    }
  }

  async leave(): Promise<void> {
    this.over = true;
    const room = this.room;
    this.room = null;
    if (room) await withTimeout(room.leave(true), 1000).catch(() => undefined);
  }

  own(): EntityView | undefined {
    return this.entities()?.get(this.entityId);
  }

  forEachEntity(cb: (entity: EntityView, id: string) => void): void {
    this.entities()?.forEach(cb);
  }

  entity(id: string): EntityView | undefined {
    return this.entities()?.get(id);
  }

  /** Where to draw entity `id` at `now` (interpolated), written into `out`. */
  positionOf(entity: EntityView, now: number, out: Point): Point {
    const track = this.tracks.get(entity.id);
    if (!track) return this.where(entity, out);
    return track.sample(now, out);
  }

  /** Where `entity` is now by dead reckoning from the latest patch (for decisions, not drawing). */
  where(entity: EntityView, out: Point = { x: 0, y: 0 }): Point {
    return extrapolate(entity, this.tick, out, performance.now() - this.tickAt);
  }

  move(dx: number, dy: number): void {
    const length = Math.hypot(dx, dy);
    if (length === 0) return;
    this.send("move", { dx: dx / length, dy: dy / length, seq: this.nextSeq() });
  }

  stop(): void {
    this.send("stop", { seq: this.nextSeq() });
  }

  attack(targetId: string): void {
    this.send("attack", { targetId });
  }

  pickup(dropId: string): void {
    this.send("pickup", { dropId });
  }

  portal(portalId: string): void {
    this.send("portal", { portalId });
  }

  cast(intent: CastIntent): void {
    this.send("cast", intent);
  }

  interact(npcId: string): void {
    this.send("interact", { npcId });
  }

  acceptQuest(questId: string): void {
    this.send("acceptQuest", { questId });
  }

  turnInQuest(questId: string): void {
    this.send("turnInQuest", { questId });
  }

  useItem(slot: number): void {
    this.send("useItem", { slot });
  }

  private send(type: string, payload: object): void {
    if (!this.room || this.transferring || this.over) return;
    this.room.send(type, payload);
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) % 2 ** 31;
    return this.seq;
  }

  private entities(): EntityMap | undefined {
    return (this.room?.state as ZoneStateView | undefined)?.entities;
  }

  private async enter(zoneId: string, reservation: Reservation): Promise<void> {
    const room = await this.client.consumeSeatReservation(reservation);
    const previous = this.room;
    this.room = room;
    this.zoneId = zoneId;
    this.tracks.clear();
    this.map = null;
    this.attach(room);
    if (previous) await withTimeout(previous.leave(true), 1000).catch(() => undefined);
    this.transferring = false;
    const map = await this.api.zoneMap(zoneId, this.pageOrigin);
    if (this.room !== room) return;
    this.map = map;
    if (!map) this.listener.log("error", "Zone map unavailable: drawing entities only.");
    this.listener.log("info", `You enter ${map?.name ?? zoneId}.`);
    this.listener.zoneEntered(zoneId, map);
  }

  private attach(room: Room): void {
    const current = () => this.room === room && !this.over;
    room.onStateChange((state: ZoneStateView) => {
      if (!current()) return;
      const now = performance.now();
      if (state.tick !== undefined && state.tick !== this.tick) {
        this.tick = state.tick;
        this.tickAt = now;
      }
      const seen = new Set<string>();
      const at = this.scratch;
      state.entities?.forEach((entity, id) => {
        seen.add(id);
        let track = this.tracks.get(id);
        if (!track) this.tracks.set(id, (track = new Track()));
        extrapolate(entity, this.tick, at);
        track.push(now, at.x, at.y);
      });
      for (const id of this.tracks.keys()) if (!seen.has(id)) this.tracks.delete(id);
    });
    room.onLeave((code: number, reason?: string) => {
      if (!current()) return;
      this.over = true;
      this.listener.ended(reason ? `${reason} (${code})` : `Disconnected (${code}).`);
    });
    room.onDrop(() => {
      if (current()) this.listener.log("error", "Connection lost: reconnecting…");
    });
    room.onReconnect(() => {
      if (current()) this.listener.log("info", "Reconnected.");
    });
    room.onError((code: number, message?: string) => {
      if (current()) this.listener.log("error", `Room error ${code}: ${message ?? "unknown"}`);
    });
    const on = <T>(type: string, handler: (message: T) => void) =>
      room.onMessage(type, (message: T) => {
        if (current()) handler(message);
      });
    // The join itself confirms the zone (see enter); welcome only names the entity id.
    on("welcome", () => undefined);
    on<{ zone: string; reservation: unknown }>("transfer", (m) => void this.transfer(m));
    listenForNotices(on, {
      me: this.entityId,
      listener: this.listener,
      nameOf: (id) => this.nameOf(id),
      own: () => {
        const own = this.own();
        return own ? this.where(own) : undefined;
      },
      transferRefused: () => {
        this.transferring = false;
      },
    });
    // Events this client does not show yet (newer servers may send more): ignored quietly.
    room.onMessage("*", () => undefined);
  }

  private async transfer(m: { zone: string; reservation: unknown }): Promise<void> {
    this.transferring = true;
    this.listener.log("info", `Travelling to ${m.zone}…`);
    try {
      await this.enter(m.zone, m.reservation as Reservation);
    } catch (error) {
      this.over = true;
      this.listener.ended(`Zone transfer failed: ${(error as Error).message}`);
    }
  }

  private nameOf(id: string): string {
    return this.entity(id)?.name || "Something";
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
}
