/**
 * Turning a skill hotkey into a `cast` intent: single-target skills use the selected target (or
 * the one under the cursor; heals fall back to oneself), area skills centre on the target, the
 * cursor or the caster, self skills need nothing. Range, mana and cooldown are checked here only
 * to explain a refusal early; the server decides.
 */
import type { SkillInfo } from "./content.ts";
import type { Point } from "../clients/js/dead-reckoning.ts";
import { kindOf, type EntityView } from "./session.ts";

export type CastIntent = { skillId: string; targetId?: string; x?: number; y?: number };

export type CastContext = {
  own: EntityView;
  /** One's own mana (GameSession.self). */
  mp: number;
  /** One's own entity's key (network id): the target of a heal that falls back to oneself. */
  ownId: string;
  /** The attack target, else the entity under the cursor. */
  target: EntityView | undefined;
  /** The key of `target` (entities carry no id: the server knows them by their key). */
  targetId: string | undefined;
  cursor: Point | null;
  cooldownMs: number;
  /** Where an entity is now (dead reckoning); defaults to its replicated x/y. */
  at?: (entity: EntityView) => Point;
};

export function castIntent(skill: SkillInfo, ctx: CastContext): CastIntent | { error: string } {
  const { own, target } = ctx;
  const at = ctx.at ?? ((entity: EntityView) => entity);
  if (ctx.cooldownMs > 0) {
    return { error: `${skill.name} is ready in ${(ctx.cooldownMs / 1000).toFixed(1)} s.` };
  }
  if (ctx.mp < skill.mpCost) return { error: `Not enough mana for ${skill.name}.` };
  if (skill.target === "self") return { skillId: skill.id };
  const friendly = skill.kind === "heal" || skill.kind === "buff";
  if (skill.target === "single") {
    const targeted =
      target && kindOf(target) === (friendly ? "player" : "mob") ? target : undefined;
    const chosenId = targeted ? ctx.targetId : friendly ? ctx.ownId : undefined;
    if (chosenId === undefined) {
      return { error: `${skill.name} needs a target: click a mob first.` };
    }
    if (targeted && skill.range > 0 && distance(at(own), at(targeted)) > skill.range) {
      return { error: `${skill.name}: target out of range.` };
    }
    return { skillId: skill.id, targetId: chosenId };
  }
  const self = at(own);
  if (skill.range === 0) return { skillId: skill.id, x: self.x, y: self.y };
  const point = target ? at(target) : ctx.cursor;
  if (!point) return { error: `${skill.name} needs a place: point at the ground.` };
  if (distance(self, point) > skill.range) return { error: `${skill.name}: too far away.` };
  return { skillId: skill.id, x: point.x, y: point.y };
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
