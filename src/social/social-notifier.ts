import type { GuildRank } from "../game/social/guild-rules.ts";

/** What happened to a guild; `by` is the acting character's id. */
export type GuildChange =
  | { kind: "created"; by: string }
  | { kind: "invited"; characterId: string; name: string; by: string }
  | { kind: "declined"; characterId: string; name: string }
  | { kind: "joined"; characterId: string; name: string }
  | { kind: "left"; characterId: string; name: string }
  | { kind: "kicked"; characterId: string; name: string; by: string }
  | { kind: "rankChanged"; characterId: string; name: string; rank: GuildRank; by: string }
  | { kind: "leaderChanged"; from: string; to: string; toName: string }
  | { kind: "disbanded"; by: string };

/**
 * Tells online players about guild changes, on every process. Called after the change committed.
 * `alsoNotify`: characters the change concerns who are not members any more or not yet (invited,
 * declined, joined, left, kicked, every member of a disbanded guild): rooms may not listen for
 * this guild on their behalf.
 */
export type GuildNotifier = {
  guildChanged(guildId: string, change: GuildChange, alsoNotify: readonly string[]): Promise<void>;
};

/** Tells the processes holding `ownerId` that their block list changed (caches must reload). */
export type SocialNotifier = {
  blocksChanged(ownerId: string): Promise<void>;
};

export const silentGuildNotifier: GuildNotifier = { guildChanged: async () => undefined };
export const silentSocialNotifier: SocialNotifier = { blocksChanged: async () => undefined };
