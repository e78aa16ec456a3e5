import type { SocialServices } from "../social-services.ts";

/**
 * What the realtime layer asks of the persistent social services (friends/blocks, guilds,
 * characters). `socialDirectory` adapts the real services; tests can stub it.
 */
export type SocialDirectory = {
  /** The character with this name (case-insensitive), if any. */
  characterByName(name: string): Promise<{ id: string; name: string } | undefined>;
  /** True when `ownerId` blocks `otherId`. */
  isBlocked(ownerId: string, otherId: string): Promise<boolean>;
  blockedIdsOf(ownerId: string): Promise<ReadonlySet<string>>;
  /** `ownerId`'s block list changed (on any process): forget what was remembered of it. */
  blocksChanged(ownerId: string): void;
  /** The guild the character belongs to, if any. */
  guildOf(characterId: string): Promise<string | undefined>;
  /** Persists one guild chat line (kept for members who log in later); throws when not a member. */
  appendGuildChat(guildId: string, fromId: string, fromName: string, text: string): Promise<void>;
};

export function socialDirectory(social: SocialServices): SocialDirectory {
  return {
    async characterByName(name) {
      return (await social.characters.byName(name)) ?? undefined;
    },
    isBlocked: (ownerId, otherId) => social.blocks.isBlocked(ownerId, otherId),
    blockedIdsOf: (ownerId) => social.blocks.blockedIdsOf(ownerId),
    blocksChanged: (ownerId) => social.blocks.forget(ownerId),
    async guildOf(characterId) {
      return (await social.guilds.membershipOf(characterId))?.guildId;
    },
    async appendGuildChat(guildId, fromId, fromName, text) {
      await social.guilds.appendChat(guildId, fromId, fromName, text);
    },
  };
}
