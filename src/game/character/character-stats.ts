import type { CombatStats } from "../combat/combat-stats.ts";
import { effectContributions, type ActiveEffects } from "../combat/effects.ts";
import { PRIMARY_STATS } from "../content/common.ts";
import type { Content } from "../content/content.ts";
import { EQUIP_SLOTS, equipmentContributions, type Equipment } from "../items/equipment.ts";
import {
  jobContributions,
  raceContributions,
  realmCapContributions,
} from "../leveling/contributions.ts";
import { realmForLevel } from "../leveling/leveling.ts";
import {
  compileRegistry,
  DEFAULT_CAP_LAYER_REGISTRY,
  DEFAULT_COMBINER_REGISTRY,
  deriveStats,
  StatCache,
  type CapContribution,
  type CapLayerRegistry,
  type CombinerRegistry,
  type CompiledRegistry,
  type Contribution,
  type DerivedFormulas,
  type Snapshot,
  type StatSource,
  type SubsystemOutput,
} from "../stats/stats.ts";

/** What stat composition reads from content (GameData satisfies it). */
export type CharacterStatRules = {
  readonly content: Pick<Content, "races" | "jobs" | "items" | "leveling">;
  readonly formulas: DerivedFormulas;
};

/** Everything a character's stats depend on. */
export type CharacterStatsInput = {
  readonly race: string;
  readonly job: string;
  readonly level: number;
  readonly equipment: Equipment;
  /** Active buffs and debuffs; compared effect by effect (by identity) with the last call. */
  readonly effects: ActiveEffects;
  readonly zone: string;
};

/** Resolved stats: the snapshot, every contribution and cap behind it (tooltips), combat view. */
export type CharacterStats = {
  readonly snapshot: Snapshot;
  /** Every contribution, formula results included (system = the formulas' system, "base"). */
  readonly contributions: readonly Contribution[];
  readonly caps: readonly CapContribution[];
  readonly realm: string;
  readonly combat: CombatStats;
};

/** Subsystem names, as the contributions' `system`. */
export const StatSystem = {
  RACE: "race",
  JOB: "job",
  EQUIPMENT: "equipment",
  EFFECTS: "effects",
  ZONE: "zone",
  REALM: "realm",
} as const;
export type StatSystem = (typeof StatSystem)[keyof typeof StatSystem];

/** Dimensions fed to the formulas (primary section); the rest are derived. */
const PRIMARY_DIMENSIONS: ReadonlySet<string> = new Set([...PRIMARY_STATS, "level"]);

/** The aggregator registry for characters: content combiners and cap layers plus the formulas. */
export function createCharacterRegistry(
  formulas: DerivedFormulas,
  registries: { combiners?: CombinerRegistry; capLayers?: CapLayerRegistry } = {},
): CompiledRegistry {
  return compileRegistry(
    registries.combiners ?? DEFAULT_COMBINER_REGISTRY,
    registries.capLayers ?? DEFAULT_CAP_LAYER_REGISTRY,
    { formulas },
  );
}

function outputOf(
  system: StatSystem,
  contributions: readonly Contribution[],
  caps: readonly CapContribution[] = [],
): SubsystemOutput {
  const primary: Contribution[] = [];
  const derived: Contribution[] = [];
  for (const c of contributions) (PRIMARY_DIMENSIONS.has(c.dimension) ? primary : derived).push(c);
  return { primary, derived, caps, meta: { system } };
}

/** Tracks one subsystem's output and bumps its version when its inputs change. */
class TrackedSource<K> {
  private key: K | undefined;
  private current: StatSource | undefined;
  private readonly id: StatSystem;
  private readonly same: (a: K, b: K) => boolean;
  private readonly copy: (k: K) => K;

  constructor(id: StatSystem, same: (a: K, b: K) => boolean, copy: (k: K) => K = (k) => k) {
    this.id = id;
    this.same = same;
    this.copy = copy;
  }

  source(key: K, build: () => SubsystemOutput): StatSource {
    if (this.current !== undefined && this.same(this.key as K, key)) return this.current;
    this.key = this.copy(key);
    this.current = { id: this.id, version: (this.current?.version ?? 0) + 1, output: build() };
    return this.current;
  }
}

const sameValue = <T>(a: T, b: T) => a === b;
const sameEquipment = (a: Equipment, b: Equipment) => EQUIP_SLOTS.every((s) => a[s] === b[s]);
const sameEffects = (a: ActiveEffects, b: ActiveEffects) =>
  a.length === b.length && a.every((e, i) => e === b[i]);

/**
 * One character's stats, recomputed only when an input changes (race/job/level, equipment,
 * effects, zone; the realm follows the level). A room holds one per character in it. Returned
 * objects are shared between calls: treat them as read-only.
 */
export class CharacterStatsCache {
  private readonly stats: StatCache;
  private readonly rules: CharacterStatRules;
  private readonly race = new TrackedSource<string>(StatSystem.RACE, sameValue);
  private readonly job = new TrackedSource<string>(StatSystem.JOB, sameValue);
  private readonly equipment = new TrackedSource<Equipment>(
    StatSystem.EQUIPMENT,
    sameEquipment,
    (e) => ({ ...e }),
  );
  private readonly effects = new TrackedSource<ActiveEffects>(
    StatSystem.EFFECTS,
    sameEffects,
    (e) => e.slice(),
  );
  private readonly zone = new TrackedSource<string>(StatSystem.ZONE, sameValue);
  private readonly realm = new TrackedSource<string>(StatSystem.REALM, sameValue);
  private last: CharacterStats | undefined;

  constructor(rules: CharacterStatRules, registry: CompiledRegistry) {
    this.rules = rules;
    this.stats = new StatCache(registry);
  }

  /** Times the snapshot was recomputed (1 after the first resolve). */
  get recomputes(): number {
    return this.stats.recomputes;
  }

  /** The character's stats for `input`; the same object as last time when nothing changed. */
  resolve(input: CharacterStatsInput): CharacterStats {
    const { content } = this.rules;
    const race = content.races.get(input.race);
    const job = content.jobs.get(input.job);
    if (race === undefined) throw new Error(`unknown race ${input.race}`);
    if (job === undefined) throw new Error(`unknown job ${input.job}`);
    const realm = realmForLevel(input.level, content.leveling);
    const sources = [
      this.race.source(`${race.id}@${input.level}`, () =>
        outputOf(StatSystem.RACE, raceContributions(race, input.level)),
      ),
      this.job.source(`${job.id}@${input.level}`, () =>
        outputOf(StatSystem.JOB, jobContributions(job, input.level)),
      ),
      this.equipment.source(input.equipment, () =>
        outputOf(StatSystem.EQUIPMENT, equipmentContributions(input.equipment, content.items)),
      ),
      this.effects.source(input.effects, () =>
        outputOf(StatSystem.EFFECTS, effectContributions(input.effects)),
      ),
      // No zone modifiers in content yet: the subsystem exists so zones can add some.
      this.zone.source(input.zone, () => outputOf(StatSystem.ZONE, [])),
      this.realm.source(realm.id, () =>
        outputOf(StatSystem.REALM, [], realmCapContributions(realm)),
      ),
    ];
    const snapshot = this.stats.resolve("character", sources);
    if (this.last?.snapshot === snapshot) return this.last;
    this.last = explain(snapshot, sources, realm.id, this.rules.formulas);
    return this.last;
  }
}

function explain(
  snapshot: Snapshot,
  sources: readonly StatSource[],
  realm: string,
  formulas: DerivedFormulas,
): CharacterStats {
  const contributions: Contribution[] = [];
  const caps: CapContribution[] = [];
  for (const { output } of sources) {
    contributions.push(...output.primary, ...output.derived);
    caps.push(...output.caps);
  }
  // The aggregator feeds formulas the capped primaries; so do the tooltips.
  const fromFormulas = deriveStats(snapshot.Primary, formulas);
  for (const [dimension, value] of Object.entries(fromFormulas)) {
    contributions.push({ dimension, bucket: "FLAT", value, system: formulas.system });
  }
  return { snapshot, contributions, caps, realm, combat: combatStatsOf(snapshot) };
}

/** Combat's view of a snapshot's derived dimensions (0 where a dimension is absent). */
export function combatStatsOf(snapshot: Snapshot): CombatStats {
  const d = snapshot.Derived;
  const combat: CombatStats = {
    hp_max: d.hp_max ?? 0,
    mp_max: d.mp_max ?? 0,
    attack_power: d.attack_power ?? 0,
    magic_power: d.magic_power ?? 0,
    defense: d.defense ?? 0,
    crit_rate: d.crit_rate ?? 0,
    crit_damage: d.crit_damage ?? 0,
    attack_speed: d.attack_speed ?? 0,
    move_speed: d.move_speed ?? 0,
    cooldown_reduction: d.cooldown_reduction ?? 0,
  };
  if (d.hit_rate !== undefined) combat.hit_rate = d.hit_rate;
  if (d.dodge_rate !== undefined) combat.dodge_rate = d.dodge_rate;
  if (d.hp_regen !== undefined) combat.hp_regen = d.hp_regen;
  if (d.mp_regen !== undefined) combat.mp_regen = d.mp_regen;
  return combat;
}

/** Character stat composition over one compiled registry. */
export type CharacterStatsModel = {
  readonly registry: CompiledRegistry;
  /** A fresh per-character cache (rooms hold one per character). */
  createCache(): CharacterStatsCache;
  /** One-off resolve without keeping a cache (HTTP reads). */
  compute(input: CharacterStatsInput): CharacterStats;
};

/** Compiles the registry once; every cache and compute call shares it. */
export function createCharacterStatsModel(
  rules: CharacterStatRules,
  registries: { combiners?: CombinerRegistry; capLayers?: CapLayerRegistry } = {},
): CharacterStatsModel {
  const registry = createCharacterRegistry(rules.formulas, registries);
  return {
    registry,
    createCache: () => new CharacterStatsCache(rules, registry),
    compute: (input) => new CharacterStatsCache(rules, registry).resolve(input),
  };
}
