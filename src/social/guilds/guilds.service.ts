import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../db/database.ts";
import type { Prisma } from "../../db/generated/client.ts";
import { GameError } from "../../errors.ts";
import { validateChatText } from "../../game/social/chat-rules.ts";
import {
  checkGuildDisband,
  GUILD_CHAT_HISTORY,
  GUILD_CREATION_FEE_GOLD,
  GuildRefusal,
  validateGuildName,
  validateGuildTag,
  type GuildActor,
} from "../../game/social/guild-rules.ts";
import type { SocialCharacters } from "../characters-by-name.ts";
import type { OnlineLookup } from "../friends/friends.service.ts";
import { fieldError, isForeignKeyViolation, isUniqueViolation } from "../social-errors.ts";
import type { GuildChange, GuildNotifier } from "../social-notifier.ts";
import type { Economy } from "../../economy/character-mutation.ts";
import { economyError } from "../../economy/economy-errors.ts";
import { LedgerKind } from "../../economy/ledger.service.ts";
import { debitGuildFee } from "./guild-fee.ts";
import {
  defineGuildCreateWork,
  GUILD_CREATE_WORK,
  insertGuild,
  type GuildFounding,
} from "./guild-founding.ts";
import { createGuildMembership } from "./guild-membership.ts";
import {
  toGuildView,
  type GuildChatLine,
  type GuildMembership,
  type GuildSummary,
  type GuildView,
} from "./guild-views.ts";
import { guildsRepo } from "./guilds.repository.ts";

export const GUILD_SEARCH_LIMIT = 20;

export type GuildsDeps = {
  prisma: PrismaClient;
  characters: SocialCharacters;
  online: OnlineLookup;
  /** The character locks: a held lock means the character is in a room (its gold is there). */
  locks: { holderOf(characterId: string): Promise<string | null> };
  notifier: GuildNotifier;
  /** Whether `ownerId` blocks `otherId` (read from the database, not a cache). */
  isBlocked(ownerId: string, otherId: string): Promise<boolean>;
  feeGold?: number;
  /**
   * The economy's mutation service: when given, the fee is charged through it (ledger kind
   * guild_fee, online founders too, their room applies it). Without it the fee is debited here
   * and online founders are refused (CHARACTER_ONLINE).
   */
  economy?: Pick<Economy, "mutate" | "works">;
  now?: () => number;
  onNotifyError?: (error: unknown) => void;
  /** After gold was taken from a character of `accountId` (its cached character list must go). */
  onCharacterWritten?: (accountId: string) => Promise<void>;
};

/** What the guild operations share: transactions on a locked guild, checks, notifications. */
export type GuildContext = ReturnType<typeof createGuildContext>;

function createGuildContext(deps: GuildsDeps) {
  const { prisma, characters, online, notifier } = deps;
  return {
    deps,
    now: deps.now ?? Date.now,

    /** Runs `fn` in a transaction holding the guild's row lock: one change per guild at a time. */
    inGuild<T>(guildId: string, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
      return prisma.$transaction(async (tx) => {
        if (!(await guildsRepo.lock(tx, guildId))) throw new GameError("GUILD_NOT_FOUND");
        return fn(tx);
      });
    },

    /** The character's rank in this guild; null when not a member of it. */
    async actorIn(
      db: Prisma.TransactionClient,
      guildId: string,
      characterId: string,
    ): Promise<GuildActor | null> {
      const row = await guildsRepo.memberOf(db, characterId);
      return row && row.guildId === guildId ? { characterId, rank: row.rank } : null;
    },

    /** Throws the refusal as the API answers it; CANNOT_TARGET_SELF names the `name` field. */
    assertAllowed(result: { ok: true } | { ok: false; code: GuildRefusal }): void {
      if (result.ok) return;
      if (result.code === GuildRefusal.CANNOT_TARGET_SELF) {
        throw fieldError("name", "cannot be yourself");
      }
      throw new GameError(result.code);
    },

    async notify(guildId: string, change: GuildChange, alsoNotify: readonly string[] = []) {
      await notifier
        .guildChanged(guildId, change, alsoNotify)
        .catch((error: unknown) => deps.onNotifyError?.(error));
    },

    async view(guildId: string): Promise<GuildView> {
      const guild = await guildsRepo.find(prisma, guildId);
      if (!guild) throw new GameError("GUILD_NOT_FOUND");
      return toGuildView(guild, await guildsRepo.members(prisma, guildId), characters, online);
    },
  };
}

/** Guilds: creation (for gold), roster, search, membership changes, disbanding, chat history. */
export function createGuildsService(deps: GuildsDeps) {
  const { prisma, characters, locks } = deps;
  const ctx = createGuildContext(deps);
  const fee = deps.feeGold ?? GUILD_CREATION_FEE_GOLD;
  const economy = deps.economy;
  if (economy) defineGuildCreateWork(economy.works);

  /** Takes the fee and writes the guild in one transaction, wherever the founder is. */
  async function found(f: GuildFounding): Promise<void> {
    if (economy) {
      const result = await economy.mutate({
        kind: LedgerKind.GUILD_FEE,
        changes: [{ characterId: f.founderId, gold: -fee }],
        work: { name: GUILD_CREATE_WORK, args: f },
      });
      if (!result.ok) throw economyError(result.code);
      return;
    }
    // An online character's gold lives in its room, whose saves would undo the debit.
    if ((await locks.holderOf(f.founderId)) !== null) throw new GameError("CHARACTER_ONLINE");
    await prisma.$transaction(async (tx) => {
      // Refusals first: no gold is taken for a guild that cannot be.
      await insertGuild(tx, f, (code) => new GameError(code));
      await debitGuildFee(tx, f.founderId, fee);
    });
  }

  async function membershipOf(characterId: string): Promise<GuildMembership | null> {
    const row = await guildsRepo.memberOf(prisma, characterId);
    if (!row) return null;
    const guild = await guildsRepo.find(prisma, row.guildId);
    return guild ? { guildId: guild.id, name: guild.name, tag: guild.tag, rank: row.rank } : null;
  }

  /** The refusal a lost race (unique violation) stands for. */
  async function whyTaken(founderId: string, nameKey: string, tagKey: string) {
    if (await guildsRepo.memberOf(prisma, founderId)) return new GameError("ALREADY_IN_GUILD");
    const taken = await guildsRepo.nameOrTagTaken(prisma, nameKey, tagKey);
    if (taken.name) return new GameError("GUILD_NAME_TAKEN");
    if (taken.tag) return new GameError("GUILD_TAG_TAKEN");
    return undefined;
  }

  return {
    ...createGuildMembership(ctx),

    /** Founds a guild led by the character, which pays the fee in the transaction writing it. */
    async create(
      accountId: string,
      input: { characterId: string; name: string; tag: string },
    ): Promise<GuildView> {
      const founder = await characters.requireOwned(accountId, input.characterId);
      const name = validateGuildName(input.name);
      if (!name.ok) throw fieldError("name", "must be 3-24 letters, digits or single spaces");
      const tag = validateGuildTag(input.tag);
      if (!tag.ok) throw fieldError("tag", "must be 2-5 letters or digits");
      const id = randomUUID();
      try {
        await found({
          guildId: id,
          founderId: founder.id,
          name: name.name,
          nameKey: name.key,
          tag: tag.name,
          tagKey: tag.key,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw (await whyTaken(founder.id, name.key, tag.key)) ?? error;
        throw error;
      }
      await deps.onCharacterWritten?.(founder.accountId).catch(() => undefined);
      await ctx.notify(id, { kind: "created", by: founder.id }, [founder.id]);
      return ctx.view(id);
    },

    /** The guild and its roster (ranks, levels, online state). */
    get: (guildId: string): Promise<GuildView> => ctx.view(guildId),

    /** Up to 20 guilds whose name starts with `prefix` (any case), by name. */
    async search(prefix: string): Promise<GuildSummary[]> {
      const rows = await guildsRepo.searchByName(prisma, prefix.toLowerCase(), GUILD_SEARCH_LIMIT);
      return rows.map((g) => ({ id: g.id, name: g.name, tag: g.tag, memberCount: g.memberCount }));
    },

    /** The owned character's guild; GUILD_NOT_FOUND when it has none. */
    async mine(accountId: string, characterId: string): Promise<GuildMembership> {
      await characters.requireOwned(accountId, characterId);
      const membership = await membershipOf(characterId);
      if (!membership) throw new GameError("GUILD_NOT_FOUND");
      return membership;
    },

    /** The leader dissolves the guild: members, invitations and chat go with it. */
    async disband(accountId: string, guildId: string, characterId: string): Promise<void> {
      const leader = await characters.requireOwned(accountId, characterId);
      const formerMembers = await ctx.inGuild(guildId, async (tx) => {
        ctx.assertAllowed(checkGuildDisband(await ctx.actorIn(tx, guildId, leader.id)));
        const members = await guildsRepo.members(tx, guildId);
        await guildsRepo.delete(tx, guildId);
        return members.map((m) => m.characterId);
      });
      await ctx.notify(guildId, { kind: "disbanded", by: leader.id }, formerMembers);
    },

    /** The newest 100 chat lines, oldest first; members only. */
    async chatHistory(
      accountId: string,
      guildId: string,
      characterId: string,
    ): Promise<GuildChatLine[]> {
      const reader = await characters.requireOwned(accountId, characterId);
      if (!(await guildsRepo.find(prisma, guildId))) throw new GameError("GUILD_NOT_FOUND");
      if (!(await ctx.actorIn(prisma, guildId, reader.id))) throw new GameError("NOT_IN_GUILD");
      const rows = await guildsRepo.recentMessages(prisma, guildId, GUILD_CHAT_HISTORY);
      return rows.map((r) => ({
        id: r.id.toString(),
        fromId: r.fromId,
        fromName: r.fromName,
        text: r.text,
        at: r.createdAt.toISOString(),
      }));
    },

    // For the realtime side (chat, presence): no owner checks, the caller holds the session.

    /** The character's guild and rank; null when in none. */
    membershipOf,

    /** Ids of every member of the guild (empty when there is no such guild). */
    async memberIds(guildId: string): Promise<string[]> {
      return (await guildsRepo.members(prisma, guildId)).map((m) => m.characterId);
    },

    /**
     * Stores a guild chat line from a member (history keeps the newest 100). `text` is checked
     * with validateChatText; refused: VALIDATION_FAILED, NOT_IN_GUILD, GUILD_NOT_FOUND.
     */
    async appendChat(
      guildId: string,
      fromId: string,
      fromName: string,
      text: string,
    ): Promise<{ at: number }> {
      const checked = validateChatText(text);
      if (!checked.ok) throw fieldError("text", "is not a valid chat text");
      try {
        const created = await prisma.$transaction(async (tx) => {
          const member = await guildsRepo.memberOf(tx, fromId);
          if (member?.guildId !== guildId) throw new GameError("NOT_IN_GUILD");
          return guildsRepo.appendMessage(tx, { guildId, fromId, fromName, text: checked.text });
        });
        return { at: created.createdAt.getTime() };
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new GameError("GUILD_NOT_FOUND");
        throw error;
      }
    },
  };
}

export type GuildsService = ReturnType<typeof createGuildsService>;
