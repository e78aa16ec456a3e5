/**
 * Every presence pub/sub channel name, in one place. Presence is Redis when `REDIS_URL` is set
 * (so a publish reaches every process) and in-process otherwise.
 */
export const Channels = {
  /** Operator announcements: every zone room relays them to its players. */
  announcement: "mmo:announcement",
  /** World chat: every zone room listens. */
  world: "mmo:chat:world",
  /** One zone's channel: every room of that zone (any instance, any process) listens. */
  zone: (zoneId: string) => `mmo:zone:${zoneId}`,
  /** One character's personal channel: the room holding the character listens. */
  player: (characterId: string) => `mmo:player:${characterId}`,
  /** A party's channel: rooms holding one of its members listen. */
  party: (partyId: string) => `mmo:party:${partyId}`,
  /** A guild's channel: rooms holding one of its online members listen. */
  guild: (guildId: string) => `mmo:guild:${guildId}`,
  /** An account's mute or ban changed: every process drops its cached copy (src/admin/sanctions.ts). */
  sanctions: "mmo:sanctions",
  /** An account was deleted (its id): every process stops accepting its tokens (src/accounts). */
  accountDeleted: "mmo:account:deleted",
} as const;
