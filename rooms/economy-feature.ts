/**
 * The room side of the economy (src/economy/character-mutation.ts): serves `economyCommit`
 * commands sent to this room by any process, committing them over the characters it holds.
 */
import type { Economy } from "../src/economy/character-mutation.ts";
import type { EconomyCommand, EconomyReply } from "../src/economy/room-link.ts";
import { handleRoomCommand } from "./room-commands.ts";
import type { FeatureHost, RoomFeatureFactory } from "./room-feature.ts";

async function serve(
  host: FeatureHost,
  economy: Economy,
  command: EconomyCommand,
): Promise<EconomyReply> {
  if (Date.now() > command.deadline) return { status: "expired" };
  for (const change of command.op.changes) {
    const id = change.characterId;
    if (command.alsoIds.includes(id)) continue;
    const session = host.session(id);
    if (!session || !host.sim.has(id)) return { status: "absent", characterId: id };
    if (session.handedOff) return { status: "handedOff", characterId: id };
  }
  const result = await economy.commitInRoom(host.sim, command.op, command.alsoIds);
  return { status: "done", result };
}

export function economyFeature(economy: Economy): RoomFeatureFactory {
  return (host) => {
    handleRoomCommand(host, "economyCommit", (command) => serve(host, economy, command));
    return {};
  };
}
