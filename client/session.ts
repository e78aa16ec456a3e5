/**
 * One character in the world: the Colyseus room it is in (consumed from a seat reservation),
 * its replicated entities with interpolation tracks, intents sent to the server, and zone
 * transfers through portals. Event messages are shown by notices.ts.
 */
import { Client, type Room } from "@colyseus/sdk";
import { ApiError, type Api, type Character, type ZoneMap } from "./api.ts";
import { attackRangeOf, itemName, mobLevel, mobName, skillsOf, type SkillInfo } from "./content.ts";
import { kindName, type Kind, type KindName } from "../schema/entity-kind.ts";
import {
  sendMessage,
  type ClientPayloads,
  type PayloadArg,
} from "../clients/js/client-messages.ts";
import { extrapolate, msUntilTick, Track, type Point } from "../clients/js/dead-reckoning.ts";
import {
  ClientMessage,
  ServerMessage,
  type ClientMessageType,
} from "../clients/js/message-names.ts";
import { listenTo } from "../clients/js/notice-routing.ts";
import { createSelfState, trackSelf, type SelfState } from "../clients/js/self-state.ts";
import { listenForNotices } from "./notices.ts";
import { SOCIAL_MESSAGES, type SocialMessageType } from "./social-messages.ts";
import type { CastIntent } from "./skills.ts";

/**
 * An entity as replicated (schema/Entity.ts). It carries no id: its key in the state's entity map
 * is its network id (one's own is the room's session id, an NPC's its content id, mobs and drops
 * short counters). Fields that would read 0 or do not apply are left unset. One's own hp, mp, xp,
 * gold and cooldowns are not here: see GameSession.self.
 */
export type EntityView = {
  /** One byte on the wire: read it with kindOf. */
  kind: Kind;
  /** Players and NPCs only: mobs and drops are named by `templateId` (see entityName). */
  name?: string;
  /** Mob template id or the item id of a drop; unset for players and NPCs. */
  templateId?: string;
  /**
   * Dead reckoning: position at tick `posTick` (8 bits), velocity in units/s (unset = 0). Read
   * them only through schema/motion.ts (GameSession.where / positionOf).
   */
  x: number;
  y: number;
  vx?: number;
  vy?: number;
  posTick: number;
  /** Facing in radians while standing (unset = 0). */
  dir?: number;
  /** Players and mobs: hp / hpMax as 0..255 (0 = dead); unset for drops and NPCs. */
  hpRatio?: number;
  /** Players only (a mob's level is its template's: see entityLevel). */
  level?: number;
};

type EntityMap = {
  forEach(cb: (entity: EntityView, key: string) => void): void;
  get(key: string): EntityView | undefined;
};

/** What an entity is; undefined for a kind this client does not know (a newer server). */
export function kindOf(entity: EntityView): KindName | undefined {
  return kindName(entity.kind);
}

/** What to call an entity: players and NPCs by name, mobs and drops by their template. */
export function entityName(entity: EntityView): string {
  const kind = kindOf(entity);
  if (kind === "mob") return mobName(entity.templateId ?? "");
  if (kind === "drop") return itemName(entity.templateId ?? "");
  return entity.name ?? "";
}

/** A player's level, a mob's template level; 0 for drops and NPCs. */
export function entityLevel(entity: EntityView): number {
  const kind = kindOf(entity);
  if (kind === "mob") return mobLevel(entity.templateId ?? "");
  return kind === "player" ? (entity.level ?? 0) : 0;
}

/** Players and mobs at hpRatio 0; drops and NPCs have no hp and are never dead. */
export function isDead(entity: EntityView): boolean {
  return entity.hpRatio === 0;
}

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
  /** Chat, party, guild, mail and trade messages (client/social-messages.ts). */
  social?(type: SocialMessageType, message: unknown): void;
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
  /** The zone channel of the current room (its `welcome`); undefined in zones without channels. */
  channel: number | undefined = undefined;
  map: ZoneMap | null = null;
  private readonly api: Api;
  private readonly pageOrigin: string;
  private readonly listener: SessionListener;
  private readonly client: Client;
  private room: Room | null = null;
  /** One's own hp, mp, xp, gold and cooldowns in the current room (its `self` messages). */
  self: SelfState = createSelfState();
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

  /**
   * The key of one's own entity in the state: the current room's session id. A portal transfer
   * joins another room, so it changes then ("" before the first room is joined).
   */
  get entityId(): string {
    return this.room?.sessionId ?? "";
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

  /** Milliseconds until one's own skill or item `id` is ready (0 when ready). */
  cooldownLeftMs(id: string): number {
    const ready = this.self.cooldowns.get(id);
    return ready === undefined ? 0 : msUntilTick(ready, this.tick, performance.now() - this.tickAt);
  }

  own(): EntityView | undefined {
    return this.entities()?.get(this.entityId);
  }

  /** Every entity in view with its key (its network id). */
  forEachEntity(cb: (entity: EntityView, key: string) => void): void {
    this.entities()?.forEach(cb);
  }

  /** The entity under network key `key`, if it is in view. */
  entity(key: string): EntityView | undefined {
    return this.entities()?.get(key);
  }

  /** Where to draw `entity` (keyed `key`) at `now` (interpolated), written into `out`. */
  positionOf(key: string, entity: EntityView, now: number, out: Point): Point {
    const track = this.tracks.get(key);
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
    this.send(ClientMessage.move, { dx: dx / length, dy: dy / length, seq: this.nextSeq() });
  }

  stop(): void {
    this.send(ClientMessage.stop, { seq: this.nextSeq() });
  }

  attack(targetId: string): void {
    this.send(ClientMessage.attack, { targetId });
  }

  pickup(dropId: string): void {
    this.send(ClientMessage.pickup, { dropId });
  }

  portal(portalId: string): void {
    this.send(ClientMessage.portal, { portalId });
  }

  cast(intent: CastIntent): void {
    this.send(ClientMessage.cast, intent);
  }

  interact(npcId: string): void {
    this.send(ClientMessage.interact, { npcId });
  }

  acceptQuest(questId: string): void {
    this.send(ClientMessage.acceptQuest, { questId });
  }

  turnInQuest(questId: string): void {
    this.send(ClientMessage.turnInQuest, { questId });
  }

  useItem(slot: number): void {
    this.send(ClientMessage.useItem, { slot });
  }

  /** Asks to move to channel `channel` of this zone (a `transfer` follows, or an `error`). */
  switchChannel(channel: number): void {
    this.send(ClientMessage.switchChannel, { channel });
  }

  /** A chat, party or trade message (client/social-messages.ts); dropped while travelling. */
  sendSocial<K extends ClientMessageType>(type: K, ...payload: PayloadArg<K>): void {
    const room = this.openRoom();
    if (room) sendMessage(room, type, ...payload);
  }

  private send<K extends ClientMessageType>(type: K, payload: ClientPayloads[K]): void {
    this.openRoom()?.send(type, payload);
  }

  /** The room to send to; none while travelling or once over. */
  private openRoom(): Room | null {
    return this.transferring || this.over ? null : this.room;
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
    this.self = trackSelf(room);
    const previous = this.room;
    this.room = room;
    this.zoneId = zoneId;
    this.channel = undefined;
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
      state.entities?.forEach((entity, key) => {
        seen.add(key);
        let track = this.tracks.get(key);
        if (!track) this.tracks.set(key, (track = new Track()));
        extrapolate(entity, this.tick, at);
        track.push(now, at.x, at.y);
      });
      for (const key of this.tracks.keys()) if (!seen.has(key)) this.tracks.delete(key);
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
    // Area notices (hits, deaths, casts) arrive batched per tick; the rest as their own messages.
    const on = listenTo(room, current);
    // The join itself confirms the zone (see enter); welcome names the entity's key (the room's
    // session id) and the room's channel.
    on(ServerMessage.welcome, (m) => {
      this.channel = m.channel;
    });
    on(ServerMessage.transfer, (m) => void this.transfer(m));
    listenForNotices(on, {
      // Near notices name entities by key: one's own is this room's session id.
      me: room.sessionId,
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
    for (const type of SOCIAL_MESSAGES) {
      on(type, (message) => this.listener.social?.(type, message));
    }
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

  private nameOf(key: string): string {
    const entity = this.entity(key);
    return (entity && entityName(entity)) || "Something";
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
}
