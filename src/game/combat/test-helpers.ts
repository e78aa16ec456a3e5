import type { Rng, RngState } from "../rng.ts";
import type { CombatStats } from "./combat-stats.ts";

/** An Rng that replays fixed draws (cycling), for exact-number tests. */
export function scriptedRng(draws: readonly number[]): Rng {
  let i = 0;
  const next = () => draws[i++ % draws.length] as number;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
    getState: (): RngState => [i, 0, 0, 0],
    setState: (s) => {
      i = s[0];
    },
  };
}

/** Plain stats with every dimension set; override what the test is about. */
export function statsOf(overrides: Partial<CombatStats> = {}): CombatStats {
  return {
    hp_max: 500,
    mp_max: 100,
    attack_power: 100,
    magic_power: 100,
    defense: 0,
    crit_rate: 0,
    crit_damage: 1.5,
    attack_speed: 1,
    move_speed: 150,
    cooldown_reduction: 0,
    hit_rate: 1,
    dodge_rate: 0,
    ...overrides,
  };
}
