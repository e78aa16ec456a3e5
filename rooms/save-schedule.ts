/**
 * When a zone room persists: every quarter second, changed progress is queued for the
 * write-behind, and so is the position of a player who moved since its last save (position only,
 * one narrow row in a batched UPDATE: a walking player costs that, a standing one nothing); every
 * five seconds a player who moved is saved whole (hp, mp, timers); everything is saved when a
 * player leaves; and the character locks of the room's players are renewed so no other room
 * takes them meanwhile.
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

/**
 * Moves shorter than this since the last save are not saved on their own (world units; a walking
 * player covers about 40 between two queueings), so a player nudged by a unit costs no write.
 */
export const POSITION_SAVE_MIN_UNITS = 3;

export class SaveSchedule {
  private readonly host: SaveHost;
  /** Progress is queued for the database at most this often. */
  private readonly progressTicks: number;
  /** A player who moved is saved whole at most this often. */
  private readonly wholeTicks: number;

  constructor(host: SaveHost, tickRateHz: number) {
    this.host = host;
    // 250 ms: plus the 250 ms flush, < 1 s lost (positions too: issue 14, position-crash.test.ts)
    this.progressTicks = tickRateHz / 4;
    this.wholeTicks = tickRateHz * 5; // 5 s
  }

  /** Call after every tick, with the number of ticks run so far. */
  afterTick(tickCount: number): void {
    if (tickCount % this.progressTicks === 0) this.queueProgress(tickCount);
  }

  /**
   * Queues changed progress whole, moved positions alone, and players who moved since their last
   * whole save whole when that is due. The position compared is the saved one (an instance saves
   * its exit, so moving inside it saves nothing).
   */
  private queueProgress(tickCount: number): void {
    const { sim, services, sessions } = this.host;
    const wholeDue = tickCount % this.wholeTicks === 0;
    const dirty = new Set(sim.dirtyCharacters());
    for (const session of sessions.values()) {
      if (session.handedOff) continue;
      const id = session.characterId;
      const live = sim.recordOf(id);
      if (!live) continue;
      const record = this.host.persisted(live);
      const { x, y } = record.character;
      const moved =
        Math.hypot(x - session.lastSavedX, y - session.lastSavedY) >= POSITION_SAVE_MIN_UNITS;
      if (dirty.has(id) || (wholeDue && (moved || session.movedSinceWholeSave))) {
        services.writer.enqueue(record);
        sim.clearDirty(id);
        session.movedSinceWholeSave = false;
      } else if (moved) {
        services.writer.enqueue(record, { partial: true });
        session.movedSinceWholeSave = true;
      } else continue;
      session.lastSavedX = x;
      session.lastSavedY = y;
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
