/**
 * The seam through which social and economy features (chat, parties, guild notices, trade, ...)
 * plug into a zone room without growing ZoneRoom.ts. The composition root lists feature
 * factories in `RoomServices.features`; every zone and instance room builds one of each at
 * creation and calls them at the points below. A feature handles its own client messages,
 * validates them itself and answers refusals to the sender only (it never kicks).
 */
import type { Client } from "@colyseus/core";
import type { Logger } from "../src/logger.ts";
import type { ZoneContent } from "../src/game/world/zone-content.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { RoomServices } from "./room-services.ts";

/** A player's session as a feature sees it. */
export type FeatureSession = {
  /** The current socket (a reconnect replaces it). */
  readonly client: Client;
  readonly characterId: string;
  readonly accountId: string;
  /** The character's display name. */
  readonly name: string;
  /** True from a portal hand-over's start: the character now belongs to another room. */
  readonly handedOff: boolean;
  /** True while the socket is dropped and the room holds the session for a reconnect. */
  readonly dropped: boolean;
  /**
   * Sends to this player. While the socket is dropped, messages are held in order (bounded) and
   * delivered on reconnect.
   */
  send(type: string, payload: unknown): void;
};

/** What the room offers its features. */
export type FeatureHost = {
  readonly roomId: string;
  readonly roomName: string;
  readonly zone: ZoneContent;
  readonly services: RoomServices;
  readonly sim: ZoneSimulation;
  readonly log: Logger;
  session(characterId: string): FeatureSession | undefined;
  sessions(): Iterable<FeatureSession>;
  /** The character's current position in this room's world, if it is in it. */
  positionOf(characterId: string): { x: number; y: number } | undefined;
  /** A clock callback that the room cancels on dispose. */
  later(callback: () => void, ms: number): void;
  /**
   * Hands the character over to room `roomId` of this zone where it stands (a channel switch),
   * as a portal does; zone rooms offer it.
   */
  switchRoom?(characterId: string, roomId: string): Promise<void>;
};

/** A client message handled by a feature; `payload` is unvalidated. */
export type FeatureMessageHandler = (session: FeatureSession, payload: unknown) => void;

export type RoomFeature = {
  /** Client → server message types this feature owns (they must not clash with the room's). */
  readonly messages?: Readonly<Record<string, FeatureMessageHandler>>;
  /** After the player is in the world and has had `welcome`. */
  joined?(session: FeatureSession): void;
  /** The socket dropped; the room holds the session for a reconnect. */
  dropped?(session: FeatureSession): void;
  reconnected?(session: FeatureSession): void;
  /** A portal hand-over started: the character is leaving for `targetZone`. */
  handingOff?(session: FeatureSession, targetZone: string): void;
  /** The session is gone from this room (left, timed out, kicked or handed over). */
  left?(session: FeatureSession): void;
  /** Every simulation tick, after the step and the state sync. */
  tick?(tickCount: number): void;
  dispose?(): void | Promise<void>;
};

export type RoomFeatureFactory = (host: FeatureHost) => RoomFeature;
