/**
 * The operator commands every zone room handles (sent by src/admin/operator-actions.ts from any
 * process): kick, teleport, and news of a changed mute.
 */
import { CloseCode } from "@colyseus/core";
import { ServerMessage } from "../clients/js/message-names.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { Logger } from "../src/logger.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { RoomCommandHandlers } from "./room-commands.ts";
import type { RoomServices } from "./room-services.ts";
import type { SessionRegistry } from "./zone-session.ts";

/** A mute as its player is told of it: `until` is an ISO time, null until lifted. */
export type MuteNotice = { reason: string; until: string | null };

declare module "./room-commands.ts" {
  interface RoomCommandTypes {
    /**
     * Moves the character to (x, y) of `zone`: at once within this room's zone, through a
     * portal hand-over to another. False when it is not here (or leaving, or the spot is blocked).
     */
    teleport: {
      command: { characterId: string; zone: string; x: number; y: number };
      result: false | "moved" | "transferring";
    };
    /**
     * The account's mute changed: this process forgets its cached copy and the character is told
     * (`muted` with the notice, or `unmuted`). False when the character is not here.
     */
    muteChanged: {
      command: { characterId: string; accountId: string; mute: MuteNotice | null };
      result: boolean;
    };
  }
}

export function registerAdminCommands(
  handlers: RoomCommandHandlers,
  room: {
    sessions: SessionRegistry;
    log: Logger;
    sim: ZoneSimulation;
    zone: ZoneContent;
    services: RoomServices;
  },
): void {
  handlers.register("kick", ({ characterId, reason }) => {
    const session = room.sessions.of(characterId);
    if (!session) return false;
    // Operators and account deletion (src/accounts) send it; the reason says which.
    room.log.warn({ characterId, reason }, "player kicked");
    session.client.leave(CloseCode.WITH_ERROR, reason);
    return true;
  });

  handlers.register("teleport", ({ characterId, zone, x, y }) => {
    const session = room.sessions.of(characterId);
    if (!session || session.handedOff) return false;
    room.log.info({ characterId, toZone: zone, x, y }, "player teleported by an operator");
    if (zone !== room.zone.id) {
      room.sim.sendOut(characterId, zone, x, y);
      return "transferring";
    }
    return room.sim.teleport(characterId, x, y) ? "moved" : false;
  });

  handlers.register("muteChanged", ({ characterId, accountId, mute }) => {
    room.services.sanctions?.forget(accountId);
    const session = room.sessions.of(characterId);
    if (!session) return false;
    if (mute) session.send(ServerMessage.muted, mute);
    else session.send(ServerMessage.unmuted, {});
    return true;
  });
}
