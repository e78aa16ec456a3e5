/**
 * A read-only hook for tests and curious players: `window.__mmo.state()` describes what the
 * client currently shows. It exposes nothing the page does not already display.
 */
import type { GameSession } from "./session.ts";

export type DebugState = {
  screen: string;
  zone: string;
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
  id: string;
  kind: string;
  name: string;
  x: number;
  y: number;
  hpRatio: number;
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
      entityId: s.entityId,
      ...s.where(own),
      hp: own.hp ?? 0,
      hpMax: own.hpMax ?? 0,
      level: own.level,
      entities,
      mapLoaded: s.map !== null,
    };
  };
  const entities = (): DebugEntity[] => {
    const list: DebugEntity[] = [];
    session()?.forEachEntity(({ id, kind, name, x, y, hpRatio }) =>
      list.push({ id, kind, name, x, y, hpRatio }),
    );
    return list;
  };
  Object.defineProperty(window, "__mmo", {
    value: Object.freeze({ state, entities }),
    writable: false,
    configurable: false,
  });
}
