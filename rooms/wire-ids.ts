/**
 * Clients know entities by their network key in `ZoneState.entities` (schema/to-schema.ts), the
 * simulation by world id (a character id, a mob's spawn id). The room translates at its edge:
 * ids in incoming intents to world ids, ids in outgoing notices to network keys.
 */
import type { SimAction, SimNotice } from "../src/zone/sim-types.ts";

export type IdTranslation = {
  /** The network key of a world id, while the entity is in the state. */
  keyOf(worldId: string): string | undefined;
  /** The world id behind a network key, while the entity is in the state. */
  idOf(key: string): string | undefined;
};

/**
 * Stands for a key that names nothing in the state: the simulation refuses it like any unknown
 * target, and no world id can be reached by guessing it.
 */
const UNKNOWN = "";

/** An intent with the entity keys it names turned into world ids. */
export function actionFromWire(action: SimAction, ids: IdTranslation): SimAction {
  const world = (key: string) => ids.idOf(key) ?? UNKNOWN;
  switch (action.type) {
    case "attack":
      return { ...action, targetId: world(action.targetId) };
    case "pickup":
      return { ...action, dropId: world(action.dropId) };
    case "interact":
      return { ...action, npcId: world(action.npcId) };
    case "cast":
      return action.targetId === undefined
        ? action
        : { ...action, targetId: world(action.targetId) };
    default:
      return action;
  }
}

/** A notice as it leaves the room: its `type` and its fields. */
export type WireNotice = { readonly type: string; readonly [field: string]: unknown };

/**
 * A notice as clients receive it: entity ids become network keys (an entity already gone from
 * the state becomes ""), and positions whole units (msgpack sends a float as 9 bytes, a unit as
 * 2 or 3: a third of a `damaged` notice). Notices sent only to their own character keep its
 * character id.
 */
export function noticeToWire(notice: SimNotice, ids: IdTranslation): WireNotice {
  const wire = withKeys(notice, ids);
  if (typeof wire.x !== "number" || typeof wire.y !== "number") return wire;
  return { ...wire, x: Math.round(wire.x), y: Math.round(wire.y) };
}

function withKeys(notice: SimNotice, ids: IdTranslation): WireNotice {
  const key = (id: string) => ids.keyOf(id) ?? UNKNOWN;
  const maybe = (id: string | null) => (id === null ? null : key(id));
  switch (notice.type) {
    case "damaged":
    case "missed":
    case "healed":
    case "effectApplied":
      return { ...notice, targetId: key(notice.targetId), sourceId: key(notice.sourceId) };
    case "effectExpired":
      return { ...notice, targetId: key(notice.targetId) };
    case "died":
      return { ...notice, id: key(notice.id), killerId: maybe(notice.killerId) };
    case "castStarted":
    case "casted":
      return { ...notice, casterId: key(notice.casterId), targetId: maybe(notice.targetId) };
    case "castCancelled":
      return { ...notice, casterId: key(notice.casterId) };
    case "leveledUp":
      return {
        type: notice.type,
        entityId: key(notice.characterId),
        level: notice.level,
        previousLevel: notice.previousLevel,
      };
    case "npc":
      return { ...notice, npcId: key(notice.npcId) };
    default:
      return notice;
  }
}
