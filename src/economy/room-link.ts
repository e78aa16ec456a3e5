/**
 * Economy commands to the room holding a character, on any process: a typed room command
 * (rooms/room-commands.ts) named `economyCommit`, served by rooms/economy-feature.ts.
 */
import { matchMaker } from "@colyseus/core";
import {
  ROOM_COMMAND_METHOD,
  type RoomCommandOf,
  type RoomCommandReply,
} from "../../rooms/room-commands.ts";
import type { EconomyOp, EconomyResult } from "./mutation-commit.ts";

export type EconomyCommand = {
  readonly op: EconomyOp;
  /** Characters of the operation the sender holds locked (offline): loaded in the transaction. */
  readonly alsoIds: readonly string[];
  /** Epoch ms after which the room must not start the commit (the sender stops waiting). */
  readonly deadline: number;
};

export type EconomyReply =
  | { readonly status: "done"; readonly result: EconomyResult }
  /** The room has no session for the character (left, or not joined yet). */
  | { readonly status: "absent"; readonly characterId: string }
  /** The character is crossing a portal out of the room. */
  | { readonly status: "handedOff"; readonly characterId: string }
  | { readonly status: "expired" };

declare module "../../rooms/room-commands.ts" {
  interface RoomCommandTypes {
    /** Commits an economy operation over characters the room holds (src/economy). */
    economyCommit: { command: EconomyCommand; result: EconomyReply };
  }
}

export const TIMED_OUT = "timeout" as const;

/**
 * Sends `op` to room `roomId`; resolves with its reply, or TIMED_OUT when the room did not answer
 * within `timeoutMs` (unknown outcome: the caller looks for the operation in the ledger). The
 * room does not start the commit after `startBy` (epoch ms).
 */
export async function sendToRoom(
  roomId: string,
  op: EconomyOp,
  alsoIds: readonly string[],
  startBy: number,
  timeoutMs: number,
): Promise<EconomyReply | typeof TIMED_OUT> {
  const command: RoomCommandOf<"economyCommit"> = {
    type: "economyCommit",
    op,
    alsoIds,
    deadline: startBy,
  };
  let reply: RoomCommandReply;
  try {
    // Not sendRoomCommand: it uses remoteRoomCall's default 2 s, shorter than a commit may take.
    reply = (await matchMaker.remoteRoomCall(
      roomId,
      ROOM_COMMAND_METHOD,
      [command],
      timeoutMs,
    )) as RoomCommandReply;
  } catch {
    return TIMED_OUT;
  }
  if (!reply?.handled) return { status: "absent", characterId: op.changes[0]?.characterId ?? "" };
  if ("error" in reply)
    throw new Error(`economy command failed in room ${roomId}: ${reply.error.message}`);
  return reply.result as EconomyReply;
}
