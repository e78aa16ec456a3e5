/**
 * Portal hand-over of one character from a zone room to the room of another zone or instance, on
 * any process: save it there, release its lock, reserve a seat server-side with the player's auth
 * context, send the reservation. If any step fails the character stays where it stood, saved.
 * A channel switch is the same hand-over to another room (channel) of the same zone.
 */
import { CloseCode, matchMaker, type AuthContext, type Client } from "@colyseus/core";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import { GameError } from "../src/errors.ts";
import {
  inSpan,
  outsideTrace,
  roomSpanAttributes,
  traceOf,
  traceOptions,
} from "../src/infra/tracing.ts";
import type { Logger } from "../src/logger.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import { isChannelled, ZONE_ROOM } from "../src/zone/channel-directory.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { RoomServices } from "./room-services.ts";
import type { TransferTickets } from "./transfer-tickets.ts";

/** The client must consume the reservation within this time, or its old session is closed. */
export const HAND_OVER_GRACE_MS = 15_000;

/** A player's session as the hand-over sees it. */
export type TransferSession = {
  client: Client;
  readonly characterId: string;
  readonly accountId: string;
  readonly holder: string;
  /** Set once the character has been handed to another room: nothing more to save here. */
  handedOff: boolean;
  /**
   * The `transfer` message once a seat is reserved: a client that drops around the hand-over
   * gets it again when it reconnects (a message sent to a dropped socket is lost).
   */
  pendingTransfer?: { zone: string; reservation: unknown };
};

/** What the hand-over needs from the room it leaves. */
export type TransferHost<S extends TransferSession = TransferSession> = {
  readonly zoneId: string;
  readonly roomId: string;
  readonly roomName: string;
  readonly services: RoomServices;
  readonly tickets: TransferTickets;
  readonly sim: ZoneSimulation;
  readonly log: Logger;
  /** The record as this room saves it (instances keep the entry point, not the position). */
  persisted(record: PlayerRecord): PlayerRecord;
  /** Whether the session is still in the room. */
  holds(session: S): boolean;
  later(callback: () => void, ms: number): void;
  /** The seat in the target room is reserved: the character is leaving (features' hook). */
  handingOff?(session: S, targetZone: string): void;
};

/**
 * Hands `session`'s character to `targetZone` at (x, y), into room `roomId` when given (a
 * channel switch); see the module comment. Traced in the session's join trace, which the target
 * room's join continues.
 */
export function transferCharacter<S extends TransferSession>(
  host: TransferHost<S>,
  session: S,
  targetZone: string,
  x: number,
  y: number,
  roomId?: string,
): Promise<void> {
  return inSpan(
    `${host.roomName}.transfer`,
    {
      ...roomSpanAttributes(host.roomName, host.roomId, host.zoneId, session.characterId),
      "mmo.zone.target": targetZone,
    },
    traceOf(session),
    () => handOver(host, session, targetZone, x, y, roomId),
  );
}

/** Moves the character of `characterId` to room `roomId` of this zone, where it stands. */
export function switchRoom<S extends TransferSession>(
  host: TransferHost<S> & { sessions: { of(characterId: string): S | undefined } },
  characterId: string,
  roomId: string,
): Promise<void> {
  const session = host.sessions.of(characterId);
  const handle = host.sim.world.handleById.get(characterId);
  if (!session || session.handedOff || handle === undefined) return Promise.resolve();
  const { grid } = host.sim.world;
  return transferCharacter(host, session, host.zoneId, grid.xOf(handle), grid.yOf(handle), roomId);
}

async function handOver<S extends TransferSession>(
  host: TransferHost<S>,
  session: S,
  targetZone: string,
  x: number,
  y: number,
  roomId: string | undefined,
): Promise<void> {
  const { services, log } = host;
  const id = session.characterId;
  const started = performance.now();
  const record = host.sim.leave(id);
  if (!record) return;
  session.handedOff = true;
  const target = services.data.zones.get(targetZone);
  const moved: PlayerRecord = {
    ...record,
    character: { ...record.character, zone: targetZone, x, y },
  };
  try {
    if (!target) throw new GameError("UNKNOWN_ZONE", `unknown zone ${targetZone}`);
    const toSave = target.kind === "instance" ? host.persisted(record) : moved;
    await services.writer.flushAll();
    await services.progress.saveMany([toSave]);
    const group = target.kind === "instance" ? await instanceGroupOf(services, log, id) : undefined;
    const ticket = await host.tickets.issue(id, targetZone, group);
    await services.locks.release(id, session.holder);
    const token = await services.signer.signAccess(session.accountId);
    const options = { zone: targetZone, characterId: id, ticket, ...traceOptions() };
    const reservation = await outsideTrace(() =>
      reserveSeat(services, target, options, group, roomId, authContext(token)),
    );
    session.pendingTransfer = { zone: targetZone, reservation };
    host.handingOff?.(session, targetZone);
    session.client.send(ServerMessage.transfer, session.pendingTransfer);
    if (targetZone !== host.zoneId) {
      services.events.publish("player.zone_changed", {
        characterId: id,
        fromZone: host.zoneId,
        toZone: targetZone,
      });
    }
    log.info(
      { characterId: id, toZone: targetZone, ms: Math.round(performance.now() - started) },
      "transfer reserved",
    );
    host.later(() => {
      if (host.holds(session)) session.client.leave(CloseCode.CONSENTED, "transferred");
    }, HAND_OVER_GRACE_MS);
  } catch (error) {
    log.error(
      { err: error, characterId: id, toZone: targetZone },
      "transfer failed; keeping player here",
    );
    const action = roomId === undefined ? ClientMessage.portal : ClientMessage.switchChannel;
    await restoreAfterFailedTransfer(host, session, record, action);
  }
}

/**
 * The seat in the target: room `roomId` when named (a channel switch); an instance of the group
 * (shared by a party and by no one else: filtered by zone and group); a channel of an open zone
 * placed by the channel directory; or the zone's one room when channels are off.
 */
function reserveSeat(
  services: RoomServices,
  target: ZoneContent,
  options: { zone: string; characterId: string },
  group: string | undefined,
  roomId: string | undefined,
  auth: AuthContext,
) {
  if (roomId !== undefined) return matchMaker.joinById(roomId, options, auth);
  if (group !== undefined) return matchMaker.joinOrCreate("instance", { ...options, group }, auth);
  if (services.channels && isChannelled(target)) {
    return services.channels.reserve(target, options.characterId, options, auth);
  }
  return matchMaker.joinOrCreate(ZONE_ROOM, options, auth);
}

/**
 * The instance group the character enters with: its party's, from `instanceGroupOf`, or its own
 * id (a private instance) when it has none or the lookup fails.
 */
async function instanceGroupOf(
  services: RoomServices,
  log: Logger,
  characterId: string,
): Promise<string> {
  try {
    return (await services.instanceGroupOf?.(characterId)) ?? characterId;
  } catch (error) {
    log.warn({ err: error, characterId }, "instance group lookup failed; entering alone");
    return characterId;
  }
}

async function restoreAfterFailedTransfer<S extends TransferSession>(
  host: TransferHost<S>,
  session: S,
  record: PlayerRecord,
  action: string,
): Promise<void> {
  const { services } = host;
  const id = session.characterId;
  try {
    await services.progress.saveMany([host.persisted(record)]);
    const reacquired = await services.locks.acquire(id, session.holder);
    if (!reacquired && (await services.locks.holderOf(id)) !== session.holder) {
      // Someone else took the character meanwhile (it joined the target): this copy must go.
      session.client.leave(CloseCode.CONSENTED, "transferred");
      return;
    }
    const joined = host.sim.join(record);
    if (!joined.ok) throw new Error(joined.reason);
    session.handedOff = false;
    session.client.send(ServerMessage.refused, {
      characterId: id,
      action,
      reason: "transferFailed",
    });
  } catch (error) {
    host.log.error(
      { err: error, characterId: id },
      "could not restore player after failed transfer",
    );
    session.client.leave(CloseCode.WITH_ERROR, "transfer failed");
  }
}

function authContext(token: string): AuthContext {
  return { token, ip: undefined, headers: new Headers() };
}
