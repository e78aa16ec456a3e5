/**
 * A character's running timers as stored: skill cooldowns, consumable cooldown groups and active
 * buffs/debuffs, each as a wall-clock expiry (epoch ms). Rooms count in game time, which starts
 * at zero in every room, so they convert on join and on save; wall-clock expiries keep counting
 * while the character is offline, as players expect.
 */
export type CharacterTimers = {
  /** Skill id → epoch ms at which it is ready again. */
  readonly skills: Readonly<Record<string, number>>;
  /** Consumable cooldown group → epoch ms at which it is ready again. */
  readonly items: Readonly<Record<string, number>>;
  readonly effects: readonly StoredEffect[];
};

/** A buff or debuff: the skill that applied it, who cast it, and when it runs out. */
export type StoredEffect = {
  readonly id: string;
  readonly sourceId: string;
  readonly expiresAt: number;
};

export const NO_TIMERS: CharacterTimers = Object.freeze({ skills: {}, items: {}, effects: [] });

/**
 * Reads the stored JSON, keeping only well-formed entries that have not expired at `now`:
 * a malformed column must not stop a character from loading.
 */
export function parseTimers(value: unknown, now: number): CharacterTimers {
  if (typeof value !== "object" || value === null) return NO_TIMERS;
  const raw = value as Record<string, unknown>;
  const effects: StoredEffect[] = [];
  if (Array.isArray(raw.effects)) {
    for (const e of raw.effects as unknown[]) {
      if (typeof e !== "object" || e === null) continue;
      const { id, sourceId, expiresAt } = e as Record<string, unknown>;
      if (typeof id !== "string" || typeof sourceId !== "string") continue;
      if (typeof expiresAt !== "number" || !(expiresAt > now)) continue;
      effects.push({ id, sourceId, expiresAt });
    }
  }
  return { skills: readyTimes(raw.skills, now), items: readyTimes(raw.items, now), effects };
}

function readyTimes(value: unknown, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return out;
  for (const [key, at] of Object.entries(value as Record<string, unknown>)) {
    if (typeof at === "number" && Number.isFinite(at) && at > now) out[key] = at;
  }
  return out;
}
