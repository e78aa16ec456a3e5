import { EventEmitter } from "node:events";
import type { Logger } from "../logger.ts";

/** Domain events and their payloads; subjects are published as `mmo.<name>`. */
export type DomainEvents = {
  "account.registered": { accountId: string };
  "account.deleted": { accountId: string; characterIds: string[] };
  "character.created": {
    accountId: string;
    characterId: string;
    name: string;
    race: string;
    job: string;
  };
  "character.deleted": { accountId: string; characterId: string };
  "character.leveled": { characterId: string; level: number; previousLevel: number };
  "item.looted": { characterId: string; itemId: string; quantity: number; zone: string };
  "quest.completed": { characterId: string; questId: string };
  "player.zone_changed": { characterId: string; fromZone: string; toZone: string };
  "player.joined": { characterId: string; zone: string; roomId: string };
  "player.left": { characterId: string; zone: string; roomId: string };
};
export type DomainEventName = keyof DomainEvents;
/** What subscribers receive: the payload plus `at`, the ISO time it was published. */
export type EventEnvelope<K extends DomainEventName> = DomainEvents[K] & { at: string };

export type EventBus = {
  /** Fire-and-forget: never throws and never blocks the caller on the transport. */
  publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void;
  subscribe<K extends DomainEventName>(
    name: K,
    handler: (payload: EventEnvelope<K>) => void,
  ): () => void;
  close(): Promise<void>;
};

/** The embedded default: an in-process emitter. */
export function createLocalEventBus(logger?: Logger): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(name, payload) {
      const event = { ...payload, at: new Date().toISOString() };
      setImmediate(() => {
        try {
          emitter.emit(name, event);
        } catch (error) {
          logger?.warn({ err: error, event: name }, "event handler failed");
        }
      });
    },
    subscribe(name, handler) {
      emitter.on(name, handler as (p: unknown) => void);
      return () => emitter.off(name, handler as (p: unknown) => void);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
