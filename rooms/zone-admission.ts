/**
 * Who gets into a zone room and how a dropped player comes back: the token and ownership check
 * (onAuth, in whichever process reserves the seat), the room's own admission (character lock,
 * load, transfer ticket, a place in the simulation; undone step by step when a later one
 * fails), and how long a dropped socket is held for a reconnect.
 */
import { CloseCode, type Client } from "@colyseus/core";
import { z } from "zod";
import { describeSanction } from "../src/admin/sanctions.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { Logger } from "../src/logger.ts";
import type { PlayerEntity } from "../src/game/world/world-types.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import { refusal } from "./room-refusals.ts";
import type { RoomServices } from "./room-services.ts";
import type { TransferTickets } from "./transfer-tickets.ts";
import { HAND_OVER_GRACE_MS } from "./zone-transfer.ts";
import type { ZoneSession } from "./zone-session.ts";

/** Seconds a dropped client keeps its character in the world. */
export const RECONNECT_WINDOW_SEC = 20;

/** `traceparent`: set by the server where the seat is reserved (src/infra/tracing.ts). */
export type ZoneJoinOptions = { characterId?: unknown; ticket?: unknown; traceparent?: unknown };
export type ZoneAuth = { accountId: string; characterId: string };

const CharacterIdOption = z.uuid();

/** Refuses ACCOUNT_BANNED, with the ban's reason and end, when an operator banned the account. */
export async function assertNotBanned(services: RoomServices, accountId: string): Promise<void> {
  const ban = await services.sanctions?.banOf(accountId);
  if (ban) throw refusal("ACCOUNT_BANNED", describeSanction(ban));
}

/**
 * Checks the access token, the account's standing and that the character belongs to the account; runs when a seat is
 * reserved (HTTP matchmaking, or server-side with an auth context), in any process.
 */
export async function authenticateJoin(
  services: RoomServices,
  token: string,
  options: ZoneJoinOptions,
): Promise<ZoneAuth> {
  let accountId: string;
  try {
    accountId = (await services.signer.verifyAccess(token ?? "")).accountId;
  } catch {
    throw refusal("INVALID_TOKEN", "invalid or expired access token");
  }
  await assertNotBanned(services, accountId);
  const characterId = CharacterIdOption.safeParse(options.characterId);
  if (!characterId.success) throw refusal("VALIDATION_FAILED", "characterId must be a uuid");
  const record = await services.progress.load(characterId.data);
  if (!record || record.character.accountId !== accountId) {
    throw refusal("CHARACTER_NOT_FOUND", "character not found");
  }
  if (await services.locks.holderOf(characterId.data)) {
    throw refusal("CHARACTER_ONLINE", "character is already online");
  }
  return { accountId, characterId: characterId.data };
}

/** What admission needs from the room. */
export type AdmissionHost = {
  readonly roomId: string;
  readonly zone: ZoneContent;
  readonly services: RoomServices;
  readonly tickets: TransferTickets;
  readonly sim: ZoneSimulation;
  /** The instance group the room is private to: tickets must name it. */
  readonly group: string | undefined;
  /** Zones admit characters saved in them; instances only admit ticket holders. */
  admitsWithoutTicket(record: PlayerRecord): boolean;
};

export type Admitted = { record: PlayerRecord; entity: PlayerEntity; holder: string };

/**
 * Locks the character for this session, loads it, checks it may enter (saved here, or a transfer
 * ticket) and puts it into the simulation. On a refusal nothing is left held.
 */
export async function admitCharacter(
  host: AdmissionHost,
  client: Client,
  options: ZoneJoinOptions,
  auth: ZoneAuth,
): Promise<Admitted> {
  const { services, zone } = host;
  const characterId = auth.characterId;
  const holder = `${host.roomId}/${client.sessionId}`;
  if (!(await services.locks.acquire(characterId, holder))) {
    throw refusal("CHARACTER_ONLINE", "character is already online");
  }
  let record: PlayerRecord | null;
  try {
    record = await services.progress.load(characterId);
    if (!record || record.character.accountId !== auth.accountId) {
      throw refusal("CHARACTER_NOT_FOUND", "character not found");
    }
    const ticketed =
      typeof options.ticket === "string" &&
      (await host.tickets.redeem(options.ticket, characterId, zone.id, host.group));
    if (!ticketed && !host.admitsWithoutTicket(record)) {
      throw refusal(
        "CHARACTER_ELSEWHERE",
        `character is in zone "${record.character.zone}", not "${zone.id}"`,
      );
    }
  } catch (error) {
    await services.locks.release(characterId, holder);
    throw error;
  }
  const joined = host.sim.join(record);
  if (!joined.ok) {
    await services.locks.release(characterId, holder);
    throw joined.reason === "zoneFull"
      ? refusal("ZONE_FULL", "zone is full")
      : refusal("CHARACTER_ONLINE", "character is already here");
  }
  return { record, entity: joined.entity, holder };
}

/** Tells the rest of the server a player is in: the event bus and the online list. */
export function announceJoined(
  host: AdmissionHost & { readonly log: Logger },
  session: ZoneSession,
): void {
  const { services, zone, roomId } = host;
  const characterId = session.characterId;
  services.events.publish("player.joined", { characterId, zone: zone.id, roomId });
  void services.online.add({
    characterId,
    accountId: session.accountId,
    name: session.name,
    zone: zone.id,
    roomId,
    since: new Date().toISOString(),
  });
  host.log.info({ characterId }, "player joined");
}

/**
 * How long to hold a dropped socket's session for a reconnect, in seconds; undefined when the
 * drop ends the session (a kick, a consented leave, or an unknown socket).
 */
export function reconnectWindowSecOf(
  session: ZoneSession | undefined,
  code: number | undefined,
): number | undefined {
  if (!session || code === CloseCode.WITH_ERROR || code === CloseCode.CONSENTED) return undefined;
  // Dropped around a portal hand-over: hold the session so the client can come back for its
  // reservation (the reconnect sends it again), or a lost `transfer` strands it.
  if (session.handedOff) return HAND_OVER_GRACE_MS / 1000;
  return RECONNECT_WINDOW_SEC;
}
