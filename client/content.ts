/**
 * Game content the client shows (names, descriptions, XP curve, attack ranges), bundled from
 * `content/` at build time. The server validates the same files at start-up and stays the
 * authority: these only label things and size the XP bar.
 */
import items from "../content/items.json" with { type: "json" };
import jobs from "../content/jobs.json" with { type: "json" };
import leveling from "../content/leveling.json" with { type: "json" };
import mobs from "../content/mobs.json" with { type: "json" };
import quests from "../content/quests.json" with { type: "json" };
import races from "../content/races.json" with { type: "json" };
import skills from "../content/skills.json" with { type: "json" };
import type { Leveling } from "../src/game/content/leveling.ts";
import { xpForLevel } from "../src/game/leveling/leveling.ts";

export type Choice = { id: string; name: string; description: string };

export const RACES: readonly Choice[] = races.races.map(({ id, name, description }) => ({
  id,
  name,
  description,
}));

export const JOBS: readonly Choice[] = jobs.jobs.map(({ id, name, description }) => ({
  id,
  name,
  description,
}));

const itemNames = new Map(items.items.map((i) => [i.id, i.name]));
const mobNames = new Map(mobs.mobs.map((m) => [m.id, m.name]));
const mobLevels = new Map(mobs.mobs.map((m) => [m.id, m.level]));
const itemTypes = new Map(items.items.map((i) => [i.id, i.type]));
const questInfo = new Map(quests.quests.map((q) => [q.id, q]));
const questNames = new Map(quests.quests.map((q) => [q.id, q.name]));
const jobNames = new Map(JOBS.map((j) => [j.id, j.name]));
const raceNames = new Map(RACES.map((r) => [r.id, r.name]));
const autoAttackRange = new Map(skills.autoAttacks.map((a) => [a.id, a.range]));
const jobAttack = new Map(jobs.jobs.map((j) => [j.id, j.autoAttack]));

/** Melee range the server assumes when a job has no auto-attack, in world units. */
const DEFAULT_ATTACK_RANGE = 64;

export const itemName = (id: string): string => itemNames.get(id) ?? id;
export const questName = (id: string): string => questNames.get(id) ?? id;
export const questDescription = (id: string): string => questInfo.get(id)?.description ?? "";
/** Mobs are named by their template: the wire carries no name for them. */
export const mobName = (templateId: string): string => mobNames.get(templateId) ?? templateId;
/** A mob's level is its template's (the wire carries levels for players only); 0 if unknown. */
export const mobLevel = (templateId: string): number => mobLevels.get(templateId) ?? 0;

/** Short labels for a quest's objectives, in order ("Dew Slime", "Slime Jelly", "Visit field"). */
export function objectiveLabels(questId: string): string[] {
  return (questInfo.get(questId)?.objectives ?? []).map((o) => {
    const objective = o as { type: string; mob?: string; item?: string; zone?: string };
    if (objective.type === "kill") return mobNames.get(objective.mob ?? "") ?? "Defeat";
    if (objective.type === "collect") return itemName(objective.item ?? "");
    return `Visit ${objective.zone ?? "the place"}`;
  });
}

export const isConsumable = (itemId: string): boolean => itemTypes.get(itemId) === "consumable";
export const skillName = (id: string): string => skillInfo.get(id)?.name ?? id;
export const jobName = (id: string): string => jobNames.get(id) ?? id;
export const raceName = (id: string): string => raceNames.get(id) ?? id;

/** Auto-attack range of a job in world units (the server only hits within it). */
export function attackRangeOf(jobId: string): number {
  return autoAttackRange.get(jobAttack.get(jobId) ?? "") ?? DEFAULT_ATTACK_RANGE;
}

/** XP needed from `level` to the next one (the server's curve); 0 at the level cap. */
export function xpToNextLevel(level: number): number {
  if (!Number.isInteger(level) || level < 1) return 0;
  // The JSON's literal types are wider than the validated Leveling type; the server checks it.
  return xpForLevel(level, leveling as unknown as Leveling);
}

export type SkillInfo = {
  id: string;
  name: string;
  kind: string;
  /** World units; 0 means around the caster. */
  range: number;
  cooldownMs: number;
  mpCost: number;
  castTimeMs: number;
  target: "single" | "area" | "self";
};

const skillInfo = new Map<string, SkillInfo>(
  skills.skills.map((s) => [
    s.id,
    {
      id: s.id,
      name: s.name,
      kind: s.kind,
      range: s.range,
      cooldownMs: s.cooldownMs,
      mpCost: s.mpCost,
      castTimeMs: s.castTimeMs,
      target: s.target.type as SkillInfo["target"],
    },
  ]),
);

/** A job's skills in hotkey order (1, 2, 3, ...). */
export function skillsOf(jobId: string): SkillInfo[] {
  const job = jobs.jobs.find((j) => j.id === jobId);
  return (job?.skills ?? []).flatMap((id) => skillInfo.get(id) ?? []);
}
