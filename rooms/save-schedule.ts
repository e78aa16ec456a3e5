/**
 * When a zone room persists: changed progress is queued for the write-behind every quarter
 * second and moved positions every five, everything is saved when a player leaves, and the
 * character locks of the room's players are renewed so no other room takes them meanwhile.
 */
import { CloseCode } from "@colyseus/core";
import type { Logger } from "../src/logger.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { RoomServices } from "./room-services.ts";
import type { SessionRegistry, ZoneSession } from "./zone-session.ts";

/** What the schedule needs from the room. */
export type SaveHost = {
  readonly zoneId: string;
  readonly roomId: string;
  readonly services: RoomServices;
  readonly sim: ZoneSimulation;
  readonly log: Logger;
  readonly sessions: SessionRegistry;
  /** The record as this room saves it (instances keep the exit, not the position). */
  persisted(record: PlayerRecord): PlayerRecord;
};

export class SaveSchedule {
  private readonly host: SaveHost;
  /** Progress is queued for the database at most this often. */
  private readonly progressTicks: number;
  private readonly positionTicks: number;

  constructor(host: SaveHost, tickRateHz: number) {
    this.host = host;
    this.progressTicks = tickRateHz / 4; // 250 ms: plus the 250 ms flush, < 1 s lost
    this.positionTicks = tickRateHz * 5; // 5 s
  }

  /** Call after every tick, with the number of ticks run so far. */
  afterTick(tickCount: number): void {
    if (tickCount % this.progressTicks === 0) this.queueProgress(tickCount);
  }

  /** Queues changed progress, and positions that moved when they are due. */
  private queueProgress(tickCount: number): void {
    const { sim, services, sessions } = this.host;
    const positionsDue = tickCount % this.positionTicks === 0;
    const dirty = new Set(sim.dirtyCharacters());
    for (const session of sessions.values()) {
      if (session.handedOff) continue;
      const id = session.characterId;
      const record = sim.recordOf(id);
      if (!record) continue;
      const moved =
        record.character.x !== session.lastSavedX || record.character.y !== session.lastSavedY;
      if (!dirty.has(id) && !(positionsDue && moved)) continue;
      services.writer.enqueue(this.host.persisted(record));
      sim.clearDirty(id);
      session.lastSavedX = record.character.x;
      session.lastSavedY = record.character.y;
    }
  }

  /** Renews every held character lock; a player whose lock went elsewhere is disconnected. */
  async renewLocks(): Promise<void> {
    const { services, sessions, log } = this.host;
    for (const session of sessions.values()) {
      if (session.handedOff) continue;
      const held = await services.locks
        .renew(session.characterId, session.holder)
        .catch(() => true);
      if (!held) {
        log.warn({ characterId: session.characterId }, "character lock lost; disconnecting");
        session.client.leave(CloseCode.WITH_ERROR, "session taken over");
      }
    }
  }

  /**
   * Takes a leaving player out of the world, saves it and releases its lock. If the save fails
   * the record stays queued (the write-behind retries) and the lock stays until it expires.
   */
  async saveOnLeave(session: ZoneSession): Promise<void> {
    const { services, sim, log } = this.host;
    const record = sim.leave(session.characterId);
    try {
      if (record) {
        services.writer.enqueue(this.host.persisted(record));
        await services.writer.flushAll();
      }
    } catch (error) {
      log.error({ err: error, characterId: session.characterId }, "save on leave failed");
      return;
    }
    await services.locks.release(session.characterId, session.holder);
    services.events.publish("player.left", {
      characterId: session.characterId,
      zone: this.host.zoneId,
      roomId: this.host.roomId,
    });
    log.info({ characterId: session.characterId }, "player left");
  }

  /** Flushes everything queued, when the room goes away. */
  async flushOnDispose(): Promise<void> {
    await this.host.services.writer.flushAll().catch((error: unknown) => {
      this.host.log.error({ err: error }, "flush on dispose failed; records stay queued");
    });
  }
}
