/**
 * Sends each simulation notice to whom it concerns: area notices to every client whose view
 * reaches the spot (batched per patch in the NoticeOutbox), personal ones to their player, and
 * the domain events some of them raise to the event bus. A portal notice starts the hand-over.
 */
import { EXIT_RADIUS_FACTOR } from "../src/game/world/interest.ts";
import type { SimNotice, ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { SchemaSync } from "../schema/to-schema.ts";
import { NoticeOutbox } from "./notice-outbox.ts";
import type { RoomServices } from "./room-services.ts";
import { noticeToWire, type WireNotice } from "./wire-ids.ts";
import type { SessionRegistry, ZoneSession } from "./zone-session.ts";

/** What the router needs from the room. */
export type NoticeHost = {
  readonly zoneId: string;
  readonly services: RoomServices;
  readonly sim: ZoneSimulation;
  readonly sync: SchemaSync;
  readonly sessions: SessionRegistry;
  /** Starts a portal hand-over of the session's character to (x, y) in `targetZone`. */
  transfer(session: ZoneSession, targetZone: string, x: number, y: number): void;
};

export class NoticeRouter {
  private readonly host: NoticeHost;
  private readonly outbox = new NoticeOutbox();

  constructor(host: NoticeHost) {
    this.host = host;
  }

  /** Sends one simulation notice to whom it concerns. */
  dispatch(notice: SimNotice): void {
    const { sim, sync, sessions, services } = this.host;
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
        this.sendNear(notice.x, notice.y, noticeToWire(notice, sync));
        return;
      case "leveledUp": {
        const wire = noticeToWire(notice, sync);
        const self = sessions.of(notice.characterId);
        const pos = sim.world.handleById.get(notice.characterId);
        if (pos !== undefined) {
          this.sendNear(sim.world.grid.xOf(pos), sim.world.grid.yOf(pos), wire);
        } else if (self) {
          // Not in the state (between rooms): it is still this session's own entity.
          this.outbox.add(self.client, { ...wire, entityId: self.client.sessionId });
        }
        services.events.publish("character.leveled", {
          characterId: notice.characterId,
          level: notice.level,
          previousLevel: notice.previousLevel,
        });
        return;
      }
      case "looted":
        sessions.of(notice.characterId)?.send(notice.type, notice);
        services.events.publish("item.looted", {
          characterId: notice.characterId,
          itemId: notice.itemId,
          quantity: notice.quantity,
          zone: this.host.zoneId,
        });
        return;
      case "portalEntered": {
        const session = sessions.of(notice.characterId);
        if (session) this.host.transfer(session, notice.targetZone, notice.x, notice.y);
        return;
      }
      case "questTurnedIn":
        sessions.of(notice.characterId)?.send(notice.type, notice);
        services.events.publish("quest.completed", {
          characterId: notice.characterId,
          questId: notice.questId,
        });
        return;
      default:
        sessions.of(notice.characterId)?.send(notice.type, noticeToWire(notice, sync));
    }
  }

  /** Sends every client its area notices of this tick. */
  flush(): void {
    this.outbox.flush();
  }

  /** Queues an area notice for every client whose view can reach (x, y). */
  private sendNear(x: number, y: number, notice: WireNotice): void {
    const { sim, sessions, services } = this.host;
    const r2 = (services.aoiRadius * EXIT_RADIUS_FACTOR) ** 2;
    const grid = sim.world.grid;
    for (const session of sessions.values()) {
      const h = sim.world.handleById.get(session.characterId);
      if (h === undefined) continue;
      const dx = grid.xOf(h) - x;
      const dy = grid.yOf(h) - y;
      if (dx * dx + dy * dy <= r2) this.outbox.add(session.client, notice);
    }
  }
}
