import type { z } from "zod";
import type { ContentError } from "./content-error.ts";
import type { jobsFileSchema } from "./jobs.ts";
import { ItemType, type itemsFileSchema } from "./items.ts";
import type { levelingFileSchema } from "./leveling.ts";
import type { lootFileSchema } from "./loot.ts";
import type { mobsFileSchema } from "./mobs.ts";
import { ObjectiveType, type questsFileSchema } from "./quests.ts";
import type { racesFileSchema } from "./races.ts";
import type { skillsFileSchema } from "./skills.ts";

/** Every file after its schema passed. */
export type ParsedFiles = {
  races: z.infer<typeof racesFileSchema>;
  jobs: z.infer<typeof jobsFileSchema>;
  skills: z.infer<typeof skillsFileSchema>;
  items: z.infer<typeof itemsFileSchema>;
  mobs: z.infer<typeof mobsFileSchema>;
  loot: z.infer<typeof lootFileSchema>;
  quests: z.infer<typeof questsFileSchema>;
  leveling: z.infer<typeof levelingFileSchema>;
};

/** Check ids are unique and every id one entry names exists where it should. */
export function checkReferences(
  files: ParsedFiles,
  zoneIds: readonly string[] | undefined,
): ContentError[] {
  const errors: ContentError[] = [];
  const err = (file: string, path: string, id: string, message: string): void => {
    errors.push({ file: `${file}.json`, path, id, message });
  };

  uniqueIds("races", "races", files.races.races, err);
  uniqueIds("jobs", "jobs", files.jobs.jobs, err);
  const autoAttacks = uniqueIds("skills", "autoAttacks", files.skills.autoAttacks, err);
  uniqueIds("skills", "skills", files.skills.skills, err);
  const items = uniqueIds("items", "items", files.items.items, err);
  const mobs = uniqueIds("mobs", "mobs", files.mobs.mobs, err);
  const tables = uniqueIds("loot", "lootTables", files.loot.lootTables, err);
  const quests = uniqueIds("quests", "quests", files.quests.quests, err);
  uniqueIds("leveling", "realms", files.leveling.realms, err);
  const { levelCap } = files.leveling;

  for (const [i, skill] of files.skills.skills.entries()) {
    if (autoAttacks.has(skill.id)) {
      err("skills", `skills[${i}].id`, skill.id, `id is also used by an auto-attack`);
    }
  }

  const jobById = new Map(files.jobs.jobs.map((job) => [job.id, job]));
  const skillById = new Map(files.skills.skills.map((skill) => [skill.id, skill]));
  for (const [i, job] of files.jobs.jobs.entries()) {
    if (!autoAttacks.has(job.autoAttack)) {
      err("jobs", `jobs[${i}].autoAttack`, job.id, `unknown auto-attack "${job.autoAttack}"`);
    }
    for (const [j, skillId] of job.skills.entries()) {
      const skill = skillById.get(skillId);
      if (skill === undefined) {
        err("jobs", `jobs[${i}].skills[${j}]`, job.id, `unknown skill "${skillId}"`);
      } else if (skill.job !== job.id) {
        err(
          "jobs",
          `jobs[${i}].skills[${j}]`,
          job.id,
          `skill "${skillId}" belongs to job "${skill.job}"`,
        );
      }
    }
  }
  for (const [i, skill] of files.skills.skills.entries()) {
    const job = jobById.get(skill.job);
    if (job === undefined) {
      err("skills", `skills[${i}].job`, skill.id, `unknown job "${skill.job}"`);
    } else if (!job.skills.includes(skill.id)) {
      err("skills", `skills[${i}].job`, skill.id, `job "${skill.job}" does not list this skill`);
    }
  }

  for (const [i, item] of files.items.items.entries()) {
    if (item.levelReq > levelCap) {
      err(
        "items",
        `items[${i}].levelReq`,
        item.id,
        `levelReq ${item.levelReq} is above the level cap ${levelCap}`,
      );
    }
    for (const [j, jobId] of item.jobs.entries()) {
      const job = jobById.get(jobId);
      if (job === undefined) {
        err("items", `items[${i}].jobs[${j}]`, item.id, `unknown job "${jobId}"`);
      } else if (item.type === ItemType.WEAPON && !job.weaponTypes.includes(item.weaponType)) {
        err(
          "items",
          `items[${i}].jobs[${j}]`,
          item.id,
          `job "${jobId}" cannot wield a ${item.weaponType}`,
        );
      }
    }
  }

  for (const [i, mob] of files.mobs.mobs.entries()) {
    if (!tables.has(mob.lootTable)) {
      err("mobs", `mobs[${i}].lootTable`, mob.id, `unknown loot table "${mob.lootTable}"`);
    }
    if (mob.level > levelCap) {
      err(
        "mobs",
        `mobs[${i}].level`,
        mob.id,
        `level ${mob.level} is above the level cap ${levelCap}`,
      );
    }
  }

  for (const [i, table] of files.loot.lootTables.entries()) {
    for (const [j, entry] of table.entries.entries()) {
      if (!items.has(entry.item)) {
        err(
          "loot",
          `lootTables[${i}].entries[${j}].item`,
          table.id,
          `unknown item "${entry.item}"`,
        );
      }
    }
  }

  const zones = zoneIds === undefined ? undefined : new Set(zoneIds);
  for (const [i, quest] of files.quests.quests.entries()) {
    const at = `quests[${i}]`;
    if (quest.minLevel > levelCap) {
      err(
        "quests",
        `${at}.minLevel`,
        quest.id,
        `minLevel ${quest.minLevel} is above the level cap ${levelCap}`,
      );
    }
    for (const [j, pre] of quest.prerequisites.entries()) {
      if (!quests.has(pre))
        err("quests", `${at}.prerequisites[${j}]`, quest.id, `unknown quest "${pre}"`);
    }
    for (const [j, o] of quest.objectives.entries()) {
      const path = `${at}.objectives[${j}]`;
      if (o.type === ObjectiveType.KILL && !mobs.has(o.mob)) {
        err("quests", `${path}.mob`, quest.id, `unknown mob "${o.mob}"`);
      } else if (o.type === ObjectiveType.COLLECT && !items.has(o.item)) {
        err("quests", `${path}.item`, quest.id, `unknown item "${o.item}"`);
      } else if (o.type === ObjectiveType.VISIT && zones !== undefined && !zones.has(o.zone)) {
        err("quests", `${path}.zone`, quest.id, `unknown zone "${o.zone}"`);
      }
    }
    for (const [j, reward] of quest.rewards.items.entries()) {
      if (!items.has(reward.item)) {
        err("quests", `${at}.rewards.items[${j}].item`, quest.id, `unknown item "${reward.item}"`);
      }
    }
  }
  for (const questId of findPrerequisiteCycle(files.quests.quests)) {
    const i = files.quests.quests.findIndex((q) => q.id === questId);
    err("quests", `quests[${i}].prerequisites`, questId, "prerequisites form a cycle");
  }
  return errors;
}

function uniqueIds(
  file: string,
  list: string,
  entries: readonly { id: string }[],
  err: (file: string, path: string, id: string, message: string) => void,
): Set<string> {
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    if (seen.has(entry.id)) err(file, `${list}[${i}].id`, entry.id, `duplicate id "${entry.id}"`);
    seen.add(entry.id);
  }
  return seen;
}

/** Ids of quests that sit on a prerequisite cycle (empty when the graph is acyclic). */
function findPrerequisiteCycle(
  quests: readonly { id: string; prerequisites: string[] }[],
): string[] {
  const prereqs = new Map(quests.map((q) => [q.id, q.prerequisites]));
  const state = new Map<string, "visiting" | "done">();
  const onCycle = new Set<string>();
  const visit = (id: string, stack: string[]): void => {
    const s = state.get(id);
    if (s === "done") return;
    if (s === "visiting") {
      for (const member of stack.slice(stack.indexOf(id))) onCycle.add(member);
      return;
    }
    state.set(id, "visiting");
    stack.push(id);
    for (const next of prereqs.get(id) ?? []) if (prereqs.has(next)) visit(next, stack);
    stack.pop();
    state.set(id, "done");
  };
  for (const q of quests) visit(q.id, []);
  return [...onCycle];
}
