/**
 * The room's side of the feature seam (rooms/room-feature.ts): builds every feature listed in
 * `RoomServices.features`, hands each its client messages and calls its hooks. A feature that
 * throws (or rejects) is logged with the room id and skipped: the tick, the other features and
 * the player's session go on.
 */
import type { Logger } from "../src/logger.ts";
import type {
  FeatureHost,
  FeatureMessageHandler,
  FeatureSession,
  RoomFeature,
  RoomFeatureFactory,
} from "./room-feature.ts";
import { attachRoomCommands, type RoomCommandHandlers } from "./room-commands.ts";
import type { SessionRegistry } from "./zone-session.ts";

type Hook = Exclude<keyof RoomFeature, "messages">;

export class RoomFeatures {
  private readonly features: RoomFeature[] = [];
  private readonly handlers = new Map<string, FeatureMessageHandler>();
  private readonly log: Logger;

  /**
   * Builds the features for one room. `reserved` are the room's own message types: a feature
   * claiming one of them, or one another feature claimed, is a wiring bug and fails the room.
   */
  constructor(
    factories: readonly RoomFeatureFactory[],
    host: FeatureHost,
    log: Logger,
    reserved: readonly string[],
  ) {
    this.log = log;
    for (const factory of factories) {
      let feature: RoomFeature;
      try {
        feature = factory(host);
      } catch (error) {
        log.error({ err: error }, "room feature failed to start; the room runs without it");
        continue;
      }
      this.features.push(feature);
      for (const [type, handler] of Object.entries(feature.messages ?? {})) {
        if (reserved.includes(type) || this.handlers.has(type)) {
          throw new Error(`room feature message "${type}" is already taken`);
        }
        this.handlers.set(type, handler);
      }
    }
  }

  /** Client message types the features own. */
  messageTypes(): Iterable<string> {
    return this.handlers.keys();
  }

  /** Hands a client message to the feature that owns its type. */
  deliver(type: string, session: FeatureSession, payload: unknown): void {
    const handler = this.handlers.get(type);
    if (handler) this.guard(`message ${type}`, () => handler(session, payload));
  }

  joined(session: FeatureSession): void {
    this.each("joined", (f) => f.joined?.(session));
  }

  dropped(session: FeatureSession): void {
    this.each("dropped", (f) => f.dropped?.(session));
  }

  reconnected(session: FeatureSession): void {
    this.each("reconnected", (f) => f.reconnected?.(session));
  }

  handingOff(session: FeatureSession, targetZone: string): void {
    this.each("handingOff", (f) => f.handingOff?.(session, targetZone));
  }

  left(session: FeatureSession): void {
    this.each("left", (f) => f.left?.(session));
  }

  tick(tickCount: number): void {
    this.each("tick", (f) => f.tick?.(tickCount));
  }

  async dispose(): Promise<void> {
    await Promise.all(
      this.features.map(async (f) => {
        try {
          await f.dispose?.();
        } catch (error) {
          this.log.error({ err: error, hook: "dispose" }, "room feature failed");
        }
      }),
    );
  }

  private each(hook: Hook, call: (feature: RoomFeature) => unknown): void {
    for (const feature of this.features) this.guard(hook, () => call(feature));
  }

  /** Runs a feature's code; a throw or a rejected promise is logged, never passed on. */
  private guard(hook: string, run: () => unknown): void {
    try {
      const result = run();
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          this.log.error({ err: error, hook }, "room feature failed");
        });
      }
    } catch (error) {
      this.log.error({ err: error, hook }, "room feature failed");
    }
  }
}

/** The parts of a room a feature host is made of. */
export type FeatureHostParts = Omit<FeatureHost, "session" | "sessions" | "positionOf">;

/** The host a room offers its features; commands registered through it reach `commands`. */
export function createFeatureHost(
  parts: FeatureHostParts,
  registry: SessionRegistry,
  commands: RoomCommandHandlers,
): FeatureHost {
  const { sim } = parts;
  const host: FeatureHost = {
    roomId: parts.roomId,
    roomName: parts.roomName,
    zone: parts.zone,
    services: parts.services,
    sim,
    log: parts.log,
    later: parts.later,
    switchRoom: parts.switchRoom,
    session: (characterId) => registry.of(characterId),
    sessions: () => registry.values(),
    positionOf(characterId) {
      const handle = sim.world.handleById.get(characterId);
      if (handle === undefined) return undefined;
      return { x: sim.world.grid.xOf(handle), y: sim.world.grid.yOf(handle) };
    },
  };
  attachRoomCommands(host, commands);
  return host;
}
