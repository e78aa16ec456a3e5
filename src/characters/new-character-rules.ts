import type { GameData } from "../content/load-game-data.ts";
import { deriveStats } from "../game/stats/stats.ts";
import type { NewCharacterRules } from "./characters.service.ts";

/** The zone every new character starts in. */
export const START_ZONE = "town";

/** Races, jobs, start position and level-1 vitals for new characters, from content. */
export function newCharacterRules(data: GameData, maxPerAccount: number): NewCharacterRules {
  const town = data.zones.get(START_ZONE);
  if (!town) throw new Error(`content/zones has no "${START_ZONE}" zone to start characters in`);
  return {
    races: [...data.content.races.keys()],
    jobs: [...data.content.jobs.keys()],
    maxPerAccount,
    start: { zone: town.id, x: town.spawn.x, y: town.spawn.y },
    startingVitals(raceId, jobId) {
      const race = data.content.races.get(raceId);
      const job = data.content.jobs.get(jobId);
      if (!race || !job) throw new Error(`unknown race ${raceId} or job ${jobId}`);
      const primary: Record<string, number> = { level: 1 };
      for (const [stat, value] of Object.entries(race.baseStats)) {
        primary[stat] = value + (job.baseStats[stat as keyof typeof job.baseStats] ?? 0);
      }
      const derived = deriveStats(primary, data.formulas);
      return { hp: Math.round(derived.hp_max ?? 1), mp: Math.round(derived.mp_max ?? 0) };
    },
  };
}
