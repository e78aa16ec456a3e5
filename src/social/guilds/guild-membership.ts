import { GameError } from "../../errors.ts";
import {
  checkGuildInvite,
  checkGuildKick,
  checkGuildLeave,
  demoteGuildMember,
  GUILD_INVITE_TTL_MS,
  GUILD_MAX_MEMBERS,
  GuildRank,
  promoteGuildMember,
  transferGuildLeadership,
  type GuildActor,
  type GuildRankResult,
} from "../../game/social/guild-rules.ts";
import type { CharacterRef } from "../characters-by-name.ts";
import { fieldError, isUniqueViolation } from "../social-errors.ts";
import type { GuildContext } from "./guilds.service.ts";
import type { GuildInviteView, GuildView } from "./guild-views.ts";
import { guildsRepo } from "./guilds.repository.ts";

/** Invitations, joining, leaving, kicks and rank changes. Every call acts as an owned character. */
export function createGuildMembership(ctx: GuildContext) {
  const { prisma, characters } = ctx.deps;

  /** The owned acting character and the named target (CHARACTER_NOT_FOUND when unknown). */
  async function actorAndTarget(accountId: string, characterId: string, name: string) {
    const actor = await characters.requireOwned(accountId, characterId);
    const target = await characters.byName(name);
    return { actor, target };
  }

  /** A rank change decided by `rule`, stored in order, announced once committed. */
  async function changeRanks(
    accountId: string,
    guildId: string,
    characterId: string,
    name: string,
    rule: (actor: GuildActor | null, target: GuildActor | null) => GuildRankResult,
  ): Promise<GuildView> {
    const { actor, target } = await actorAndTarget(accountId, characterId, name);
    const changes = await ctx.inGuild(guildId, async (tx) => {
      const by = await ctx.actorIn(tx, guildId, actor.id);
      const on = target ? await ctx.actorIn(tx, guildId, target.id) : null;
      const result = rule(by, on);
      ctx.assertAllowed(result);
      if (!result.ok) return [];
      for (const change of result.changes) {
        await guildsRepo.setRank(tx, change.characterId, change.rank);
        if (change.rank === GuildRank.LEADER) {
          await guildsRepo.setLeader(tx, guildId, change.characterId);
        }
      }
      return result.changes;
    });
    const newLeader = changes.find((c) => c.rank === GuildRank.LEADER);
    if (newLeader && target) {
      await ctx.notify(guildId, {
        kind: "leaderChanged",
        from: actor.id,
        to: target.id,
        toName: target.name,
      });
    } else if (target) {
      for (const c of changes) {
        await ctx.notify(guildId, {
          kind: "rankChanged",
          characterId: c.characterId,
          name: target.name,
          rank: c.rank,
          by: actor.id,
        });
      }
    }
    return ctx.view(guildId);
  }

  return {
    /** An officer or the leader invites a character by name, for GUILD_INVITE_TTL_MS. */
    async invite(
      accountId: string,
      guildId: string,
      characterId: string,
      name: string,
    ): Promise<GuildInviteView> {
      const { actor, target } = await actorAndTarget(accountId, characterId, name);
      if (!target) throw new GameError("CHARACTER_NOT_FOUND");
      if (target.id === actor.id) throw fieldError("name", "cannot be yourself");
      // Outside the transaction: on PGlite a query beside an open transaction waits for it.
      const blocked = await ctx.deps.isBlocked(target.id, actor.id);
      const { guild, expiresAt } = await ctx.inGuild(guildId, async (tx) => {
        ctx.assertAllowed(checkGuildInvite(await ctx.actorIn(tx, guildId, actor.id)));
        if (blocked) throw new GameError("BLOCKED");
        if (await guildsRepo.memberOf(tx, target.id)) throw new GameError("ALREADY_IN_GUILD");
        if ((await guildsRepo.countMembers(tx, guildId)) >= GUILD_MAX_MEMBERS) {
          throw new GameError("GUILD_FULL");
        }
        const open = await guildsRepo.invite(tx, guildId, target.id);
        if (open && open.expiresAt.getTime() > ctx.now()) {
          throw new GameError("GUILD_ALREADY_INVITED");
        }
        const until = new Date(ctx.now() + GUILD_INVITE_TTL_MS);
        const stored = await guildsRepo.putInvite(tx, guildId, target.id, actor.id, until);
        return { guild: (await guildsRepo.find(tx, guildId))!, expiresAt: stored.expiresAt };
      });
      await ctx.notify(
        guildId,
        { kind: "invited", characterId: target.id, name: target.name, by: actor.id },
        [target.id],
      );
      return inviteView(guild, target, expiresAt);
    },

    /** Open invitations of an owned character, newest first. */
    async invitesOf(accountId: string, characterId: string): Promise<GuildInviteView[]> {
      const invitee = await characters.requireOwned(accountId, characterId);
      const rows = await guildsRepo.invitesOf(prisma, invitee.id, new Date(ctx.now()));
      return rows.map((r) => inviteView(r.guild, invitee, r.expiresAt));
    },

    /** Joins as a member with an open invitation; other invitations of the character go. */
    async accept(accountId: string, guildId: string, characterId: string): Promise<GuildView> {
      const joiner = await characters.requireOwned(accountId, characterId);
      try {
        await ctx.inGuild(guildId, async (tx) => {
          const open = await guildsRepo.invite(tx, guildId, joiner.id);
          if (!open || open.expiresAt.getTime() <= ctx.now()) {
            throw new GameError("GUILD_INVITE_NOT_FOUND");
          }
          if (await guildsRepo.memberOf(tx, joiner.id)) throw new GameError("ALREADY_IN_GUILD");
          if ((await guildsRepo.countMembers(tx, guildId)) >= GUILD_MAX_MEMBERS) {
            throw new GameError("GUILD_FULL");
          }
          await guildsRepo.addMember(tx, guildId, joiner.id, GuildRank.MEMBER);
          await guildsRepo.deleteInvitesOf(tx, joiner.id);
        });
      } catch (error) {
        // Joined another guild meanwhile (the character is the member table's key).
        if (isUniqueViolation(error)) throw new GameError("ALREADY_IN_GUILD");
        throw error;
      }
      await ctx.notify(guildId, { kind: "joined", characterId: joiner.id, name: joiner.name }, [
        joiner.id,
      ]);
      return ctx.view(guildId);
    },

    async decline(accountId: string, guildId: string, characterId: string): Promise<void> {
      const invitee = await characters.requireOwned(accountId, characterId);
      const removed = await ctx.inGuild(guildId, (tx) =>
        guildsRepo.deleteInvite(tx, guildId, invitee.id),
      );
      if (removed === 0) throw new GameError("GUILD_INVITE_NOT_FOUND");
      await ctx.notify(guildId, { kind: "declined", characterId: invitee.id, name: invitee.name }, [
        invitee.id,
      ]);
    },

    /** Leaves the guild; the last member's leaving (the leader's) disbands it. */
    async leave(accountId: string, guildId: string, characterId: string): Promise<void> {
      const leaver = await characters.requireOwned(accountId, characterId);
      const disbanded = await ctx.inGuild(guildId, async (tx) => {
        const actor = await ctx.actorIn(tx, guildId, leaver.id);
        const result = checkGuildLeave(actor, await guildsRepo.countMembers(tx, guildId));
        ctx.assertAllowed(result);
        if (result.ok && result.disbands) await guildsRepo.delete(tx, guildId);
        else await guildsRepo.removeMember(tx, guildId, leaver.id);
        return result.ok && result.disbands;
      });
      const change = disbanded
        ? ({ kind: "disbanded", by: leaver.id } as const)
        : ({ kind: "left", characterId: leaver.id, name: leaver.name } as const);
      await ctx.notify(guildId, change, [leaver.id]);
    },

    /** An officer kicks a member, or the leader kicks anyone else. */
    async kick(
      accountId: string,
      guildId: string,
      characterId: string,
      name: string,
    ): Promise<GuildView> {
      const { actor, target } = await actorAndTarget(accountId, characterId, name);
      await ctx.inGuild(guildId, async (tx) => {
        const by = await ctx.actorIn(tx, guildId, actor.id);
        const on = target ? await ctx.actorIn(tx, guildId, target.id) : null;
        ctx.assertAllowed(checkGuildKick(by, on));
        await guildsRepo.removeMember(tx, guildId, target!.id);
      });
      await ctx.notify(
        guildId,
        { kind: "kicked", characterId: target!.id, name: target!.name, by: actor.id },
        [target!.id],
      );
      return ctx.view(guildId);
    },

    /** The leader makes a member an officer. */
    promote: (accountId: string, guildId: string, characterId: string, name: string) =>
      changeRanks(accountId, guildId, characterId, name, promoteGuildMember),

    /** The leader makes an officer a member. */
    demote: (accountId: string, guildId: string, characterId: string, name: string) =>
      changeRanks(accountId, guildId, characterId, name, demoteGuildMember),

    /** The leader hands leadership to another member and becomes an officer. */
    transfer: (accountId: string, guildId: string, characterId: string, name: string) =>
      changeRanks(accountId, guildId, characterId, name, transferGuildLeadership),
  };
}

function inviteView(
  guild: { id: string; name: string; tag: string },
  invitee: Pick<CharacterRef, "id" | "name">,
  expiresAt: Date,
): GuildInviteView {
  return {
    guildId: guild.id,
    guildName: guild.name,
    guildTag: guild.tag,
    characterId: invitee.id,
    name: invitee.name,
    expiresAt: expiresAt.toISOString(),
  };
}
