import type { StatMod } from "../content/common.ts";
import type { AutoAttack, Skill } from "../content/skills.ts";
import { createRng } from "../rng.ts";
import { beginCast, tickCast, type ActiveCast, type CasterState } from "./casting.ts";
import type { CombatStats } from "./combat-stats.ts";
import { autoAttackIntervalMs } from "./cooldowns.ts";
import { applyDamage, applyHeal } from "./death.ts";
import { applyEffect, tickEffects, type ActiveEffects } from "./effects.ts";
import {
  resolveAutoAttack,
  resolveSkill,
  selectAreaTargets,
  type SkillOutcome,
} from "./resolve-skill.ts";
import { DEFAULT_COMBAT_RULES, type CombatRules } from "./rules.ts";

/** One side of a duel: base stats plus a skill priority list. */
export type Duelist = {
  id: string;
  jobId: string;
  stats: CombatStats;
  x: number;
  y: number;
  autoAttack: AutoAttack;
  /** Tried in order whenever not casting; heals only below half hp. */
  skills: readonly Skill[];
};

export type DuelOptions = { seed: number; tickMs?: number; maxMs?: number; rules?: CombatRules };

export type DuelResult = { winner: string | null; durationMs: number; log: string[] };

type Fighter = {
  d: Duelist;
  hp: number;
  caster: CasterState;
  effects: ActiveEffects;
  stats: CombatStats;
  nextAutoAtMs: number;
};

/**
 * Simulate a stationary fight on a fixed tick with the real combat rules: casts, cooldowns, mp,
 * buffs, auto-attacks. Same duelists and seed give the same log. For tests and balancing.
 */
export function simulateDuel(a: Duelist, b: Duelist, options: DuelOptions): DuelResult {
  const rng = createRng(options.seed);
  const tickMs = options.tickMs ?? 100;
  const maxMs = options.maxMs ?? 120_000;
  const rules = options.rules ?? DEFAULT_COMBAT_RULES;
  const fighters = [a, b].map((d): Fighter => ({
    d,
    hp: d.stats.hp_max,
    caster: { mp: d.stats.mp_max, cooldowns: {}, cast: null },
    effects: [],
    stats: d.stats,
    nextAutoAtMs: 0,
  })) as [Fighter, Fighter];
  const distance = Math.hypot(a.x - b.x, a.y - b.y);
  const log: string[] = [];

  const land = (
    src: Fighter,
    tgtOf: (id: string) => Fighter,
    outcomes: SkillOutcome[],
    now: number,
    what: string,
  ) => {
    for (const o of outcomes) {
      const tgt = tgtOf(o.targetId);
      if (o.type === "damage") {
        const r = applyDamage(tgt.hp, o.amount);
        tgt.hp = r.hp;
        log.push(
          `${now} ${src.d.id} ${what} ${tgt.d.id} ${o.hit ? o.amount : "miss"}${o.crit ? "!" : ""} hp=${tgt.hp}`,
        );
        if (r.died) log.push(`${now} ${tgt.d.id} died`);
      } else if (o.type === "heal") {
        const r = applyHeal(tgt.hp, o.amount, tgt.stats.hp_max);
        tgt.hp = r.hp;
        log.push(
          `${now} ${src.d.id} ${what} ${tgt.d.id} +${r.healed}${o.crit ? "!" : ""} hp=${tgt.hp}`,
        );
      } else {
        tgt.effects = applyEffect(tgt.effects, o.effect);
        tgt.stats = withEffects(tgt.d.stats, tgt.effects);
        log.push(`${now} ${src.d.id} ${what} ${tgt.d.id} until ${o.effect.expiresAtMs}`);
      }
    }
  };

  for (let now = 0; now <= maxMs; now += tickMs) {
    for (const [i, self] of fighters.entries()) {
      const foe = fighters[1 - i] as Fighter;
      if (self.hp <= 0 || foe.hp <= 0) continue;
      const ticked = tickEffects(self.effects, now);
      if (ticked.changed) {
        self.effects = ticked.effects;
        self.stats = withEffects(self.d.stats, self.effects);
        log.push(`${now} ${self.d.id} effects expired`);
      }
      const byId = (id: string) => (id === self.d.id ? self : foe);
      const finish = (cast: ActiveCast) => {
        const skill = self.d.skills.find((s) => s.id === cast.skillId) as Skill;
        const side = isFriendly(skill) ? self : foe;
        const targets =
          skill.target.type === "area"
            ? selectAreaTargets(cast.x, cast.y, skill.target.radius, [
                { x: side.d.x, y: side.d.y, f: side },
              ]).map((t) => t.f)
            : [byId(cast.targetId ?? self.d.id)];
        const outcomes = resolveSkill(
          skill,
          { id: self.d.id, stats: self.stats },
          targets.map((t) => ({ id: t.d.id, stats: t.stats })),
          rng,
          now,
          rules,
        );
        land(self, byId, outcomes, now, skill.id);
      };
      const done = tickCast(self.caster, now);
      self.caster = done.caster;
      if (done.completed !== null) finish(done.completed);
      if (self.caster.cast !== null || foe.hp <= 0) continue;

      for (const skill of self.d.skills) {
        if (skill.kind === "heal" && self.hp * 2 > self.stats.hp_max) continue;
        const aim = aimOf(skill, self.d, foe.d);
        const started = beginCast(
          self.caster,
          {
            skill,
            jobId: self.d.jobId,
            stats: self.stats,
            alive: true,
            ...aim,
            distance: Math.hypot(aim.x - self.d.x, aim.y - self.d.y),
            nowMs: now,
          },
          rules,
        );
        if (!started.ok) continue;
        self.caster = started.caster;
        log.push(
          `${now} ${self.d.id} ${started.instant ? "uses" : "begins"} ${skill.id} mp=${self.caster.mp}`,
        );
        if (started.instant) finish(started.cast);
        break;
      }
      if (self.caster.cast !== null || foe.hp <= 0) continue;
      if (now >= self.nextAutoAtMs && distance <= self.d.autoAttack.range) {
        const o = resolveAutoAttack(
          self.d.autoAttack,
          { id: self.d.id, stats: self.stats },
          { id: foe.d.id, stats: foe.stats },
          rng,
          rules,
        );
        land(self, byId, [o], now, self.d.autoAttack.id);
        self.nextAutoAtMs = now + autoAttackIntervalMs(self.d.autoAttack, self.stats, rules);
      }
    }
    const alive = fighters.filter((f) => f.hp > 0);
    if (alive.length < 2) return { winner: alive[0]?.d.id ?? null, durationMs: now, log };
  }
  return { winner: null, durationMs: maxMs, log };
}

function isFriendly(skill: Skill): boolean {
  return skill.kind === "buff" || skill.kind === "heal";
}

/** Where a skill is pointed: the caster for self/ally skills and centred areas, else the foe. */
function aimOf(skill: Skill, self: Duelist, foe: Duelist) {
  const centredOnSelf = skill.target.type === "area" && skill.range === 0;
  const at = isFriendly(skill) || skill.target.type === "self" || centredOnSelf ? self : foe;
  return { targetId: skill.target.type === "area" ? null : at.id, x: at.x, y: at.y };
}

/** Stand-in for the aggregator: (base + FLAT) x (1 + sum of MULT deltas) per dimension. */
function withEffects(base: CombatStats, effects: ActiveEffects): CombatStats {
  if (effects.length === 0) return base;
  const flat: Record<string, number> = {};
  const mult: Record<string, number> = {};
  const add = (m: StatMod) => {
    const into = m.bucket === "FLAT" ? flat : mult;
    into[m.dimension] = (into[m.dimension] ?? 0) + m.value;
  };
  for (const e of effects) e.modifiers.forEach(add);
  const out: Record<string, number> = { ...base };
  for (const dim of new Set([...Object.keys(flat), ...Object.keys(mult)])) {
    if (!(dim in base)) continue;
    out[dim] = ((out[dim] ?? 0) + (flat[dim] ?? 0)) * (1 + (mult[dim] ?? 0));
  }
  return out as CombatStats;
}
