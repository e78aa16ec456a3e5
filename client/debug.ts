/**
 * A read-only hook for tests and curious players: `window.__mmo.state()` describes what the
 * client currently shows. It exposes nothing the page does not already display.
 */
import { entityLevel, entityName, kindOf, type GameSession } from "./session.ts";

export type DebugState = {
  screen: string;
  zone: string;
  characterId: string;
  /** One's own entity's key in the state: the current room's session id. */
  entityId: string;
  x: number;
  y: number;
  hp: number;
  hpMax: number;
  level: number;
  entities: number;
  mapLoaded: boolean;
};

export type DebugEntity = {
  /** The entity's key in the state (its network id: session id, NPC content id, counter). */
  id: string;
  kind: string;
  /** As shown: players and NPCs by name, mobs and drops by their template's name. */
  name: string;
  level: number;
  /** Where it is now (dead reckoning), in world units. */
  x: number;
  y: number;
  /** 0..255 for players and mobs (0 = dead); absent for drops and NPCs. */
  hpRatio?: number;
};

export type DebugHook = {
  readonly state: () => DebugState | null;
  /** Entities in view (world units), for tests that click on things. */
  readonly entities: () => DebugEntity[];
};

declare global {
  interface Window {
    __mmo?: DebugHook;
  }
}

export function installDebugHook(session: () => GameSession | null): void {
  const state = (): DebugState | null => {
    const s = session();
    const own = s?.own();
    if (!s || !own) return null;
    let entities = 0;
    s.forEachEntity(() => (entities += 1));
    return {
      screen: document.body.dataset.screen ?? "",
      zone: s.zoneId,
      characterId: s.character.id,
      entityId: s.entityId,
      ...s.where(own),
      hp: s.self.hp,
      hpMax: s.self.hpMax,
      level: own.level ?? 0,
      entities,
      mapLoaded: s.map !== null,
    };
  };
  const entities = (): DebugEntity[] => {
    const s = session();
    const list: DebugEntity[] = [];
    s?.forEachEntity((entity, id) => {
      const { x, y } = s.where(entity);
      const kind = kindOf(entity) ?? String(entity.kind);
      const { hpRatio } = entity;
      const name = entityName(entity);
      list.push({ id, kind, name, level: entityLevel(entity), x, y, hpRatio });
    });
    return list;
  };
  Object.defineProperty(window, "__mmo", {
    value: Object.freeze({ state, entities }),
    writable: false,
    configurable: false,
  });
}
