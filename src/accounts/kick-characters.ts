import { sendRoomCommand } from "../../rooms/room-commands.ts";
import type { Logger } from "../logger.ts";
import type { OnlinePlayers } from "../session/online-players.ts";
import type { KickCharacters } from "./account-deletion.ts";

/**
 * Kicks characters in whichever zone or instance room holds them, on any process (the rooms'
 * `kick` command, as operators use it). A room that cannot be reached is logged and skipped:
 * its character's account is gone, so it cannot join again anyway.
 */
export function kickCharactersOnline(online: OnlinePlayers, logger: Logger): KickCharacters {
  return async (characterIds, reason) => {
    const kicked = await Promise.all(
      characterIds.map(async (characterId) => {
        const player = await online.get(characterId);
        if (!player) return false;
        return sendRoomCommand(player.roomId, { type: "kick", characterId, reason }).catch(
          (error: unknown) => {
            logger.warn({ err: error, characterId, roomId: player.roomId }, "kick failed");
            return false;
          },
        );
      }),
    );
    return kicked.filter(Boolean).length;
  };
}
