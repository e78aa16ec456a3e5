/** Tuning constants of combat; pass a different object to try other numbers. */
export type CombatRules = {
  /** Mitigation constant K: damage x K / (K + defense); defense K halves damage. */
  defenseK: number;
  defaultHitRate: number;
  defaultDodgeRate: number;
  /** Hit chance = hit_rate - dodge_rate, clamped to [minHitChance, maxHitChance]. */
  minHitChance: number;
  maxHitChance: number;
  /** Damage and heals vary uniformly by +/- this fraction. */
  variance: number;
  /** Upper clamp of any single hit or heal, so results stay finite. */
  maxAmount: number;
  /** cooldown_reduction is clamped to [0, cooldownReductionCap]. */
  cooldownReductionCap: number;
  /** attack_speed is floored here so intervals stay finite. */
  minAttackSpeed: number;
  /** Threat per point of effective healing, given to every mob fighting the healed target. */
  healThreatFactor: number;
  /** A new target must exceed the current one's threat by this ratio to pull aggro. */
  threatSwitchRatio: number;
  /** Threat halves after this long without being refreshed. */
  threatHalfLifeMs: number;
  /** Delay before a dead player may respawn. */
  playerRespawnDelayMs: number;
  /** hp and mp come back as these fractions of their maxima. */
  respawnHpFraction: number;
  respawnMpFraction: number;
  /** XP share weight loses this much per level the player is above the mob beyond the grace. */
  xpLevelPenaltyPerLevel: number;
  xpLevelGrace: number;
  xpMinLevelFactor: number;
};

export const DEFAULT_COMBAT_RULES: Readonly<CombatRules> = Object.freeze({
  defenseK: 100,
  defaultHitRate: 0.95,
  defaultDodgeRate: 0.05,
  minHitChance: 0.05,
  maxHitChance: 1,
  variance: 0.05,
  maxAmount: 1_000_000_000,
  cooldownReductionCap: 0.5,
  minAttackSpeed: 0.1,
  healThreatFactor: 0.5,
  threatSwitchRatio: 1.1,
  threatHalfLifeMs: 30_000,
  playerRespawnDelayMs: 10_000,
  respawnHpFraction: 0.5,
  respawnMpFraction: 0.5,
  xpLevelPenaltyPerLevel: 0.15,
  xpLevelGrace: 5,
  xpMinLevelFactor: 0.1,
});
