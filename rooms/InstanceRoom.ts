import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import { ZoneRoom } from "./ZoneRoom.ts";

/**
 * A private dungeon, created on demand when a character steps through a portal into an instance
 * zone and disposed when the last player leaves. It belongs to one group (a party, or a lone
 * character): only ticket holders of that group (handed over by a portal) get in. A character who logs out inside is saved outside, at the dungeon's exit.
 */
export class InstanceRoom extends ZoneRoom {
  protected override acceptsZone(zone: ZoneContent): boolean {
    return zone.kind === "instance";
  }

  protected override admitsWithoutTicket(): boolean {
    return false;
  }

  /** Set by the portal hand-over: the party (or the lone character) the instance belongs to. */
  protected override groupFrom(options: { group?: unknown }): string | undefined {
    return typeof options.group === "string" ? options.group : undefined;
  }

  protected override persisted(record: PlayerRecord): PlayerRecord {
    const exit = this.zone.portals[0];
    if (!exit) return record;
    return {
      ...record,
      character: { ...record.character, zone: exit.targetZone, x: exit.targetX, y: exit.targetY },
    };
  }
}
