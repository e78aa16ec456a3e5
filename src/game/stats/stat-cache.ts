import { compileSubsystem, type CompiledSubsystem } from "./compile-subsystem.ts";
import { LivePlan } from "./live-plan.ts";
import type { CompiledRegistry } from "./registry.ts";
import type { Snapshot, SubsystemOutput } from "./types.ts";

/**
 * One contribution source of a character (race, job+level, equipment, buffs, zone, realm) with a
 * version the owner bumps whenever its output changes (equip, level-up, buff start or expiry,
 * zone change). Equal version means "same output": the cache does not look at `output` then.
 */
export type StatSource = {
  readonly id: string;
  readonly version: number;
  readonly output: SubsystemOutput;
  /**
   * `output` already compiled against this cache's registry, when the owner keeps compiled
   * outputs (then `output` is not read by the cache). Compiled against another registry it gives
   * wrong results.
   */
  readonly compiled?: CompiledSubsystem;
};

type CachedSource = { version: number; compiled: CompiledSubsystem };

type Entry = {
  readonly sources: Map<string, CachedSource>;
  readonly compiled: CompiledSubsystem[];
  readonly plan: LivePlan;
  snapshot: Snapshot | null;
  revision: number;
};

const compiledOutputs = new WeakMap<
  CompiledRegistry,
  WeakMap<SubsystemOutput, CompiledSubsystem>
>();

/** compileSubsystem, once per output object and registry (outputs are immutable). */
function compileOnce(registry: CompiledRegistry, output: SubsystemOutput): CompiledSubsystem {
  let byOutput = compiledOutputs.get(registry);
  if (byOutput === undefined) compiledOutputs.set(registry, (byOutput = new WeakMap()));
  let compiled = byOutput.get(output);
  if (compiled === undefined) byOutput.set(output, (compiled = compileSubsystem(registry, output)));
  return compiled;
}

/**
 * Snapshot cache keyed by character id. A source is recompiled only when its version changed and
 * the snapshot is recomputed only when some source changed, appeared or disappeared. Each
 * recompute bumps the character's revision, returned as Snapshot.Version (1, 2, ...).
 * Snapshots are shared: treat them as read-only. Each character keeps a LivePlan, so a change
 * re-merges and re-reduces only the dimensions the changed sources touch.
 */
export class StatCache {
  private readonly entries = new Map<string, Entry>();
  private recomputeCount = 0;

  private readonly registry: CompiledRegistry;

  constructor(registry: CompiledRegistry) {
    this.registry = registry;
  }

  /** Number of snapshot recomputations so far (all characters). */
  get recomputes(): number {
    return this.recomputeCount;
  }

  /** Number of cached characters. */
  get size(): number {
    return this.entries.size;
  }

  /** The character's snapshot, recomputed only if a source version changed. */
  resolve(characterId: string, sources: readonly StatSource[]): Snapshot {
    let entry = this.entries.get(characterId);
    if (entry === undefined) {
      entry = {
        sources: new Map(),
        compiled: [],
        plan: new LivePlan(this.registry),
        snapshot: null,
        revision: 0,
      };
      this.entries.set(characterId, entry);
    }
    let dirty = entry.snapshot === null;
    for (const s of sources) {
      const known = entry.sources.get(s.id);
      if (known !== undefined && known.version === s.version) continue;
      const compiled = s.compiled ?? compileOnce(this.registry, s.output);
      if (known !== undefined) {
        known.version = s.version;
        known.compiled = compiled;
      } else {
        entry.sources.set(s.id, { version: s.version, compiled });
      }
      dirty = true;
    }
    if (entry.sources.size !== sources.length) {
      dropMissing(entry.sources, sources);
      dirty = true;
    }
    if (!dirty && entry.snapshot !== null) return entry.snapshot;

    entry.compiled.length = 0;
    for (const s of entry.sources.values()) entry.compiled.push(s.compiled);
    entry.revision++;
    this.recomputeCount++;
    entry.snapshot = entry.plan.resolve(entry.compiled, entry.revision);
    return entry.snapshot;
  }

  /** Drop a character (on leave or zone transfer out). Returns whether it was cached. */
  forget(characterId: string): boolean {
    return this.entries.delete(characterId);
  }
}

function dropMissing(cached: Map<string, CachedSource>, sources: readonly StatSource[]): void {
  const ids = new Set(sources.map((s) => s.id));
  if (ids.size !== sources.length) {
    throw new Error(`StatCache: duplicate source id in [${sources.map((s) => s.id).join(", ")}]`);
  }
  for (const id of [...cached.keys()]) if (!ids.has(id)) cached.delete(id);
}
