import type { CapContribution, Contribution, SubsystemOutput } from "./types.ts";

/**
 * A realistic level-35 character for tests and the benchmark: six subsystems (race, job+level,
 * equipment, buffs, zone, realm), 37 contributions over 17 dimensions, and 10 caps.
 */
export function sampleCharacterOutputs(): SubsystemOutput[] {
  return [
    output(
      "race",
      [
        flat("strength", 12, "race"),
        flat("agility", 10, "race"),
        flat("intelligence", 8, "race"),
        flat("vitality", 14, "race"),
        flat("spirit", 9, "race"),
      ],
      [flat("move_speed", 0.5, "race")],
      [cap("race", "lifespan_years", "BASELINE", "max", 120, "TOTAL")],
    ),
    output(
      "job",
      [
        flat("strength", 20, "job"),
        flat("agility", 6, "job"),
        flat("intelligence", 4, "job"),
        flat("vitality", 16, "job"),
        flat("spirit", 5, "job"),
        flat("level", 35, "job"),
      ],
      [
        { dimension: "attack_power", bucket: "MULT", value: 0.1, system: "job" },
        { dimension: "hp_max", bucket: "POST_ADD", value: 100, system: "job" },
      ],
      [],
    ),
    output(
      "equipment",
      [flat("strength", 15, "equipment"), flat("vitality", 10, "equipment")],
      [
        flat("attack_power", 120, "equipment"),
        flat("defense", 80, "equipment"),
        { dimension: "defense", bucket: "MULT", value: 0.15, system: "equipment" },
        flat("hp_max", 250, "equipment"),
        flat("crit_rate", 0.05, "equipment"),
        flat("crit_damage", 0.25, "equipment"),
        flat("attack_speed", 0.1, "equipment"),
        flat("move_speed", 0.5, "equipment"),
        flat("cooldown_reduction", 0.1, "equipment"),
      ],
      [],
    ),
    output(
      "buffs",
      [{ dimension: "strength", bucket: "MULT", value: 0.1, system: "buffs" }],
      [
        { dimension: "attack_power", bucket: "MULT", value: 0.2, system: "buffs" },
        flat("crit_rate", 0.1, "buffs"),
        { dimension: "move_speed", bucket: "MULT", value: 0.1, system: "buffs" },
        { dimension: "defense", bucket: "POST_ADD", value: 20, system: "buffs" },
        flat("cooldown_reduction", 0.15, "buffs"),
        { dimension: "attack_speed", bucket: "MULT", value: -0.1, system: "debuff" },
        flat("move_speed", -0.5, "debuff"),
      ],
      [],
    ),
    output(
      "zone",
      [],
      [{ dimension: "move_speed", bucket: "MULT", value: -0.05, system: "zone" }],
      [
        cap("zone", "move_speed", "HARD_MAX", "max", 10, "WORLD"),
        cap("zone", "cooldown_reduction", "HARD_MAX", "max", 0.4, "WORLD"),
        cap("zone", "crit_rate", "HARD_MAX", "max", 0.75, "EVENT"),
      ],
    ),
    output(
      "realm",
      [flat("spirit", 10, "realm")],
      [flat("mp_max", 200, "realm"), flat("magic_power", 50, "realm")],
      [
        cap("realm", "strength", "HARD_MAX", "max", 150, "REALM"),
        cap("realm", "attack_power", "BASELINE", "max", 5000, "REALM"),
        cap("realm", "attack_power", "ADDITIVE", "max", 1000, "REALM"),
        cap("realm", "spirit", "HARD_MIN", "min", 20, "REALM"),
        cap("realm", "level", "BASELINE", "max", 60, "REALM"),
        cap("realm", "lifespan_years", "ADDITIVE", "max", 80, "TOTAL"),
      ],
    ),
  ];
}

function flat(dimension: string, value: number, system: string): Contribution {
  return { dimension, bucket: "FLAT", value, system };
}

function cap(
  system: string,
  dimension: string,
  mode: CapContribution["mode"],
  kind: CapContribution["kind"],
  value: number,
  scope: string,
): CapContribution {
  return scope === "REALM"
    ? { system, dimension, mode, kind, value, scope, realm: "foundation:early" }
    : { system, dimension, mode, kind, value, scope };
}

function output(
  system: string,
  primary: Contribution[],
  derived: Contribution[],
  caps: CapContribution[],
): SubsystemOutput {
  return { primary, derived, caps, meta: { system, version: 1 } };
}
