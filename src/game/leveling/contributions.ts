import type { CapKind, CapMode, PrimaryStat, StatMod } from "../content/common.ts";
import { PRIMARY_STATS } from "../content/common.ts";
import type { Job } from "../content/jobs.ts";
import type { Realm } from "../content/leveling.ts";
import type { Race } from "../content/races.ts";

/** A stat contribution as the Actor Core aggregator takes it (Contribution.schema.json). */
export type Contribution = Omit<StatMod, "dimension"> & { dimension: string; system: string };

/** A cap contribution as the Actor Core aggregator takes it (CapContribution.schema.json). */
export type CapContribution = {
  system: string;
  dimension: string;
  mode: CapMode;
  kind: CapKind;
  value: number;
  scope: "REALM";
  realm: string;
};

/** The realm tier's caps, tagged for the aggregator's REALM layer (system "realm"). */
export function realmCapContributions(realm: Realm): CapContribution[] {
  return realm.caps.map((cap) => ({
    system: "realm",
    dimension: cap.dimension,
    mode: cap.mode,
    kind: cap.kind,
    value: cap.value,
    scope: "REALM",
    realm: realm.id,
  }));
}

/** FLAT primary-stat contributions of a race at a level: base + (level - 1) x growth. */
export function raceContributions(race: Race, level: number): Contribution[] {
  return primaryContributions(race.baseStats, race.growthPerLevel, level, "race");
}

/**
 * The job+level subsystem: FLAT primaries (base + (level - 1) x growth) plus the `level`
 * dimension itself, which the derived-stat formulas read.
 */
export function jobContributions(job: Job, level: number): Contribution[] {
  const out = primaryContributions(job.baseStats, job.growthPerLevel, level, "job");
  out.push({ dimension: "level", bucket: "FLAT", value: level, system: "job" });
  return out;
}

function primaryContributions(
  base: Record<PrimaryStat, number>,
  growth: Record<PrimaryStat, number>,
  level: number,
  system: string,
): Contribution[] {
  return PRIMARY_STATS.map((dimension) => ({
    dimension,
    bucket: "FLAT" as const,
    value: base[dimension] + (level - 1) * growth[dimension],
    system,
  }));
}
