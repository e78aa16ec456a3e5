import { compileSubsystem, type CompiledSubsystem } from "./compile-subsystem.ts";
import type { CompiledRegistry } from "./registry.ts";
import { Resolver } from "./resolver.ts";
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
};

type CachedSource = { version: number; compiled: CompiledSubsystem };

type Entry = {
  readonly sources: Map<string, CachedSource>;
  compiled: CompiledSubsystem[];
  snapshot: Snapshot | null;
  revision: number;
};

/**
 * Snapshot cache keyed by character id. A source is recompiled only when its version changed and
 * the snapshot is recomputed only when some source changed, appeared or disappeared. Each
 * recompute bumps the character's revision, returned as Snapshot.Version (1, 2, ...).
 * Snapshots are shared: treat them as read-only.
 */
export class StatCache {
  private readonly entries = new Map<string, Entry>();
  private readonly resolver: Resolver;
  private recomputeCount = 0;

  private readonly registry: CompiledRegistry;

  constructor(registry: CompiledRegistry) {
    this.registry = registry;
    this.resolver = new Resolver(registry);
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
      entry = { sources: new Map(), compiled: [], snapshot: null, revision: 0 };
      this.entries.set(characterId, entry);
    }
    let dirty = entry.snapshot === null;
    for (const s of sources) {
      const known = entry.sources.get(s.id);
      if (known !== undefined && known.version === s.version) continue;
      entry.sources.set(s.id, {
        version: s.version,
        compiled: compileSubsystem(this.registry, s.output),
      });
      dirty = true;
    }
    if (entry.sources.size !== sources.length) {
      dropMissing(entry.sources, sources);
      dirty = true;
    }
    if (!dirty && entry.snapshot !== null) return entry.snapshot;

    entry.compiled = [...entry.sources.values()].map((s) => s.compiled);
    entry.revision++;
    this.recomputeCount++;
    entry.snapshot = this.resolver.resolve(entry.compiled, entry.revision);
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
