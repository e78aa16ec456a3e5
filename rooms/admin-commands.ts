/** The operator commands every zone room handles (sent by src/admin/admin-api.ts). */
import { CloseCode } from "@colyseus/core";
import type { Logger } from "../src/logger.ts";
import type { RoomCommandHandlers } from "./room-commands.ts";
import type { SessionRegistry } from "./zone-session.ts";

export function registerAdminCommands(
  handlers: RoomCommandHandlers,
  room: { sessions: SessionRegistry; log: Logger },
): void {
  handlers.register("kick", ({ characterId, reason }) => {
    const session = room.sessions.of(characterId);
    if (!session) return false;
    room.log.warn({ characterId, reason }, "player kicked by an operator");
    session.client.leave(CloseCode.WITH_ERROR, reason);
    return true;
  });
}
