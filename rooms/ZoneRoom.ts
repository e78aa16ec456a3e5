import { randomBytes } from "node:crypto";
import { Room, type Client } from "@colyseus/core";
import { ServerMessage } from "../clients/js/message-names.ts";
import { Channels } from "../src/infra/channels.ts";
import {
  continuedFrom,
  endTickSpan,
  inSpan,
  rememberTrace,
  roomSpanAttributes,
  startTickSpan,
  traceOf,
} from "../src/infra/tracing.ts";
import type { Logger } from "../src/logger.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import { SchemaSync } from "../schema/to-schema.ts";
import { ZoneState } from "../schema/ZoneState.ts";
import { NoticeRouter } from "./notice-router.ts";
import { registerAdminCommands } from "./admin-commands.ts";
import { RoomCommandHandlers, type RoomCommandReply } from "./room-commands.ts";
import { createFeatureHost, RoomFeatures } from "./room-features.ts";
import { logRoomException, refusal } from "./room-refusals.ts";
import { roomServices, type RoomServices } from "./room-services.ts";
import { SaveSchedule } from "./save-schedule.ts";
import { TransferTickets } from "./transfer-tickets.ts";
import { CellViews } from "./cell-views.ts";
import { SelfUpdates } from "./self-updates.ts";
import {
  admitCharacter,
  announceJoined,
  type AdmissionHost,
  authenticateJoin,
  reconnectWindowSecOf,
  type ZoneAuth,
  type ZoneJoinOptions,
} from "./zone-admission.ts";
import {
  TRANSPORT_MESSAGES_PER_SEC,
  ZONE_MESSAGE_TYPES,
  type ZoneMessageType,
} from "./zone-messages.ts";
import { receiveInput, refuseUnknownType, type InputHost } from "./zone-inputs.ts";
import { meterBytesSent, SessionRegistry, ZoneSession } from "./zone-session.ts";
import { switchRoom, transferCharacter } from "./zone-transfer.ts";
import { isChannelled } from "../src/zone/channel-directory.ts";
import { corkClients } from "./corked-sends.ts";
import { patchDuty } from "./patch-schedule.ts";

export { RECONNECT_WINDOW_SEC, type ZoneAuth, type ZoneJoinOptions } from "./zone-admission.ts";

export const TICK_RATE_HZ = 20;
export const PATCH_RATE_MS = 1000 / 10; // 10 patches/s: ZONE_PATCH_HZ's default
const TICK_MS = 1000 / TICK_RATE_HZ;

/**
 * A zone: authenticates joins, loads the character, queues validated intents, runs the
 * simulation on a fixed tick, mirrors it into the replicated state per client's area of
 * interest, and persists progress at checkpoints. Each of those jobs beyond the tick itself
 * lives in a module beside this one.
 */
export class ZoneRoom extends Room<{ state: ZoneState }> {
  protected services!: RoomServices;
  protected zone!: ZoneContent;
  protected sim!: ZoneSimulation;
  protected log!: Logger;
  protected tickets!: TransferTickets;
  private sync!: SchemaSync;
  private notices!: NoticeRouter;
  private commands!: RoomCommandHandlers;
  private features!: RoomFeatures;
  private saves!: SaveSchedule;
  private views!: CellViews;
  private readonly selfUpdates = new SelfUpdates();
  /** What the modules beside this room see of it. */
  private host!: AdmissionHost & InputHost;
  private readonly sessions = new SessionRegistry();
  private tickCount = 0;
  /** This room's channel number when its zone runs in channels (src/zone/channel-directory.ts). */
  private channel?: number;
  /**
   * The tick sends a patch every this many steps (ZONE_PATCH_HZ). Patches ride the tick instead
   * of Colyseus' own patch timer so that a tick's notices, patch and `self` messages go out
   * together (`corkClients`).
   */
  patchEveryTicks = 1;
  /** The views were refreshed on the step before this patch (see `tick`). */
  private viewsRefreshed = false;

  /** The zone id this room type simulates for the given create options. */
  protected zoneIdFrom(options: { zone?: unknown }): string {
    return typeof options.zone === "string" ? options.zone : "";
  }

  /** The instance group this room is private to; zones have none. */
  protected groupFrom(_options: { group?: unknown }): string | undefined {
    return undefined;
  }

  override async onCreate(options: { zone?: unknown; group?: unknown }) {
    this.services = roomServices();
    const zoneId = this.zoneIdFrom(options);
    const content = this.services.data.zones.get(zoneId);
    if (!content || !this.acceptsZone(content)) {
      throw refusal("UNKNOWN_ZONE", `unknown zone "${zoneId}"`);
    }
    const channels = isChannelled(content) ? this.services.channels : undefined;
    // A channel seats its hard capacity: the headroom is for party and guild mates.
    const zone = channels ? { ...content, maxPlayers: channels.capacityOf(content).hard } : content;
    if (channels) this.channel = await channels.claim(zone.id, this.roomId);
    this.zone = zone;
    this.log = this.services.logger.child({
      roomId: this.roomId,
      zone: zone.id,
      room: this.roomName,
    });
    this.tickets = new TransferTickets(this.services.presence);
    this.maxClients = zone.maxPlayers;
    this.patchEveryTicks = Math.max(
      1,
      Math.round((this.services.patchRateMs ?? PATCH_RATE_MS) / TICK_MS),
    );
    this.maxMessagesPerSecond = TRANSPORT_MESSAGES_PER_SEC;
    this.state = new ZoneState();
    this.state.zoneId = zone.id;
    this.sim = new ZoneSimulation(zone, this.services.data, randomBytes(4).readUInt32LE());
    this.sync = new SchemaSync(this.state, (id) => this.sessions.of(id)?.client.sessionId);
    this.sync.sync(this.sim.world);
    const host = {
      roomId: this.roomId,
      roomName: this.roomName,
      zoneId: zone.id,
      zone,
      services: this.services,
      sim: this.sim,
      sync: this.sync,
      log: this.log,
      sessions: this.sessions,
      tickets: this.tickets,
      group: this.groupFrom(options),
      persisted: (record: PlayerRecord) => this.persisted(record),
      admitsWithoutTicket: (record: PlayerRecord) => this.admitsWithoutTicket(record),
      holds: (session: { client: Client }) => this.sessions.has(session),
      later: (callback: () => void, ms: number) => void this.clock.setTimeout(callback, ms),
      handingOff: (session: ZoneSession, target: string) =>
        this.features.handingOff(session, target),
    };
    this.host = host;
    this.views = new CellViews(this.sim, this.sync, this.services.aoiRadius);
    this.saves = new SaveSchedule(host, TICK_RATE_HZ);
    this.notices = new NoticeRouter({
      ...host,
      transfer: (session, target, x, y) => void transferCharacter(host, session, target, x, y),
    });
    this.commands = new RoomCommandHandlers(this.log);
    registerAdminCommands(this.commands, host);
    const featureHost = createFeatureHost(
      { ...host, switchRoom: (characterId, roomId) => switchRoom(host, characterId, roomId) },
      this.sessions,
      this.commands,
    );
    const factories = this.services.features ?? [];
    this.features = new RoomFeatures(factories, featureHost, this.log, ZONE_MESSAGE_TYPES);
    // The listing's metadata is what matchmaking filters on (filterBy in src/server.ts).
    const group = host.group;
    const channel = this.channel;
    void this.setMetadata({
      zone: zone.id,
      kind: zone.kind,
      ...(group && { group }),
      ...(channel !== undefined && { channel }),
    });

    for (const type of ZONE_MESSAGE_TYPES) {
      this.onMessage(type, (client, message) => this.receive(client, type, message));
    }
    // Features validate and rate-limit their own messages: no room schema, no rejection count.
    for (const type of this.features.messageTypes()) {
      this.onMessage(type, (client, payload: unknown) => {
        const session = this.sessions.bySessionId(client.sessionId);
        if (session && !session.handedOff) this.features.deliver(type, session, payload);
      });
    }
    // Without it Colyseus closes the socket (4002) at the first unknown type; see zone-inputs.ts.
    this.onMessage("*", (client, type) => {
      const session = this.sessions.bySessionId(client.sessionId);
      if (session && !session.handedOff) refuseUnknownType(this.host, session, type);
    });
    this.setFixedTimestep((ctx) => this.tick(ctx.dtMs), TICK_RATE_HZ);
    // No patch timer of Colyseus' own: the tick calls broadcastPatch (see patchEveryTicks). Only
    // after the timestep exists: without one, a null patchRate starts a clock timer of its own
    // that would eat the timestep's elapsed time.
    this.patchRate = null;
    this.clock.setInterval(() => void this.saves.renewLocks(), this.services.locks.renewEveryMs);
    this.presence.subscribe(Channels.announcement, this.announce);
    this.log.info("zone room created");
  }

  protected acceptsZone(zone: ZoneContent): boolean {
    return zone.kind !== "instance" && zone.kind !== "arena";
  }

  /** Token and ownership, wherever the seat is reserved; the room's own rules run in onJoin. */
  static override async onAuth(token: string, options: ZoneJoinOptions): Promise<ZoneAuth> {
    // Matchmaking runs outside the reserving request's trace (outsideTrace): rejoin it here.
    return inSpan("zone.auth", {}, continuedFrom(options.traceparent), () =>
      authenticateJoin(roomServices(), token, options),
    );
  }

  /** Zones admit characters saved in them; instances only admit ticket holders. */
  protected admitsWithoutTicket(record: PlayerRecord): boolean {
    return record.character.zone === this.zone.id;
  }

  /** Continues the trace of the request that reserved the seat (a `traceparent` join option). */
  override onJoin(client: Client, options: ZoneJoinOptions, auth: ZoneAuth) {
    return inSpan(
      `${this.roomName}.join`,
      roomSpanAttributes(this.roomName, this.roomId, this.zone.id, auth.characterId),
      continuedFrom(options.traceparent),
      () => this.admit(client, options, auth),
    );
  }

  private async admit(client: Client, options: ZoneJoinOptions, auth: ZoneAuth) {
    const { record, entity, holder } = await admitCharacter(this.host, client, options, auth);
    const characterId = auth.characterId;
    const session = new ZoneSession({
      client,
      characterId,
      accountId: auth.accountId,
      name: record.character.name,
      holder,
      x: entity.x,
      y: entity.y,
      nowMs: Date.now(),
    });
    this.sessions.add(session);
    rememberTrace(session);
    this.sync.sync(this.sim.world);
    this.views.admit(session);
    client.send(ServerMessage.welcome, {
      characterId,
      zone: this.zone.id,
      entityId: client.sessionId,
      ...(this.channel !== undefined && { channel: this.channel }),
    });
    meterBytesSent(client, this.roomName, this.services.observer);
    announceJoined(this.host, session);
    this.features.joined(session);
  }

  override onDrop(client: Client, code?: number) {
    const session = this.sessions.bySessionId(client.sessionId);
    const windowSec = reconnectWindowSecOf(session, code);
    if (!session || windowSec === undefined) return;
    session.drop();
    if (!session.handedOff) {
      this.sim.queue({ type: "stop", playerId: session.characterId, seq: 0 });
      this.log.info(
        { characterId: session.characterId },
        "player dropped; holding for reconnection",
      );
      this.features.dropped(session);
    }
    // Not awaited: onDrop must return; onLeave runs when the window closes without a reconnect.
    this.allowReconnection(client, windowSec).catch(() => undefined);
  }

  override onReconnect(client: Client) {
    const session = this.sessions.bySessionId(client.sessionId);
    if (!session) return;
    meterBytesSent(client, this.roomName, this.services.observer);
    session.resume(client);
    if (session.pendingTransfer) client.send(ServerMessage.transfer, session.pendingTransfer);
    this.log.info({ characterId: session.characterId }, "player reconnected");
    this.features.reconnected(session);
  }

  override async onLeave(client: Client) {
    const session = this.sessions.bySessionId(client.sessionId);
    if (!session) return;
    await inSpan(
      `${this.roomName}.leave`,
      roomSpanAttributes(this.roomName, this.roomId, this.zone.id, session.characterId),
      traceOf(session),
      () => this.release(session),
    );
  }

  private async release(session: ZoneSession) {
    this.sessions.remove(session);
    session.end();
    this.views.release(session);
    void this.services.online.remove(session.characterId, this.roomId);
    this.features.left(session);
    if (!session.handedOff) await this.saves.saveOnLeave(session);
  }

  /** Runs right before each patch is encoded: cell views and `self` messages for it. */
  override onBeforePatch() {
    this.sync.flushRemovals();
    if (!this.viewsRefreshed) this.views.refresh();
    this.viewsRefreshed = false;
    this.selfUpdates.flush(this.sessions.values(), this.sim.world, this.sync);
  }

  override async onDispose() {
    this.presence.unsubscribe(Channels.announcement, this.announce);
    await this.features.dispose();
    await this.saves.flushOnDispose();
    if (this.channel !== undefined) {
      await this.services.channels
        ?.release(this.zone.id, this.channel, this.roomId)
        .catch((err: unknown) => this.log.warn({ err }, "channel number not released"));
    }
    this.log.info("zone room disposed");
  }

  override onUncaughtException(error: Error, methodName: string) {
    // onCreate may refuse before the room's logger exists.
    logRoomException(
      this.log ?? roomServices().logger.child({ roomId: this.roomId }),
      error,
      methodName,
    );
  }

  /** Broadcasts an operator announcement published on any process to this room's players. */
  private readonly announce = (payload: unknown) => {
    this.broadcast(ServerMessage.announcement, payload);
  };

  /** Runs a typed room command (rooms/room-commands.ts); called across processes by room id. */
  runCommand(command: unknown): Promise<RoomCommandReply> {
    return this.commands.run(command);
  }

  /** The record as it is stored; instances store the position outside the dungeon. */
  protected persisted(record: PlayerRecord): PlayerRecord {
    return record;
  }

  private receive(client: Client, type: ZoneMessageType, message: unknown): void {
    const session = this.sessions.bySessionId(client.sessionId);
    if (session && !session.handedOff) receiveInput(this.host, session, type, message);
  }

  private tick(dtMs: number): void {
    const started = performance.now();
    const span = startTickSpan(this.roomName, this.roomId, this.zone.id, this.tickCount);
    const notices = this.sim.step(dtMs);
    this.sync.sync(this.sim.world);
    for (const notice of notices) this.notices.dispatch(notice);
    this.tickCount += 1;
    this.saves.afterTick(this.tickCount);
    this.features.tick(this.tickCount);
    const stepMs = performance.now() - started;
    this.services.observer?.stepSeconds?.(this.roomName, stepMs / 1000);
    if (span) endTickSpan(span, notices.length, stepMs);
    const duty = patchDuty(this.tickCount, this.patchEveryTicks);
    if (duty === "patch") this.sendPatch();
    else if (duty === "refreshViews") {
      this.views.refresh();
      this.viewsRefreshed = true;
    }
  }

  /** Area notices gathered since the last patch, then the patch and each owner's `self`. */
  private sendPatch(): void {
    const uncork = corkClients(this.clients);
    try {
      this.notices.flush();
      this.broadcastPatch();
    } finally {
      uncork();
    }
  }
}
