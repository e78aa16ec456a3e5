/**
 * Fixtures for world tests and benchmarks: a tiny seeded rng and stand-in mob templates shaped
 * like content/mobs.json entries (the room wires the real templates).
 */
import type { PlayerInit } from "./world.ts";
import type { MobAiParams, MobTemplateLike, WorldRng } from "./world-types.ts";

/** Mulberry32: a small deterministic generator, good enough for tests. */
export function seededRng(seed: number): WorldRng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

function mob(
  id: string,
  level: number,
  hp: number,
  ai: Partial<MobAiParams> & Pick<MobAiParams, "aggroRadius" | "moveSpeed">,
): MobTemplateLike {
  const defaults = {
    leashRadius: 600,
    attackRange: 48,
    attackCooldownMs: 1500,
    wanderRadius: 120,
    respawnMs: 10_000,
  };
  return { id, name: id.replace("_", " "), level, hp, ai: { ...defaults, ...ai } };
}

export const fixtureMobs = {
  slime: mob("slime", 1, 30, {
    aggroRadius: 120,
    leashRadius: 500,
    moveSpeed: 80,
    wanderRadius: 150,
  }),
  wolf: mob("wolf", 4, 80, {
    aggroRadius: 220,
    leashRadius: 700,
    moveSpeed: 170,
    wanderRadius: 250,
  }),
  alpha_wolf: mob("alpha_wolf", 6, 300, { aggroRadius: 256, moveSpeed: 190 }),
  skeleton: mob("skeleton", 8, 160, { aggroRadius: 260, moveSpeed: 120, wanderRadius: 100 }),
  corpse_puppet: mob("corpse_puppet", 11, 300, { aggroRadius: 288, moveSpeed: 100 }),
  bone_lord: mob("bone_lord", 12, 2000, { aggroRadius: 320, moveSpeed: 110, wanderRadius: 0 }),
} satisfies Record<string, MobTemplateLike>;

/** Lookup over the fixture templates, shaped like createWorld's `mobTemplate` argument. */
export function fixtureMobTemplate(id: string): MobTemplateLike | undefined {
  return (fixtureMobs as Record<string, MobTemplateLike>)[id];
}

/** A level-1 character at (x, y) units with 160 units/s move speed. */
export function fixturePlayer(id: string, x: number, y: number): PlayerInit {
  return {
    id,
    name: `Hero ${id}`,
    x,
    y,
    level: 1,
    hp: 100,
    hpMax: 100,
    mp: 50,
    mpMax: 50,
    moveSpeed: 160,
    attackRange: 60,
    attackCooldownMs: 1000,
  };
}
