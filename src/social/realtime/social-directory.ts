/**
 * What the realtime layer asks of the persistent social services (friends/blocks, guilds,
 * characters). The composition root adapts the real services to it; tests can stub it.
 */
export type SocialDirectory = {
  /** The character with this name (case-insensitive), if any. */
  characterByName(name: string): Promise<{ id: string; name: string } | undefined>;
  /** True when `ownerId` blocks `otherId`. */
  isBlocked(ownerId: string, otherId: string): Promise<boolean>;
  blockedIdsOf(ownerId: string): Promise<readonly string[]>;
  /** The guild the character belongs to, if any. */
  guildOf(characterId: string): Promise<string | undefined>;
  /** Persists one guild chat line (kept for members who log in later). */
  appendGuildChat(guildId: string, fromId: string, fromName: string, text: string): Promise<void>;
};
