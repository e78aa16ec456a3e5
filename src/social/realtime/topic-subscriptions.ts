import type { Presence } from "@colyseus/core";

/**
 * One room's presence subscriptions, counted by reference: a topic is subscribed when its first
 * local user acquires it and unsubscribed after the last release. Each topic gets its own
 * callback so that unsubscribing removes this room's listener only (Redis presence keeps the
 * channel while another room of the process still listens).
 */
export class TopicSubscriptions {
  private readonly presence: Presence;
  private readonly onMessage: (topic: string, message: unknown) => void;
  private readonly topics = new Map<
    string,
    { count: number; callback: (message: unknown) => void; ready: Promise<unknown> }
  >();

  constructor(presence: Presence, onMessage: (topic: string, message: unknown) => void) {
    this.presence = presence;
    this.onMessage = onMessage;
  }

  /** Resolves once the topic is subscribed (at once when it already was). */
  acquire(topic: string): Promise<unknown> {
    const held = this.topics.get(topic);
    if (held) {
      held.count += 1;
      return held.ready;
    }
    const callback = (message: unknown) => this.onMessage(topic, message);
    const ready = Promise.resolve(this.presence.subscribe(topic, callback)).catch(() => undefined);
    this.topics.set(topic, { count: 1, callback, ready });
    return ready;
  }

  release(topic: string): void {
    const held = this.topics.get(topic);
    if (!held) return;
    held.count -= 1;
    if (held.count > 0) return;
    this.topics.delete(topic);
    void Promise.resolve(this.presence.unsubscribe(topic, held.callback)).catch(() => undefined);
  }

  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  releaseAll(): void {
    for (const [topic, held] of this.topics) {
      void Promise.resolve(this.presence.unsubscribe(topic, held.callback)).catch(() => undefined);
    }
    this.topics.clear();
  }
}
