import { GuildRank, type GuildActor } from "./guild-rules.ts";

/** A member who may take over: rank and when they joined (epoch ms). */
export type GuildHeir = GuildActor & { readonly joinedAtMs: number };

/**
 * Who leads a guild whose leader is gone without handing over (the account was deleted): the
 * longest-serving officer, else the longest-serving member; ties go to the lower character id so
 * every process picks the same heir. Null: nobody is left and the guild disbands.
 */
export function pickGuildHeir(members: readonly GuildHeir[]): string | null {
  const ranked = members
    .filter((m) => m.rank !== GuildRank.LEADER)
    .sort(
      (a, b) =>
        Number(b.rank === GuildRank.OFFICER) - Number(a.rank === GuildRank.OFFICER) ||
        a.joinedAtMs - b.joinedAtMs ||
        (a.characterId < b.characterId ? -1 : a.characterId > b.characterId ? 1 : 0),
    );
  return ranked[0]?.characterId ?? null;
}
