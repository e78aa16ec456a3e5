import type { Prisma } from "../../db/generated/client.ts";
import { EconomyRefused, type EconomyWorks } from "../../economy/economy-works.ts";
import { LedgerAccount } from "../../economy/ledger.service.ts";
import { netMovements } from "../../game/economy/character-change.ts";
import { GuildRank } from "../../game/social/guild-rules.ts";
import { guildsRepo } from "./guilds.repository.ts";

/** The economy work that writes a new guild in the transaction taking its fee. */
export const GUILD_CREATE_WORK = "guild.create";
/** Where guild fees go (they leave the economy). */
export const GUILD_FEE_SINK = LedgerAccount.sink("guild_fee");

/** Plain data: with an online founder the work runs in the process of the founder's room. */
export type GuildFounding = {
  guildId: string;
  founderId: string;
  name: string;
  nameKey: string;
  tag: string;
  tagKey: string;
};

/**
 * Writes the guild and its leader, refusing (with `refuse(code)`) a founder already in a guild
 * or a taken name or tag. Runs inside the transaction that takes the fee.
 */
export async function insertGuild(
  tx: Prisma.TransactionClient,
  f: GuildFounding,
  refuse: (code: "ALREADY_IN_GUILD" | "GUILD_NAME_TAKEN" | "GUILD_TAG_TAKEN") => Error,
): Promise<void> {
  if (await guildsRepo.memberOf(tx, f.founderId)) throw refuse("ALREADY_IN_GUILD");
  const taken = await guildsRepo.nameOrTagTaken(tx, f.nameKey, f.tagKey);
  if (taken.name) throw refuse("GUILD_NAME_TAKEN");
  if (taken.tag) throw refuse("GUILD_TAG_TAKEN");
  await guildsRepo.create(tx, {
    id: f.guildId,
    name: f.name,
    nameKey: f.nameKey,
    tag: f.tag,
    tagKey: f.tagKey,
    leaderId: f.founderId,
  });
  await guildsRepo.addMember(tx, f.guildId, f.founderId, GuildRank.LEADER);
  await guildsRepo.deleteInvitesOf(tx, f.founderId);
}

/** Registers GUILD_CREATE_WORK: the guild rows, and the fee booked to GUILD_FEE_SINK. */
export function defineGuildCreateWork(works: EconomyWorks): void {
  works.define(GUILD_CREATE_WORK, async (tx, raw, ctx) => {
    const f = raw as GuildFounding;
    await insertGuild(tx, f, (code) => new EconomyRefused(code, f.founderId));
    const outcome = ctx.outcomes.get(f.founderId);
    for (const m of outcome ? netMovements(outcome) : []) {
      ctx.addLegs({
        account: GUILD_FEE_SINK,
        itemId: m.itemId,
        delta: -m.delta,
        counterparty: f.founderId,
      });
    }
    return null;
  });
}
