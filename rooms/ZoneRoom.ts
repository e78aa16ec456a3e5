import { randomBytes } from "node:crypto";
import { CloseCode, Room, ServerError, type Client } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import { z } from "zod";
import { Channels } from "../src/infra/channels.ts";
import type { Logger } from "../src/logger.ts";
import {
  createInterestScratch,
  createInterestSet,
  EXIT_RADIUS_FACTOR,
  INTEREST_REFRESH_TICKS,
  updateInterest,
  type InterestSet,
} from "../src/game/world/interest.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import { TokenBucket } from "../src/session/token-bucket.ts";
import { ZoneSimulation, type SimNotice } from "../src/zone/zone-simulation.ts";
import { addOwnerToView, applyInterestToView, SchemaSync } from "../schema/to-schema.ts";
import { ZoneState } from "../schema/ZoneState.ts";
import { roomServices, type RoomServices } from "./room-services.ts";
import {
  MAX_REJECTED,
  MESSAGE_BURST,
  MESSAGES_PER_SEC,
  REJECT_WINDOW_MS,
  ZONE_MESSAGE_TYPES,
  toSimAction,
  ZoneMessages,
  type ZoneMessageType,
} from "./zone-messages.ts";
import { TransferTickets } from "./transfer-tickets.ts";
import { actionFromWire, noticeToWire } from "./wire-ids.ts";
import { NoticeOutbox } from "./notice-outbox.ts";
import { HAND_OVER_GRACE_MS, transferCharacter, type TransferHost } from "./zone-transfer.ts";

export const TICK_RATE_HZ = 20;
export const PATCH_RATE_MS = 1000 / 20; // 20 patches/s
/** Seconds a dropped client keeps its character in the world. */
export const RECONNECT_WINDOW_SEC = 20;
/** Progress is queued for the database at most this often; positions at POSITION_SAVE_MS. */
const PROGRESS_QUEUE_TICKS = TICK_RATE_HZ / 4; // 250 ms: plus the 250 ms flush, < 1 s lost
const POSITION_SAVE_TICKS = TICK_RATE_HZ * 5; // 5 s
/** At most this many entities enter one client's view per patch (spreads spawn bursts). */
const MAX_ENTERED_PER_PATCH = 48;

export type ZoneJoinOptions = { characterId?: unknown; ticket?: unknown };
export type ZoneAuth = { accountId: string; characterId: string };

type Session = {
  client: Client;
  characterId: string;
  accountId: string;
  holder: string;
  interest: InterestSet;
  bucket: TokenBucket;
  rejected: number;
  rejectWindowStart: number;
  /** Set once the character has been handed to another room: nothing more to save here. */
  handedOff: boolean;
  /** The `transfer` message of a hand-over, sent again if the client reconnects. */
  pendingTransfer?: { zone: string; reservation: unknown };
  lastSavedX: number;
  lastSavedY: number;
  /** Which tick parity refreshes this client's area of interest (see INTEREST_REFRESH_TICKS). */
  refreshPhase: number;
};

const CharacterIdOption = z.uuid();

/**
 * A zone: authenticates joins, queues validated intents, runs the simulation on a fixed tick,
 * mirrors it into the replicated state per client's area of interest, and persists progress.
 */
export class ZoneRoom extends Room<{ state: ZoneState }> {
  protected services!: RoomServices;
  protected zone!: ZoneContent;
  protected sim!: ZoneSimulation;
  protected log!: Logger;
  private sync!: SchemaSync;
  private transferHost!: TransferHost;
  private readonly sessions = new Map<string, Session>();
  private readonly byCharacter = new Map<string, Session>();
  private readonly scratch = createInterestScratch();
  private readonly outbox = new NoticeOutbox();
  private readonly entered: number[] = [];
  private readonly left: number[] = [];
  private tickCount = 0;
  private joinCount = 0;
  protected tickets!: TransferTickets;

  /** The zone id this room type simulates for the given create options. */
  protected zoneIdFrom(options: { zone?: unknown }): string {
    return typeof options.zone === "string" ? options.zone : "";
  }

  override onCreate(options: { zone?: unknown }) {
    this.services = roomServices();
    const zoneId = this.zoneIdFrom(options);
    const zone = this.services.data.zones.get(zoneId);
    if (!zone || !this.acceptsZone(zone)) throw new ServerError(404, `unknown zone "${zoneId}"`);
    this.zone = zone;
    this.log = this.services.logger.child({
      roomId: this.roomId,
      zone: zone.id,
      room: this.roomName,
    });
    this.tickets = new TransferTickets(this.services.presence);
    this.maxClients = zone.maxPlayers;
    this.patchRate = PATCH_RATE_MS;
    this.maxMessagesPerSecond = MESSAGE_BURST * 2;
    this.state = new ZoneState();
    this.state.zoneId = zone.id;
    this.sim = new ZoneSimulation(zone, this.services.data, randomBytes(4).readUInt32LE());
    this.sync = new SchemaSync(this.state, (id) => this.byCharacter.get(id)?.client.sessionId);
    this.sync.sync(this.sim.world);
    this.transferHost = {
      zoneId: zone.id,
      services: this.services,
      tickets: this.tickets,
      sim: this.sim,
      log: this.log,
      persisted: (record) => this.persisted(record),
      holds: (session) => this.sessions.has(session.client.sessionId),
      later: (callback, ms) => void this.clock.setTimeout(callback, ms),
    };
    void this.setMetadata({ zone: zone.id, kind: zone.kind });

    for (const type of ZONE_MESSAGE_TYPES) {
      this.onMessage(type, (client, message) => this.receive(client, type, message));
    }
    this.setFixedTimestep((ctx) => this.tick(ctx.dtMs), TICK_RATE_HZ);
    this.clock.setInterval(() => void this.renewLocks(), this.services.locks.renewEveryMs);
    this.presence.subscribe(Channels.announcement, this.announce);
    this.log.info("zone room created");
  }

  protected acceptsZone(zone: ZoneContent): boolean {
    return zone.kind !== "instance";
  }

  /**
   * Runs when a seat is reserved (HTTP matchmaking, or server-side with an auth context), in any
   * process: checks the access token and that the character belongs to the account. The room's
   * own admission rules (zone, ticket, one session per character) run in onJoin.
   */
  static override async onAuth(token: string, options: ZoneJoinOptions): Promise<ZoneAuth> {
    const services = roomServices();
    let accountId: string;
    try {
      accountId = (await services.signer.verifyAccess(token ?? "")).accountId;
    } catch {
      throw new ServerError(401, "invalid or expired access token");
    }
    const characterId = CharacterIdOption.safeParse(options.characterId);
    if (!characterId.success) throw new ServerError(400, "characterId must be a uuid");
    const record = await services.progress.load(characterId.data);
    if (!record || record.character.accountId !== accountId) {
      throw new ServerError(404, "character not found");
    }
    if (await services.locks.holderOf(characterId.data)) {
      throw new ServerError(409, "character is already online");
    }
    return { accountId, characterId: characterId.data };
  }

  /** Zones admit characters saved in them; instances only admit ticket holders. */
  protected admitsWithoutTicket(record: PlayerRecord): boolean {
    return record.character.zone === this.zone.id;
  }

  override async onJoin(client: Client, options: ZoneJoinOptions, auth: ZoneAuth) {
    const characterId = auth.characterId;
    const holder = `${this.roomId}/${client.sessionId}`;
    if (!(await this.services.locks.acquire(characterId, holder))) {
      throw new ServerError(409, "character is already online");
    }
    let record: PlayerRecord | null;
    try {
      record = await this.services.progress.load(characterId);
      if (!record || record.character.accountId !== auth.accountId) {
        throw new ServerError(404, "character not found");
      }
      const ticketed =
        typeof options.ticket === "string" &&
        (await this.tickets.redeem(options.ticket, characterId, this.zone.id));
      if (!ticketed && !this.admitsWithoutTicket(record)) {
        throw new ServerError(
          409,
          `character is in zone "${record.character.zone}", not "${this.zone.id}"`,
        );
      }
    } catch (error) {
      await this.services.locks.release(characterId, holder);
      throw error;
    }
    const joined = this.sim.join(record);
    if (!joined.ok) {
      await this.services.locks.release(characterId, holder);
      throw new ServerError(
        409,
        joined.reason === "zoneFull" ? "zone is full" : "character is already here",
      );
    }
    const now = Date.now();
    const session: Session = {
      client,
      characterId,
      accountId: auth.accountId,
      holder,
      interest: createInterestSet(),
      bucket: new TokenBucket(MESSAGE_BURST, MESSAGES_PER_SEC, now),
      rejected: 0,
      rejectWindowStart: now,
      handedOff: false,
      refreshPhase: this.joinCount++ % INTEREST_REFRESH_TICKS,
      lastSavedX: joined.entity.x,
      lastSavedY: joined.entity.y,
    };
    this.sessions.set(client.sessionId, session);
    this.byCharacter.set(characterId, session);
    this.sync.sync(this.sim.world);
    client.view = new StateView();
    const own = this.sync.entityOf(joined.entity.handle);
    if (own) addOwnerToView(client.view, own);
    this.refreshView(session);
    client.send("welcome", { characterId, zone: this.zone.id, entityId: client.sessionId });
    this.services.events.publish("player.joined", {
      characterId,
      zone: this.zone.id,
      roomId: this.roomId,
    });
    this.countBytes(client);
    void this.services.online.add({
      characterId,
      accountId: auth.accountId,
      name: record.character.name,
      zone: this.zone.id,
      roomId: this.roomId,
      since: new Date().toISOString(),
    });
    this.log.info({ characterId }, "player joined");
  }

  override onDrop(client: Client, code?: number) {
    const session = this.sessions.get(client.sessionId);
    if (!session || code === CloseCode.WITH_ERROR || code === CloseCode.CONSENTED) return;
    if (session.handedOff) {
      // Dropped around a portal hand-over: hold the session so the client can come back for its
      // reservation (onReconnect sends it again), or a lost `transfer` strands it.
      this.allowReconnection(client, HAND_OVER_GRACE_MS / 1000).catch(() => undefined);
      return;
    }
    this.sim.queue({ type: "stop", playerId: session.characterId, seq: 0 });
    this.log.info({ characterId: session.characterId }, "player dropped; holding for reconnection");
    // Not awaited: onDrop must return; onLeave runs when the window closes without a reconnect.
    this.allowReconnection(client, RECONNECT_WINDOW_SEC).catch(() => undefined);
  }

  override onReconnect(client: Client) {
    const session = this.sessions.get(client.sessionId);
    if (!session) return;
    session.client = client;
    this.countBytes(client);
    if (session.pendingTransfer) client.send("transfer", session.pendingTransfer);
    this.log.info({ characterId: session.characterId }, "player reconnected");
  }

  override async onLeave(client: Client) {
    const session = this.sessions.get(client.sessionId);
    if (!session) return;
    this.sessions.delete(client.sessionId);
    this.byCharacter.delete(session.characterId);
    client.view?.dispose();
    void this.services.online.remove(session.characterId, this.roomId);
    if (session.handedOff) return;
    const record = this.sim.leave(session.characterId);
    try {
      if (record) {
        this.services.writer.enqueue(this.persisted(record));
        await this.services.writer.flushAll();
      }
    } catch (error) {
      // Still queued: the write-behind keeps retrying; the lock stays until it expires.
      this.log.error({ err: error, characterId: session.characterId }, "save on leave failed");
      return;
    }
    await this.services.locks.release(session.characterId, session.holder);
    this.services.events.publish("player.left", {
      characterId: session.characterId,
      zone: this.zone.id,
      roomId: this.roomId,
    });
    this.log.info({ characterId: session.characterId }, "player left");
  }

  /** Runs right before each patch is encoded. */
  override onBeforePatch() {
    this.sync.flushRemovals();
  }

  override async onDispose() {
    this.presence.unsubscribe(Channels.announcement, this.announce);
    await this.services.writer.flushAll().catch((error: unknown) => {
      this.log.error({ err: error }, "flush on dispose failed; records stay queued");
    });
    this.log.info("zone room disposed");
  }

  override onUncaughtException(error: Error, methodName: string) {
    this.log.error({ err: error, method: methodName }, "uncaught exception in room");
  }

  /** Broadcasts an operator announcement published on any process to this room's players. */
  private readonly announce = (payload: unknown) => {
    this.broadcast("announcement", payload);
  };

  /** Admin: disconnects a character (no reconnection). Called across processes by room id. */
  kickCharacter(characterId: string, reason: string): boolean {
    const session = this.byCharacter.get(characterId);
    if (!session) return false;
    this.log.warn({ characterId, reason }, "player kicked by an operator");
    session.client.leave(CloseCode.WITH_ERROR, reason);
    return true;
  }

  /** Admin: gives an online character items; saved by the write-behind like any loot. */
  giveItem(characterId: string, itemId: string, quantity: number): { ok: boolean; code?: string } {
    const result = this.sim.giveItem(characterId, itemId, quantity);
    if (result.ok) {
      this.byCharacter.get(characterId)?.client.send("looted", { characterId, itemId, quantity });
    }
    return result;
  }

  /** Counts the bytes this room sends a client (state patches and messages) for metrics. */
  private countBytes(client: Client): void {
    const observe = this.services.observer?.bytesSent;
    if (!observe) return;
    const raw = client.raw.bind(client);
    const roomName = this.roomName;
    client.raw = (data, options, cb) => {
      observe(roomName, data.byteLength);
      raw(data, options, cb);
    };
  }

  /** The record as it is stored; instances store the position outside the dungeon. */
  protected persisted(record: PlayerRecord): PlayerRecord {
    return record;
  }

  private receive(client: Client, type: ZoneMessageType, message: unknown): void {
    const session = this.sessions.get(client.sessionId);
    if (!session || session.handedOff) return;
    const now = Date.now();
    if (!session.bucket.take(now))
      return this.reject(session, type, "RATE_LIMITED", "too many messages", now);
    const parsed = ZoneMessages[type].safeParse(message);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join(".") || type}: ${i.message}`)
        .join("; ");
      return this.reject(session, type, "INVALID_MESSAGE", detail, now);
    }
    this.services.observer?.messageReceived?.(type);
    this.sim.queue(actionFromWire(toSimAction(session.characterId, type, parsed.data), this.sync));
  }

  private reject(session: Session, type: string, code: string, message: string, now: number): void {
    this.services.observer?.messageRejected?.(type, code);
    if (now - session.rejectWindowStart > REJECT_WINDOW_MS) {
      session.rejectWindowStart = now;
      session.rejected = 0;
    }
    session.rejected += 1;
    if (session.rejected === 1 || session.rejected % 10 === 0) {
      session.client.send("error", { code, message, type });
    }
    if (session.rejected > MAX_REJECTED) {
      this.log.warn({ characterId: session.characterId, code }, "disconnecting abusive client");
      session.client.leave(CloseCode.WITH_ERROR, "too many rejected messages");
    }
  }

  private tick(dtMs: number): void {
    const started = performance.now();
    const notices = this.sim.step(dtMs);
    this.sync.sync(this.sim.world);
    const phase = this.tickCount % INTEREST_REFRESH_TICKS;
    for (const session of this.sessions.values()) {
      if (session.refreshPhase === phase) this.refreshView(session);
    }
    for (const notice of notices) this.dispatch(notice);
    this.outbox.flush();
    this.tickCount += 1;
    if (this.tickCount % PROGRESS_QUEUE_TICKS === 0) this.queueProgress();
    this.services.observer?.stepSeconds?.(this.roomName, (performance.now() - started) / 1000);
  }

  private refreshView(session: Session): void {
    const view = session.client.view;
    const entity = this.sim.world.handleById.get(session.characterId);
    if (!view || entity === undefined) return;
    const grid = this.sim.world.grid;
    const radius = this.services.aoiRadius;
    updateInterest(
      session.interest,
      grid,
      entity,
      grid.xOf(entity),
      grid.yOf(entity),
      radius,
      radius * EXIT_RADIUS_FACTOR,
      this.scratch,
      this.entered,
      this.left,
      MAX_ENTERED_PER_PATCH,
    );
    if (this.entered.length > 0 || this.left.length > 0) {
      applyInterestToView(view, this.sync, this.entered, this.left);
    }
  }

  /** Sends one simulation notice to whom it concerns. */
  private dispatch(notice: SimNotice): void {
    switch (notice.type) {
      case "damaged":
      case "missed":
      case "died":
      case "castStarted":
      case "casted":
      case "castCancelled":
      case "healed":
      case "effectApplied":
      case "effectExpired":
        this.sendNear(notice.x, notice.y, noticeToWire(notice, this.sync));
        return;
      case "leveledUp": {
        const wire = noticeToWire(notice, this.sync);
        const self = this.byCharacter.get(notice.characterId);
        const pos = this.sim.world.handleById.get(notice.characterId);
        if (pos !== undefined) {
          this.sendNear(this.sim.world.grid.xOf(pos), this.sim.world.grid.yOf(pos), wire);
        } else if (self) {
          // Not in the state (between rooms): it is still this session's own entity.
          this.outbox.add(self.client, { ...wire, entityId: self.client.sessionId });
        }
        this.services.events.publish("character.leveled", {
          characterId: notice.characterId,
          level: notice.level,
          previousLevel: notice.previousLevel,
        });
        return;
      }
      case "looted":
        this.byCharacter.get(notice.characterId)?.client.send(notice.type, notice);
        this.services.events.publish("item.looted", {
          characterId: notice.characterId,
          itemId: notice.itemId,
          quantity: notice.quantity,
          zone: this.zone.id,
        });
        return;
      case "portalEntered": {
        const session = this.byCharacter.get(notice.characterId);
        if (session) {
          void transferCharacter(this.transferHost, session, notice.targetZone, notice.x, notice.y);
        }
        return;
      }
      case "questTurnedIn":
        this.byCharacter.get(notice.characterId)?.client.send(notice.type, notice);
        this.services.events.publish("quest.completed", {
          characterId: notice.characterId,
          questId: notice.questId,
        });
        return;
      default:
        this.byCharacter
          .get(notice.characterId)
          ?.client.send(notice.type, noticeToWire(notice, this.sync));
    }
  }

  /** Queues an area notice for every client whose view can reach (x, y). */
  private sendNear(x: number, y: number, notice: object): void {
    const r2 = (this.services.aoiRadius * EXIT_RADIUS_FACTOR) ** 2;
    const grid = this.sim.world.grid;
    for (const session of this.sessions.values()) {
      const h = this.sim.world.handleById.get(session.characterId);
      if (h === undefined) continue;
      const dx = grid.xOf(h) - x;
      const dy = grid.yOf(h) - y;
      if (dx * dx + dy * dy <= r2) this.outbox.add(session.client, notice);
    }
  }

  /** Queues changed progress every second and moved positions every five seconds. */
  private queueProgress(): void {
    const positionsDue = this.tickCount % POSITION_SAVE_TICKS === 0;
    const dirty = new Set(this.sim.dirtyCharacters());
    for (const session of this.sessions.values()) {
      if (session.handedOff) continue;
      const id = session.characterId;
      const record = this.sim.recordOf(id);
      if (!record) continue;
      const moved =
        record.character.x !== session.lastSavedX || record.character.y !== session.lastSavedY;
      if (!dirty.has(id) && !(positionsDue && moved)) continue;
      this.services.writer.enqueue(this.persisted(record));
      this.sim.clearDirty(id);
      session.lastSavedX = record.character.x;
      session.lastSavedY = record.character.y;
    }
  }

  private async renewLocks(): Promise<void> {
    for (const session of this.sessions.values()) {
      if (session.handedOff) continue;
      const held = await this.services.locks
        .renew(session.characterId, session.holder)
        .catch(() => true);
      if (!held) {
        this.log.warn({ characterId: session.characterId }, "character lock lost; disconnecting");
        session.client.leave(CloseCode.WITH_ERROR, "session taken over");
      }
    }
  }
}
