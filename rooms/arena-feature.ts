/**
 * The arena queue from inside a zone room: `arenaQueue { mode }` queues the sender (a party
 * leader queues the party for 2v2), `arenaLeave` takes it out. Answers `arenaQueued` with the
 * queue status, `arenaQueueLeft`, or `arenaRefused { code, message, type }` to the sender only.
 * The match itself arrives as `arenaMatchFound` on the player's personal channel.
 */
import { z } from "zod";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import { ARENA_MODES } from "../src/game/arena/match-rules.ts";
import { GameError } from "../src/errors.ts";
import type { ArenaQueueService } from "../src/arena/arena-queue.service.ts";
import type { FeatureSession, RoomFeatureFactory } from "./room-feature.ts";

const QueueMessage = z.strictObject({ mode: z.enum(ARENA_MODES) });

export function arenaFeature(queue: ArenaQueueService): RoomFeatureFactory {
  return (host) => {
    const refuse = (session: FeatureSession, type: string, error: unknown) => {
      if (error instanceof GameError) {
        session.send(ServerMessage.arenaRefused, {
          code: error.code,
          message: error.message,
          type,
        });
      } else {
        host.log.warn({ err: error, characterId: session.characterId }, "arena queue failed");
        session.send(ServerMessage.arenaRefused, {
          code: "UNAVAILABLE",
          message: "Try again later.",
          type,
        });
      }
    };
    return {
      messages: {
        [ClientMessage.arenaQueue](session, payload) {
          const parsed = QueueMessage.safeParse(payload);
          if (!parsed.success) {
            const message = parsed.error.issues
              .map((i) => `${i.path.join(".") || ClientMessage.arenaQueue}: ${i.message}`)
              .join("; ");
            session.send(ServerMessage.arenaRefused, {
              code: "INVALID_MESSAGE",
              message,
              type: ClientMessage.arenaQueue,
            });
            return;
          }
          queue.enqueue(session.accountId, session.characterId, parsed.data.mode).then(
            (status) => session.send(ServerMessage.arenaQueued, status),
            (error: unknown) => refuse(session, ClientMessage.arenaQueue, error),
          );
        },
        [ClientMessage.arenaLeave](session) {
          queue.leave(session.accountId, session.characterId).then(
            () => undefined, // arenaQueueLeft comes on the personal channel, to the whole party
            (error: unknown) => refuse(session, ClientMessage.arenaLeave, error),
          );
        },
      },
    };
  };
}
