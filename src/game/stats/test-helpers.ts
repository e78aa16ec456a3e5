import type { CapContribution, Contribution, SubsystemOutput } from "./types.ts";

/** Test shorthand: one contribution. */
export function contribution(
  dimension: string,
  bucket: Contribution["bucket"],
  value: number,
  system = "test",
  priority?: number,
): Contribution {
  return priority === undefined
    ? { dimension, bucket, value, system }
    : { dimension, bucket, value, system, priority };
}

/** Test shorthand: one cap in a layer (REALM caps get a realm id). */
export function capOf(
  dimension: string,
  mode: CapContribution["mode"],
  kind: CapContribution["kind"],
  value: number,
  scope = "TOTAL",
  extra: { system?: string; priority?: number } = {},
): CapContribution {
  const cap: CapContribution = {
    system: extra.system ?? "test",
    dimension,
    mode,
    kind,
    value,
    scope,
  };
  const withPriority = extra.priority === undefined ? cap : { ...cap, priority: extra.priority };
  return scope === "REALM" ? { ...withPriority, realm: "test:realm" } : withPriority;
}

/** Test shorthand: one subsystem output. */
export function subsystem(
  parts: {
    primary?: Contribution[];
    derived?: Contribution[];
    caps?: CapContribution[];
  },
  system = "test",
): SubsystemOutput {
  return {
    primary: parts.primary ?? [],
    derived: parts.derived ?? [],
    caps: parts.caps ?? [],
    meta: { system },
  };
}
