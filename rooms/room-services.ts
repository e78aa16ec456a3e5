import type { Presence } from "@colyseus/core";
import type { RoomFeatureFactory } from "./room-feature.ts";
import type { TokenSigner } from "../src/accounts/tokens.ts";
import type { GameData } from "../src/content/load-game-data.ts";
import type { EventBus } from "../src/events/event-bus.ts";
import type { Logger } from "../src/logger.ts";
import type { Economy } from "../src/economy/character-mutation.ts";
import type { CharacterLocks } from "../src/session/character-lock.ts";
import type { OnlinePlayers } from "../src/session/online-players.ts";
import type { SocialServices } from "../src/social/social-services.ts";
import type { ArenaServices } from "../src/arena/arena-services.ts";
import type { Sanctions } from "../src/admin/sanctions.ts";
import type { ChannelDirectory } from "../src/zone/channel-directory.ts";
import type { PlayerRecord, ProgressStore } from "../src/session/player-record.ts";
import type { WriteBehind } from "../src/session/write-behind.ts";

/** Optional hooks for metrics; rooms call them on their hot path, so they must be cheap. */
export type RoomObserver = {
  stepSeconds?(roomType: string, seconds: number): void;
  messageRejected?(type: string, reason: string): void;
  messageReceived?(type: string): void;
  bytesSent?(roomType: string, bytes: number): void;
};

/** What rooms need from the rest of the server; Colyseus builds rooms, so they look it up here. */
export type RoomServices = {
  data: GameData;
  signer: TokenSigner;
  progress: ProgressStore;
  writer: WriteBehind<PlayerRecord>;
  locks: CharacterLocks;
  online: OnlinePlayers;
  presence: Presence;
  events: EventBus;
  logger: Logger;
  observer?: RoomObserver;
  /** Area-of-interest radius in world units. */
  aoiRadius: number;
  /** Time between state patches in zone rooms (ZONE_PATCH_HZ); absent: PATCH_RATE_MS. */
  patchRateMs?: number;
  /** Gold and item movements (src/economy): features commit through `economy.commitInRoom`. */
  economy?: Economy;
  /** Friends, blocks, guilds (src/social/social-services.ts): block checks, guild membership and chat. */
  social?: SocialServices;
  /** Rated arena: queue, ratings (src/arena/arena-services.ts); arena rooms record matches through it. */
  arena?: ArenaServices;
  /** Operators' bans (refused at join) and mutes (src/admin/sanctions.ts). */
  sanctions?: Sanctions;
  /**
   * Zone channels (src/zone/channel-directory.ts): open-world zone rooms take a channel number
   * and seat up to the channel's hard capacity; joins and portal arrivals are placed by it.
   * Unset: one room per zone, seating the zone's maxPlayers.
   */
  channels?: ChannelDirectory;
  /** Features every zone and instance room builds (chat, parties, trade, ...); see room-feature.ts. */
  features?: readonly RoomFeatureFactory[];
  /**
   * The instance group a character enters a dungeon with (its party's id): characters of one
   * group share an instance, no one else enters it. Unset or undefined: the character's own id.
   */
  instanceGroupOf?(characterId: string): Promise<string | undefined>;
};

let current: RoomServices | undefined;

export function setRoomServices(services: RoomServices | undefined): void {
  current = services;
}

export function roomServices(): RoomServices {
  if (!current) throw new Error("room services are not set: start rooms through startServer()");
  return current;
}
