/**
 * Skills inside a zone simulation: the adapter between the pure combat rules (casting,
 * resolve-skill, effects) and the mutable world.
 *
 * - A cast is checked and paid for (mp, cooldown) when its action is applied. Instant skills go
 *   off at once; skills with a cast time stop the caster and go off on the first step at or after
 *   their completion time. A `move` input during the cast cancels it (mp and cooldown stay spent),
 *   so does death; a single target that died or left meanwhile cancels it with NO_TARGET.
 * - Damage goes through the world's applyDamage, so kills, xp and loot follow the usual path.
 * - Player buffs and debuffs feed the character stats (effects subsystem); mobs' go to MobCombat,
 *   as does the threat skills cause (damage x threatMultiplier, debuffs, heals).
 */
import type { GameData } from "../content/load-game-data.ts";
import type { Skill } from "../game/content/skills.ts";
import { beginCast, cancelCast, tickCast, type ActiveCast } from "../game/combat/casting.ts";
import type { CombatStats } from "../game/combat/combat-stats.ts";
import { applyHeal } from "../game/combat/death.ts";
import { applyEffect, tickEffects, type ActiveEffect } from "../game/combat/effects.ts";
import { resolveSkill, selectAreaTargets, type SkillTarget } from "../game/combat/resolve-skill.ts";
import type { Rng } from "../game/rng.ts";
import { applyDamage, isDead, type Combatant } from "../game/world/damage.ts";
import { canAid, canHarm } from "../game/world/hostility.ts";
import type { WorldEvent } from "../game/world/world-events.ts";
import { EntityKind, type World } from "../game/world/world-types.ts";
import { entityById } from "../game/world/world.ts";
import { pushExpired, type MobCombat } from "./mob-combat.ts";
import type { CastAction, SimNotice, SimPlayer } from "./sim-types.ts";

/** What casting needs from the simulation that owns it. */
export type CastingHost = {
  readonly world: World;
  readonly data: GameData;
  readonly rng: Rng;
  player(id: string): SimPlayer | undefined;
  players(): Iterable<SimPlayer>;
  readonly mobs: MobCombat;
  /** Recompute a player's stats after its effects changed. */
  refreshStats(player: SimPlayer): void;
};

export class SkillCasting {
  private readonly host: CastingHost;
  private readonly scratch: number[] = [];

  constructor(host: CastingHost) {
    this.host = host;
  }

  /** Applies a `cast` action at the current world time. */
  cast(p: SimPlayer, action: CastAction, events: WorldEvent[], notices: SimNotice[]): void {
    const { world, data } = this.host;
    const me = p.entity;
    const refuse = (reason: string, remainingMs?: number) =>
      void notices.push({
        type: "refused",
        characterId: me.id,
        action: "cast",
        reason,
        ...(remainingMs !== undefined ? { remainingMs } : {}),
      });
    const skill = data.content.skills.get(action.skillId);
    if (!skill) return refuse("UNKNOWN_SKILL");
    // Without an aim, beginCast still runs so its refusals keep their order (cooldown before
    // target); a cast it would allow is then refused with NO_TARGET.
    const aim = this.aim(p, skill, action);
    const started = beginCast(
      { mp: me.mp, cooldowns: p.skillCooldowns, cast: p.cast },
      {
        skill,
        jobId: p.record.character.job,
        stats: p.stats,
        alive: !me.dead,
        targetId: aim?.targetId ?? null,
        distance: aim ? Math.hypot(aim.x - me.x, aim.y - me.y) : 0,
        x: aim?.x ?? me.x,
        y: aim?.y ?? me.y,
        nowMs: world.timeMs,
      },
    );
    if (!started.ok) return refuse(started.code, started.remainingMs);
    if (!aim) return refuse("NO_TARGET");
    me.mp = started.caster.mp;
    p.skillCooldowns = started.caster.cooldowns;
    p.cast = started.caster.cast;
    if (aim.x !== me.x || aim.y !== me.y) me.dir = Math.atan2(aim.y - me.y, aim.x - me.x);
    if (started.instant) return this.resolve(p, started.cast, events, notices);
    me.moveX = 0;
    me.moveY = 0;
    notices.push({
      type: "castStarted",
      casterId: me.id,
      skillId: skill.id,
      targetId: aim.targetId,
      x: aim.x,
      y: aim.y,
      castTimeMs: skill.castTimeMs,
    });
  }

  /** Cancels `p`'s cast in progress (moved, died); mp and cooldown stay spent. */
  cancel(p: SimPlayer, reason: string, notices: SimNotice[]): void {
    const cast = p.cast;
    if (cast === null) return;
    p.cast = cancelCast({ mp: p.entity.mp, cooldowns: p.skillCooldowns, cast }).cast;
    notices.push({
      type: "castCancelled",
      casterId: p.entity.id,
      skillId: cast.skillId,
      reason,
      x: p.entity.x,
      y: p.entity.y,
    });
  }

  /** Resolves casts whose time has come (call once per step, before the world step). */
  tickCasts(events: WorldEvent[], notices: SimNotice[]): void {
    const now = this.host.world.timeMs;
    for (const p of this.host.players()) {
      if (p.cast === null) continue;
      if (p.entity.dead) {
        this.cancel(p, "DEAD", notices);
        continue;
      }
      const { caster, completed } = tickCast(
        { mp: p.entity.mp, cooldowns: p.skillCooldowns, cast: p.cast },
        now,
      );
      p.cast = caster.cast;
      if (completed) this.resolve(p, completed, events, notices);
    }
  }

  /** Removes players' expired buffs and debuffs and recomputes their stats. */
  tickEffects(notices: SimNotice[]): void {
    const now = this.host.world.timeMs;
    for (const p of this.host.players()) {
      if (p.effects.length === 0) continue;
      const next = tickEffects(p.effects, now);
      if (!next.changed) continue;
      pushExpired(p.effects, next.effects, p.entity, notices);
      p.effects = next.effects;
      this.host.refreshStats(p);
    }
  }

  /** A player died or left: its cast and effects end (notices only when it died here). */
  forgetPlayer(p: SimPlayer, notices: SimNotice[] | null): void {
    if (notices) this.cancel(p, "DEAD", notices);
    else p.cast = null;
    if (p.effects.length === 0) return;
    if (notices) pushExpired(p.effects, [], p.entity, notices);
    p.effects = [];
    this.host.refreshStats(p);
  }

  /** Where a cast is aimed: target entity id and point; null when there is nothing to aim at. */
  private aim(
    p: SimPlayer,
    skill: Skill,
    action: CastAction,
  ): { targetId: string | null; x: number; y: number } | null {
    const me = p.entity;
    const hostile = skill.kind === "damage" || skill.kind === "debuff";
    const self = { targetId: me.id, x: me.x, y: me.y };
    switch (skill.target.type) {
      case "self":
        return self;
      case "single": {
        if (action.targetId === undefined) return hostile ? null : self;
        const target = this.living(me.id, action.targetId, hostile);
        return target ? { targetId: target.id, x: target.x, y: target.y } : null;
      }
      case "area": {
        if (skill.range === 0) return { targetId: null, x: me.x, y: me.y };
        if (action.targetId !== undefined) {
          const target = this.living(me.id, action.targetId, hostile);
          return target ? { targetId: target.id, x: target.x, y: target.y } : null;
        }
        if (action.x !== undefined && action.y !== undefined) {
          return { targetId: null, x: action.x, y: action.y };
        }
        return null;
      }
    }
  }

  /**
   * A living target by id: for hostile skills a mob (or, in PvP worlds, an enemy player), for
   * friendly skills a player the caster may aid.
   */
  private living(casterId: string, id: string, hostile: boolean): Combatant | undefined {
    const { world } = this.host;
    const e = entityById(world, id);
    if (e?.kind !== EntityKind.Mob && e?.kind !== EntityKind.Player) return undefined;
    if (isDead(e)) return undefined;
    if (hostile) return canHarm(world, casterId, e) ? e : undefined;
    return e.kind === EntityKind.Player && canAid(world, casterId, e.id) ? e : undefined;
  }

  /** The skill goes off: picks its targets and applies the outcomes to the world. */
  private resolve(
    p: SimPlayer,
    cast: ActiveCast,
    events: WorldEvent[],
    notices: SimNotice[],
  ): void {
    const { world, data, rng } = this.host;
    const skill = data.content.skills.get(cast.skillId);
    if (!skill) return;
    const me = p.entity;
    const aimed = this.targetsOf(p, skill, cast);
    if (aimed === null) {
      notices.push({
        type: "castCancelled",
        casterId: me.id,
        skillId: skill.id,
        reason: "NO_TARGET",
        x: me.x,
        y: me.y,
      });
      return;
    }
    const { targets, x, y } = aimed;
    notices.push({
      type: "casted",
      casterId: me.id,
      skillId: skill.id,
      targetId: cast.targetId,
      x,
      y,
    });
    const rolled: SkillTarget[] = targets.map((t) => ({ id: t.id, stats: this.statsOf(t) }));
    const outcomes = resolveSkill(skill, { id: me.id, stats: p.stats }, rolled, rng, world.timeMs);
    const byId = new Map<string, Combatant>(targets.map((t) => [t.id, t]));
    for (const o of outcomes) {
      const target = byId.get(o.targetId);
      if (!target || isDead(target)) continue;
      switch (o.type) {
        case "damage": {
          if (!o.hit) {
            events.push({ type: "missed", targetId: target.id, sourceId: me.id });
            break;
          }
          const dealt = applyDamage(world, target, o.amount, me, o.crit, events);
          // The damaged event adds 1x threat; the skill's multiplier adds the rest.
          const extra = dealt.applied ? dealt.amount * ((skill.threatMultiplier ?? 1) - 1) : 0;
          if (target.kind === EntityKind.Mob && extra > 0)
            this.host.mobs.addThreat(target, me.id, extra);
          break;
        }
        case "heal": {
          if (target.kind !== EntityKind.Player) break;
          const healed = applyHeal(target.hp, Math.round(o.amount), target.hpMax);
          target.hp = healed.hp;
          notices.push({
            type: "healed",
            targetId: target.id,
            sourceId: me.id,
            amount: healed.healed,
            crit: o.crit,
            x: target.x,
            y: target.y,
          });
          if (healed.healed > 0) this.host.mobs.addHealThreat(me.id, target.id, healed.healed);
          break;
        }
        case "effect": {
          this.applyEffectTo(target, o.effect, notices);
          if (target.kind === EntityKind.Mob) this.host.mobs.addThreat(target, me.id, o.threat);
          break;
        }
      }
    }
  }

  /** Targets and the point the skill lands on when it goes off; null when its target is gone. */
  private targetsOf(
    p: SimPlayer,
    skill: Skill,
    cast: ActiveCast,
  ): { targets: Combatant[]; x: number; y: number } | null {
    const me = p.entity;
    const hostile = skill.kind === "damage" || skill.kind === "debuff";
    switch (skill.target.type) {
      case "self":
        return { targets: [me], x: me.x, y: me.y };
      case "single": {
        const target =
          cast.targetId === null ? undefined : this.living(me.id, cast.targetId, hostile);
        return target ? { targets: [target], x: target.x, y: target.y } : null;
      }
      case "area": {
        // Range-0 areas follow the caster; others land where they were aimed when cast.
        const x = skill.range === 0 ? me.x : cast.x;
        const y = skill.range === 0 ? me.y : cast.y;
        const near = this.near(me.id, x, y, skill.target.radius, hostile);
        return { targets: selectAreaTargets(x, y, skill.target.radius, near), x, y };
      }
    }
  }

  /**
   * Living mobs (hostile; in PvP worlds also enemy players) or players the caster may aid
   * (friendly) that the grid finds around (x, y).
   */
  private near(casterId: string, x: number, y: number, radius: number, hostile: boolean) {
    const { world } = this.host;
    const grid = hostile ? world.grid : world.playerGrid;
    grid.queryRadius(x, y, radius, this.scratch);
    const found: Combatant[] = [];
    for (const h of this.scratch) {
      const e = world.entities[h];
      if (hostile) {
        if ((e?.kind === EntityKind.Mob || e?.kind === EntityKind.Player) && !isDead(e)) {
          if (canHarm(world, casterId, e)) found.push(e);
        }
      } else if (e?.kind === EntityKind.Player && canAid(world, casterId, e.id)) {
        found.push(e);
      }
    }
    return found;
  }

  private statsOf(c: Combatant): CombatStats {
    const stats =
      c.kind === EntityKind.Player ? this.host.player(c.id)?.stats : this.host.mobs.stats(c);
    if (!stats) throw new Error(`no combat stats for ${c.id}`);
    return stats;
  }

  private applyEffectTo(target: Combatant, effect: ActiveEffect, notices: SimNotice[]): void {
    if (target.kind === EntityKind.Player) {
      const p = this.host.player(target.id);
      if (!p) return;
      p.effects = applyEffect(p.effects, effect);
      this.host.refreshStats(p);
    } else {
      this.host.mobs.applyEffect(target, effect);
    }
    notices.push({
      type: "effectApplied",
      targetId: target.id,
      sourceId: effect.sourceId,
      effectId: effect.id,
      kind: effect.kind,
      durationMs: effect.expiresAtMs - effect.appliedAtMs,
      x: target.x,
      y: target.y,
    });
  }
}
