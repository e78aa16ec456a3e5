import type { CombatStats } from "../combat/combat-stats.ts";
import { effectContributions, type ActiveEffect, type ActiveEffects } from "../combat/effects.ts";
import { PRIMARY_STATS, type StatMod } from "../content/common.ts";
import type { Content } from "../content/content.ts";
import { isEquipment } from "../content/items.ts";
import type { Job } from "../content/jobs.ts";
import type { Realm } from "../content/leveling.ts";
import type { Race } from "../content/races.ts";
import {
  EQUIP_SLOTS,
  equipmentContributions,
  type EquipSlot,
  type Equipment,
} from "../items/equipment.ts";
import {
  jobContributions,
  raceContributions,
  realmCapContributions,
} from "../leveling/contributions.ts";
import { realmForLevel } from "../leveling/leveling.ts";
import { LivePlan } from "../stats/live-plan.ts";
import {
  compileRegistry,
  compileSubsystem,
  DEFAULT_CAP_LAYER_REGISTRY,
  DEFAULT_COMBINER_REGISTRY,
  deriveStats,
  type CapContribution,
  type CapLayerRegistry,
  type CombinerRegistry,
  type CompiledRegistry,
  type CompiledSubsystem,
  type Contribution,
  type DerivedFormulas,
  type Snapshot,
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

/**
 * Compiled outputs per content definition (race or job at a level, item, effect modifiers,
 * realm), shared by every character of one registry: content is immutable, so a definition
 * compiles once. Keyed by the definition objects, so caches over other content never mix.
 */
class CompiledDefinitions {
  private readonly registry: CompiledRegistry;
  private readonly races = new WeakMap<Race, CompiledSubsystem[]>();
  private readonly jobs = new WeakMap<Job, CompiledSubsystem[]>();
  private readonly realms = new WeakMap<Realm, CompiledSubsystem>();
  private readonly parts = new WeakMap<object, CompiledSubsystem>();
  readonly empty: CompiledSubsystem;

  constructor(registry: CompiledRegistry) {
    this.registry = registry;
    this.empty = compileSubsystem(registry, outputOf(StatSystem.ZONE, []));
  }

  /** A race's compiled parts by level (filled by `race`), for a cache to keep at hand. */
  raceLevels(race: Race): CompiledSubsystem[] {
    return levelsOf(this.races, race);
  }

  /** A job's compiled parts by level (filled by `job`). */
  jobLevels(job: Job): CompiledSubsystem[] {
    return levelsOf(this.jobs, job);
  }

  /** `levels` is raceLevels(race). */
  race(race: Race, levels: CompiledSubsystem[], level: number): CompiledSubsystem {
    return (levels[level] ??= compileSubsystem(
      this.registry,
      outputOf(StatSystem.RACE, raceContributions(race, level)),
    ));
  }

  /** `levels` is jobLevels(job). */
  job(job: Job, levels: CompiledSubsystem[], level: number): CompiledSubsystem {
    return (levels[level] ??= compileSubsystem(
      this.registry,
      outputOf(StatSystem.JOB, jobContributions(job, level)),
    ));
  }

  realm(realm: Realm): CompiledSubsystem {
    let compiled = this.realms.get(realm);
    if (compiled === undefined) {
      const output = outputOf(StatSystem.REALM, [], realmCapContributions(realm));
      this.realms.set(realm, (compiled = compileSubsystem(this.registry, output)));
    }
    return compiled;
  }

  /** The compiled part of the item worn in a slot (one per item definition), null for none. */
  itemPart(id: string | null, items: Content["items"]): CompiledSubsystem | null {
    const item = id === null ? undefined : items.get(id);
    if (item === undefined || !isEquipment(item)) return null;
    return this.part(item.stats, StatSystem.EQUIPMENT);
  }

  /** The compiled part of an effect (one per modifier list, i.e. per skill). */
  effectPart(modifiers: readonly StatMod[]): CompiledSubsystem {
    return this.part(modifiers, StatSystem.EFFECTS);
  }

  private part(mods: readonly StatMod[], system: StatSystem): CompiledSubsystem {
    let compiled = this.parts.get(mods);
    if (compiled === undefined) {
      const contributions = mods.map((m) => ({
        dimension: m.dimension,
        bucket: m.bucket,
        value: m.value,
        system,
      }));
      compiled = compileSubsystem(this.registry, outputOf(system, contributions));
      this.parts.set(mods, compiled);
    }
    return compiled;
  }
}

function levelsOf<K extends object>(
  memo: WeakMap<K, CompiledSubsystem[]>,
  key: K,
): CompiledSubsystem[] {
  let levels = memo.get(key);
  if (levels === undefined) memo.set(key, (levels = []));
  return levels;
}

const definitionsByRegistry = new WeakMap<CompiledRegistry, CompiledDefinitions>();

function definitionsOf(registry: CompiledRegistry): CompiledDefinitions {
  let defs = definitionsByRegistry.get(registry);
  if (defs === undefined)
    definitionsByRegistry.set(registry, (defs = new CompiledDefinitions(registry)));
  return defs;
}

function sameEffects(a: ActiveEffects, b: ActiveEffects): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `e` wears the items `ids` lists (EQUIP_SLOTS order). */
function sameWorn(e: Equipment, ids: readonly (string | null)[]): boolean {
  for (let i = 0; i < EQUIP_SLOTS.length; i++) {
    if (e[EQUIP_SLOTS[i] as EquipSlot] !== ids[i]) return false;
  }
  return true;
}

/**
 * Positions of the compiled parts handed to the LivePlan: one per content definition (each item
 * and each effect apart, so a swap or a buff changes one part and nothing is concatenated), the
 * effects last so one starting or ending moves no other part.
 */
const Part = { RACE: 0, JOB: 1, ZONE: 2, REALM: 3, WORN: 4 } as const;
const EFFECTS_AT = Part.WORN + EQUIP_SLOTS.length;

/**
 * One character's stats, recomputed only when an input changes (race/job/level, equipment,
 * effects, zone; the realm follows the level). A room holds one per character in it. Returned
 * objects are shared between calls: treat them as read-only. A change recompiles nothing that a
 * content definition already compiled and re-merges and re-reduces only what the changed part
 * touches (LivePlan over per-definition parts; no StatCache lookups by id).
 */
export class CharacterStatsCache {
  private readonly plan: LivePlan;
  private readonly rules: CharacterStatRules;
  private readonly defs: CompiledDefinitions;
  private race: Race | undefined;
  private job: Job | undefined;
  /** defs.raceLevels(race), defs.jobLevels(job): a level change is an array read. */
  private raceLevels: CompiledSubsystem[] = [];
  private jobLevels: CompiledSubsystem[] = [];
  private level = 0;
  private effects: ActiveEffects | undefined;
  /** Modifier list per effect position, to look up the parts of changed positions only. */
  private readonly effectMods: (readonly StatMod[])[] = [];
  private zone: string | undefined;
  private realm: Realm | undefined;
  /** realmForLevel by level (the rules are this cache's for its lifetime). */
  private readonly realmByLevel: Realm[] = [];
  private readonly compiled: CompiledSubsystem[];
  private revision = 0;
  /**
   * Item id per worn slot (EQUIP_SLOTS order), to re-read only swapped slots; copied before a
   * change, as the last ResolvedStats holds it.
   */
  private wornIds: readonly (string | null)[] = EQUIP_SLOTS.map(() => null);
  private last: ResolvedStats | undefined;

  constructor(rules: CharacterStatRules, registry: CompiledRegistry) {
    this.rules = rules;
    this.plan = new LivePlan(registry);
    this.defs = definitionsOf(registry);
    this.compiled = Array.from({ length: EFFECTS_AT }, () => this.defs.empty);
  }

  /** Times the snapshot was recomputed (1 after the first resolve). */
  get recomputes(): number {
    return this.revision;
  }

  /** The character's stats for `input`; the same object as last time when nothing changed. */
  resolve(input: CharacterStatsInput): CharacterStats {
    const { content } = this.rules;
    const { defs, compiled } = this;
    const level = input.level;
    let race = this.race;
    let job = this.job;
    const last = this.last;
    let changed = last === undefined;
    const levelChanged = level !== this.level;
    const raceChanged = race === undefined || race.id !== input.race;
    const jobChanged = job === undefined || job.id !== input.job;
    if (raceChanged) {
      race = content.races.get(input.race);
      if (race === undefined) throw new Error(`unknown race ${input.race}`);
    }
    if (jobChanged) {
      job = content.jobs.get(input.job);
      if (job === undefined) throw new Error(`unknown job ${input.job}`);
    }
    const realm =
      levelChanged || this.realm === undefined
        ? (this.realmByLevel[level] ??= realmForLevel(level, content.leveling))
        : this.realm;
    if (raceChanged || levelChanged) {
      const r = race as Race;
      if (raceChanged) this.raceLevels = defs.raceLevels(r);
      compiled[Part.RACE] = this.raceLevels[level] ?? defs.race(r, this.raceLevels, level);
      changed = true;
    }
    if (jobChanged || levelChanged) {
      const j = job as Job;
      if (jobChanged) this.jobLevels = defs.jobLevels(j);
      compiled[Part.JOB] = this.jobLevels[level] ?? defs.job(j, this.jobLevels, level);
      changed = true;
    }
    if (!sameWorn(input.equipment, this.wornIds)) {
      this.wear(input.equipment);
      changed = true;
    }
    if (this.effects === undefined || !sameEffects(this.effects, input.effects)) {
      this.takeEffects(input.effects);
      changed = true;
    }
    if (input.zone !== this.zone) {
      this.zone = input.zone;
      // No zone modifiers in content yet: the part exists so zones can add some.
      compiled[Part.ZONE] = defs.empty;
      changed = true;
    }
    if (realm !== this.realm) {
      compiled[Part.REALM] = defs.realm(realm);
      changed = true;
    }
    this.race = race;
    this.job = job;
    this.level = level;
    this.realm = realm;
    if (!changed && last !== undefined) return last;
    const snapshot = this.plan.resolve(compiled, ++this.revision);
    // an unchanged Derived record (shared by the plan) means unchanged combat stats
    const combat =
      last !== undefined && last.snapshot.Derived === snapshot.Derived
        ? last.combat
        : combatStatsOf(snapshot);
    return (this.last = new ResolvedStats(
      snapshot,
      combat,
      race as Race,
      job as Job,
      level,
      this.wornIds,
      this.effects as ActiveEffects,
      realm,
      this.rules,
    ));
  }

  /** Take the worn item ids of `equipment`; puts the parts of swapped slots. */
  private wear(e: Equipment): void {
    const ids = this.wornIds.slice();
    const { defs, compiled } = this;
    for (let i = 0; i < EQUIP_SLOTS.length; i++) {
      const id = e[EQUIP_SLOTS[i] as EquipSlot];
      if (id === ids[i]) continue;
      ids[i] = id;
      compiled[Part.WORN + i] = defs.itemPart(id, this.rules.content.items) ?? defs.empty;
    }
    this.wornIds = ids;
  }

  /** Take a copy of `effects`; puts the parts of positions whose modifiers changed. */
  private takeEffects(effects: ActiveEffects): void {
    const { compiled, defs, effectMods } = this;
    const active = effects.slice();
    this.effects = active;
    for (let i = 0; i < active.length; i++) {
      const mods = (active[i] as ActiveEffect).modifiers;
      if (mods === effectMods[i]) continue;
      effectMods[i] = mods;
      compiled[EFFECTS_AT + i] = defs.effectPart(mods);
    }
    // setting an array's length costs a runtime call even when it does not change
    if (effectMods.length !== active.length) effectMods.length = active.length;
    if (compiled.length !== EFFECTS_AT + active.length)
      compiled.length = EFFECTS_AT + active.length;
  }
}

/** The inputs behind one resolve, from which the tooltip lists are built on first read. */
type ResolvedInputs = {
  readonly race: Race;
  readonly job: Job;
  readonly level: number;
  readonly wornIds: readonly (string | null)[];
  readonly effects: ActiveEffects;
  readonly realmDef: Realm;
  readonly rules: CharacterStatRules;
};

/**
 * Resolved stats; the tooltip lists (contributions, caps) are built on first read from the
 * inputs it keeps (one object per resolve: fewer allocations on the room path, issue 13).
 */
class ResolvedStats implements CharacterStats, ResolvedInputs {
  readonly snapshot: Snapshot;
  readonly realm: string;
  readonly combat: CombatStats;
  readonly race: Race;
  readonly job: Job;
  readonly level: number;
  readonly wornIds: readonly (string | null)[];
  readonly effects: ActiveEffects;
  readonly realmDef: Realm;
  readonly rules: CharacterStatRules;
  private lists: { contributions: Contribution[]; caps: CapContribution[] } | undefined;

  constructor(
    snapshot: Snapshot,
    combat: CombatStats,
    race: Race,
    job: Job,
    level: number,
    wornIds: readonly (string | null)[],
    effects: ActiveEffects,
    realm: Realm,
    rules: CharacterStatRules,
  ) {
    this.snapshot = snapshot;
    this.realm = realm.id;
    this.combat = combat;
    this.race = race;
    this.job = job;
    this.level = level;
    this.wornIds = wornIds;
    this.effects = effects;
    this.realmDef = realm;
    this.rules = rules;
  }

  get contributions(): readonly Contribution[] {
    return (this.lists ??= explain(this.snapshot, this)).contributions;
  }

  get caps(): readonly CapContribution[] {
    return (this.lists ??= explain(this.snapshot, this)).caps;
  }
}

/** Tooltip outputs in subsystem order: race, job, equipment, effects, (zone: none), realm. */
function outputsOf(inputs: ResolvedInputs): SubsystemOutput[] {
  const { race, job, level, wornIds, effects, realmDef, rules } = inputs;
  return [
    outputOf(StatSystem.RACE, raceContributions(race, level)),
    outputOf(StatSystem.JOB, jobContributions(job, level)),
    outputOf(
      StatSystem.EQUIPMENT,
      equipmentContributions(equipmentOf(wornIds), rules.content.items),
    ),
    outputOf(StatSystem.EFFECTS, effectContributions(effects)),
    outputOf(StatSystem.ZONE, []),
    outputOf(StatSystem.REALM, [], realmCapContributions(realmDef)),
  ];
}

function equipmentOf(ids: readonly (string | null)[]): Equipment {
  return Object.fromEntries(EQUIP_SLOTS.map((slot, i) => [slot, ids[i] ?? null])) as Equipment;
}

function explain(
  snapshot: Snapshot,
  inputs: ResolvedInputs,
): { contributions: Contribution[]; caps: CapContribution[] } {
  const contributions: Contribution[] = [];
  const caps: CapContribution[] = [];
  for (const output of outputsOf(inputs)) {
    contributions.push(...output.primary, ...output.derived);
    caps.push(...output.caps);
  }
  // The aggregator feeds formulas the capped primaries; so do the tooltips.
  const formulas = inputs.rules.formulas;
  const fromFormulas = deriveStats(snapshot.Primary, formulas);
  for (const [dimension, value] of Object.entries(fromFormulas)) {
    contributions.push({ dimension, bucket: "FLAT", value, system: formulas.system });
  }
  return { contributions, caps };
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
