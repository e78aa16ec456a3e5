import type { Express } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import type { PrismaClient } from "../db/database.ts";
import type { Economy } from "../economy/character-mutation.ts";
import { createSocialCharacters, type SocialCharacters } from "./characters-by-name.ts";
import { createBlocksService, type BlocksService } from "./friends/blocks.service.ts";
import { friendsRoutes } from "./friends/friends.routes.ts";
import {
  createFriendsService,
  type FriendsService,
  type OnlineLookup,
} from "./friends/friends.service.ts";
import { socialLists } from "./friends/social-lists.repository.ts";
import { characterGuildRoutes, guildRoutes } from "./guilds/guilds.routes.ts";
import { createGuildsService, type GuildsService } from "./guilds/guilds.service.ts";
import type { GuildNotifier, SocialNotifier } from "./social-notifier.ts";

/**
 * The social layer's services. Rooms reach them as `RoomServices.social`:
 * - `characters.byName(name)` → `{ id, name, accountId, level } | null` (any case)
 * - `blocks.isBlocked(ownerId, otherId)`, `blocks.blockedIdsOf(ownerId)` (cached a few seconds;
 *   call `blocks.forget(ownerId)` on hearing `blocksChanged` for a character held here)
 * - `guilds.membershipOf(characterId)` → `{ guildId, name, tag, rank } | null`,
 *   `guilds.memberIds(guildId)`, `guilds.appendChat(guildId, fromId, fromName, text)` → `{ at }`
 */
export type SocialServices = {
  characters: SocialCharacters;
  friends: FriendsService;
  blocks: BlocksService;
  guilds: GuildsService;
};

export type SocialServicesDeps = {
  prisma: PrismaClient;
  online: OnlineLookup;
  locks: { holderOf(characterId: string): Promise<string | null> };
  guildNotifier: GuildNotifier;
  socialNotifier: SocialNotifier;
  /** Gold a guild's founder pays (default GUILD_CREATION_FEE_GOLD). */
  guildFeeGold?: number;
  /** Charges the guild fee (online founders too); without it only offline founders can pay. */
  economy?: Pick<Economy, "mutate" | "works">;
  onNotifyError?: (error: unknown) => void;
  /** After a character's row changed here (gold): e.g. drop the account's cached list. */
  onCharacterWritten?: (accountId: string) => Promise<void>;
};

/** What the composition root gives buildHttpApp for the social layer (it adds the rest). */
export type SocialOptions = Omit<
  SocialServicesDeps,
  "prisma" | "onNotifyError" | "onCharacterWritten"
>;

export function createSocialServices(deps: SocialServicesDeps): SocialServices {
  const { prisma, online } = deps;
  const characters = createSocialCharacters(prisma);
  const blocks = createBlocksService({
    prisma,
    characters,
    notifier: deps.socialNotifier,
    onNotifyError: deps.onNotifyError,
  });
  const friends = createFriendsService({ prisma, characters, blocks, online });
  const guilds = createGuildsService({
    prisma,
    characters,
    online,
    locks: deps.locks,
    notifier: deps.guildNotifier,
    isBlocked: (ownerId, otherId) => socialLists.isBlocked(prisma, ownerId, otherId),
    feeGold: deps.guildFeeGold,
    economy: deps.economy,
    onNotifyError: deps.onNotifyError,
    onCharacterWritten: deps.onCharacterWritten,
  });
  return { characters, friends, blocks, guilds };
}

/** Mounts the social REST routes: /v1/characters/:id/{friends,blocks,guild,guild-invites}, /v1/guilds. */
export function mountSocialRoutes(app: Express, social: SocialServices, signer: TokenSigner): void {
  app.use("/v1/characters", friendsRoutes(social.friends, social.blocks, signer));
  app.use("/v1/characters", characterGuildRoutes(social.guilds, signer));
  app.use("/v1/guilds", guildRoutes(social.guilds, signer));
}
