import type { Leveling, Realm } from "../content/leveling.ts";

/** A character's progress: `xp` counts toward the next level, not since level 1. */
export type LevelState = { level: number; xp: number };

export const LevelingEventType = {
  LEVELED_UP: "leveledUp",
  REALM_ADVANCED: "realmAdvanced",
  LEVEL_CAP_REACHED: "levelCapReached",
} as const;
export type LevelingEventType = (typeof LevelingEventType)[keyof typeof LevelingEventType];

export type LevelingEvent =
  | { type: typeof LevelingEventType.LEVELED_UP; level: number }
  | { type: typeof LevelingEventType.REALM_ADVANCED; realm: string; from: string; level: number }
  | { type: typeof LevelingEventType.LEVEL_CAP_REACHED; level: number };

export type AddXpResult = {
  level: number;
  /** Progress toward the next level; always 0 at the level cap. */
  xp: number;
  levelsGained: number;
  realm: Realm;
  /** XP that could not count because the character is at the cap (it is dropped, not banked). */
  xpDiscarded: number;
  /** True when at least one level was gained: the caller refills hp and mp. */
  restoreHpMp: boolean;
  events: LevelingEvent[];
};

/** XP needed to go from `level` to `level + 1`; 0 at or above the level cap. */
export function xpForLevel(level: number, leveling: Leveling): number {
  assertLevel(level);
  if (level >= leveling.levelCap) return 0;
  const { base, exponent, linear } = leveling.xpCurve;
  return Math.max(1, Math.floor(base * level ** exponent + linear * level));
}

/** Total XP from the start of level 1 to the start of `level`. */
export function totalXpForLevel(level: number, leveling: Leveling): number {
  assertLevel(level);
  let total = 0;
  for (let l = 1; l < Math.min(level, leveling.levelCap); l++) total += xpForLevel(l, leveling);
  return total;
}

/** The realm tier a level belongs to (levels above the cap count as the last tier). */
export function realmForLevel(level: number, leveling: Leveling): Realm {
  assertLevel(level);
  const realms = leveling.realms;
  for (const realm of realms) if (level <= realm.maxLevel) return realm;
  return realms[realms.length - 1] as Realm;
}

/**
 * Add `amount` XP (non-negative integer): overflow carries into the next levels; at the level cap
 * the bar stays at 0 and the rest is reported as `xpDiscarded`.
 */
export function addXp(state: LevelState, amount: number, leveling: Leveling): AddXpResult {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`addXp: amount must be a non-negative integer, got ${amount}`);
  }
  assertLevel(state.level);
  const cap = leveling.levelCap;
  const events: LevelingEvent[] = [];
  const startLevel = Math.min(state.level, cap);
  let level = startLevel;
  let xp = state.xp + amount;
  let realm = realmForLevel(level, leveling);

  while (level < cap) {
    const need = xpForLevel(level, leveling);
    if (xp < need) break;
    xp -= need;
    level += 1;
    events.push({ type: LevelingEventType.LEVELED_UP, level });
    const next = realmForLevel(level, leveling);
    if (next.id !== realm.id) {
      events.push({
        type: LevelingEventType.REALM_ADVANCED,
        realm: next.id,
        from: realm.id,
        level,
      });
      realm = next;
    }
  }
  let xpDiscarded = 0;
  if (level >= cap) {
    xpDiscarded = xp;
    xp = 0;
    if (level > startLevel) events.push({ type: LevelingEventType.LEVEL_CAP_REACHED, level });
  }
  const levelsGained = level - startLevel;
  return { level, xp, levelsGained, realm, xpDiscarded, restoreHpMp: levelsGained > 0, events };
}

function assertLevel(level: number): void {
  if (!Number.isInteger(level) || level < 1)
    throw new RangeError(`level must be >= 1, got ${level}`);
}
