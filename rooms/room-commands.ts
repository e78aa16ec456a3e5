/**
 * Typed commands to one zone or instance room, on whichever process hosts it: the admin API's
 * kick and item grant, and whatever features add (a mail claim or guild fee applied to an online
 * character's in-memory copy). A command is a plain object with a `type`; the room runs the
 * handler registered for that type and answers a plain reply, since the call may cross
 * processes through presence (matchMaker.remoteRoomCall turns a remote throw into a timeout
 * error, so refusals travel as values and are rethrown here as GameErrors).
 *
 * A feature adds a command type by augmenting RoomCommandTypes and registering its handler
 * from its factory:
 *
 *   declare module "../../rooms/room-commands.ts" {
 *     interface RoomCommandTypes {
 *       claimMail: { command: { characterId: string; mailId: string }; result: { ok: boolean } };
 *     }
 *   }
 *   const mailFeature: RoomFeatureFactory = (host) => {
 *     handleRoomCommand(host, "claimMail", (command) => ({ ok: true }));
 *     return {};
 *   };
 *   await sendRoomCommand(roomId, { type: "claimMail", characterId, mailId });
 */
import { matchMaker } from "@colyseus/core";
import { ErrorCode, GameError } from "../src/errors.ts";
import type { Logger } from "../src/logger.ts";
import type { FeatureHost } from "./room-feature.ts";

/** Every room command type: the command's fields besides `type`, and the handler's result. */
export interface RoomCommandTypes {
  /** Disconnects the character with no reconnection; false when it is not in the room. */
  kick: { command: { characterId: string; reason: string }; result: boolean };
}

export type RoomCommandType = keyof RoomCommandTypes;
export type RoomCommandOf<K extends RoomCommandType> = { type: K } & RoomCommandTypes[K]["command"];
/** One command of any registered type. */
export type RoomCommand = { [K in RoomCommandType]: RoomCommandOf<K> }[RoomCommandType];
export type RoomCommandResult<K extends RoomCommandType> = RoomCommandTypes[K]["result"];
export type RoomCommandHandler<K extends RoomCommandType> = (
  command: RoomCommandOf<K>,
) => RoomCommandResult<K> | Promise<RoomCommandResult<K>>;

/** The one room method remote commands call. */
export const ROOM_COMMAND_METHOD = "runCommand";

/** A room's answer to a command: plain JSON, as it may cross processes. */
export type RoomCommandReply =
  | { handled: true; result: unknown }
  | { handled: true; error: { code: ErrorCode; message: string } }
  | { handled: false };

type AnyHandler = (command: never) => unknown;

/** One room's command handlers, by command type. */
export class RoomCommandHandlers {
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  register<K extends RoomCommandType>(type: K, handler: RoomCommandHandler<K>): void {
    if (this.handlers.has(type)) throw new Error(`room command "${type}" is handled twice`);
    this.handlers.set(type, handler as AnyHandler);
  }

  /** Runs the handler of `command.type`; a GameError it throws comes back as an error reply. */
  async run(command: unknown): Promise<RoomCommandReply> {
    const type = (command as { type?: unknown } | null)?.type;
    const handler = typeof type === "string" ? this.handlers.get(type) : undefined;
    if (!handler) return { handled: false };
    try {
      return { handled: true, result: await handler(command as never) };
    } catch (error) {
      if (error instanceof GameError) {
        return { handled: true, error: { code: error.code, message: error.message } };
      }
      this.log.error({ err: error, command: type }, "room command failed");
      return { handled: true, error: { code: "INTERNAL", message: ErrorCode.INTERNAL.message } };
    }
  }
}

/**
 * Sends `command` to room `roomId` on any process and returns its handler's result. Throws the
 * handler's GameError, or INTERNAL when the room has no handler for the type.
 */
export async function sendRoomCommand<C extends RoomCommand>(
  roomId: string,
  command: C,
): Promise<RoomCommandResult<C["type"]>> {
  const reply = (await matchMaker.remoteRoomCall(roomId, ROOM_COMMAND_METHOD, [
    command,
  ])) as RoomCommandReply;
  if (!reply?.handled) {
    throw new GameError("INTERNAL", `room ${roomId} does not handle "${command.type}" commands`);
  }
  if ("error" in reply) throw new GameError(reply.error.code, reply.error.message);
  return reply.result as RoomCommandResult<C["type"]>;
}

const handlersOfHost = new WeakMap<FeatureHost, RoomCommandHandlers>();

/** Called by the room when it builds a feature host: features register commands through it. */
export function attachRoomCommands(host: FeatureHost, handlers: RoomCommandHandlers): void {
  handlersOfHost.set(host, handlers);
}

/** Registers a feature's handler for a command type in the room behind `host`. */
export function handleRoomCommand<K extends RoomCommandType>(
  host: FeatureHost,
  type: K,
  handler: RoomCommandHandler<K>,
): void {
  const handlers = handlersOfHost.get(host);
  if (!handlers) throw new Error("handleRoomCommand: not a zone room's feature host");
  handlers.register(type, handler);
}
