/**
 * Realtime delivery for one room: subscribes the channels its local players need (counted by
 * reference) and relays what arrives to their sockets, exactly once per player.
 *
 * Portal hand-over: while a character is in transit (its session here is handed off and the room
 * it goes to has not announced it yet), what arrives for it is parked in the presence list
 * `mmo:held:<characterId>` instead of the dead-end socket. The landing room subscribes first,
 * then announces itself on the personal channel (after which this room stops parking), then
 * drains the list, and drains once more a second later to catch a push that raced the first
 * drain. Ids seen by the landing session make a message that arrived both ways count once.
 */
import type { Presence } from "@colyseus/core";
import { Channels } from "../../infra/channels.ts";
import { drainHeld, holdMessage } from "./held-messages.ts";
import { isRealtimeMessage, newMessageId, type RealtimeMessage } from "./realtime-message.ts";
import { RecentIds } from "./recent-ids.ts";
import { TopicSubscriptions } from "./topic-subscriptions.ts";

/** The landing room's announcement on the personal channel; never relayed to a client. */
export const LANDED_TYPE = "__landed";
/** A second drain of the held list catches a push that raced the first one. */
export const SECOND_DRAIN_MS = 1_000;
/** How long a room keeps parking messages for a character that left it through a portal. */
export const TRANSIT_WAIT_MS = 20_000;

export type DeliverySession = {
  readonly characterId: string;
  /** True from the start of a portal hand-over (live). */
  readonly handedOff: boolean;
  send(type: string, payload: unknown): void;
};

export type Recipient = {
  readonly session: DeliverySession;
  readonly ids: RecentIds;
  /** Characters this player blocks: their chat is dropped before it reaches the socket. */
  blocked: ReadonlySet<string>;
  partyId?: string;
  /** The membership version of the last party notice relayed (older ones are stale). */
  partyVersion?: number;
  guildId?: string;
  /** The session left this room (through a portal: parking goes on until it lands). */
  gone: boolean;
  /** Another room announced the character: nothing more to park. */
  landed: boolean;
  readonly topics: Set<string>;
};

/**
 * Feature logic run on every message before it reaches a recipient's socket: return false to
 * consume it (the hook may send something else itself).
 */
export type DeliveryHook = (recipient: Recipient, message: RealtimeMessage) => boolean;

export type RoomDeliveryOptions = {
  presence: Presence;
  roomId: string;
  zoneId: string;
  later(callback: () => void, ms: number): void;
  hook?: DeliveryHook;
  onError?(error: unknown): void;
};

export class RoomDelivery {
  private readonly options: RoomDeliveryOptions;
  private readonly subscriptions: TopicSubscriptions;
  private readonly byCharacter = new Map<string, Recipient>();
  private readonly byTopic = new Map<string, Set<Recipient>>();
  private disposed = false;

  constructor(options: RoomDeliveryOptions) {
    this.options = options;
    this.subscriptions = new TopicSubscriptions(options.presence, (topic, message) =>
      this.received(topic, message),
    );
  }

  recipient(characterId: string): Recipient | undefined {
    const r = this.byCharacter.get(characterId);
    return r && !r.gone ? r : undefined;
  }

  recipients(): IterableIterator<Recipient> {
    return this.byCharacter.values();
  }

  /** Subscribes everything the player needs, announces it, then hands it what was held. */
  async join(
    session: DeliverySession,
    initial: { blocked?: ReadonlySet<string>; partyId?: string; guildId?: string } = {},
  ): Promise<Recipient> {
    const id = session.characterId;
    const recipient: Recipient = {
      session,
      ids: new RecentIds(),
      blocked: initial.blocked ?? new Set(),
      gone: false,
      landed: false,
      topics: new Set(),
    };
    const previous = this.byCharacter.get(id);
    this.byCharacter.set(id, recipient);
    const topics = [Channels.player(id), Channels.zone(this.options.zoneId), Channels.world];
    if (initial.partyId) topics.push(Channels.party(initial.partyId));
    if (initial.guildId) topics.push(Channels.guild(initial.guildId));
    recipient.partyId = initial.partyId;
    recipient.guildId = initial.guildId;
    await Promise.all(topics.map((t) => this.attach(recipient, t)));
    if (previous) this.detachAll(previous);
    if (this.byCharacter.get(id) !== recipient) return recipient;
    await this.options.presence.publish(Channels.player(id), {
      type: LANDED_TYPE,
      id: newMessageId(),
      roomId: this.options.roomId,
    });
    await this.drain(recipient);
    this.options.later(() => void this.drain(recipient).catch(this.fail), SECOND_DRAIN_MS);
    return recipient;
  }

  /** Follows a party change for the recipient (subscribing or releasing its channel). */
  async setParty(recipient: Recipient, partyId: string | undefined): Promise<void> {
    if (recipient.partyId === partyId) return;
    const before = recipient.partyId;
    recipient.partyId = partyId;
    if (partyId && !recipient.gone) await this.attach(recipient, Channels.party(partyId));
    if (before) this.detach(recipient, Channels.party(before));
  }

  async setGuild(recipient: Recipient, guildId: string | undefined): Promise<void> {
    if (recipient.guildId === guildId) return;
    const before = recipient.guildId;
    recipient.guildId = guildId;
    if (guildId && !recipient.gone) await this.attach(recipient, Channels.guild(guildId));
    if (before) this.detach(recipient, Channels.guild(before));
  }

  /** The session left: through a portal, parking goes on until it lands or TRANSIT_WAIT_MS. */
  left(characterId: string): void {
    const recipient = this.byCharacter.get(characterId);
    if (!recipient) return;
    recipient.gone = true;
    if (recipient.session.handedOff && !recipient.landed) {
      this.options.later(() => this.forget(recipient), TRANSIT_WAIT_MS);
    } else {
      this.forget(recipient);
    }
  }

  /** A hand-over started: park what arrives until the character lands elsewhere. */
  handingOff(characterId: string): void {
    const recipient = this.byCharacter.get(characterId);
    if (recipient) recipient.landed = false;
  }

  /** Sends to one recipient unless it already had this message (or blocks its sender). */
  deliver(recipient: Recipient, message: RealtimeMessage): void {
    if (recipient.gone || recipient.session.handedOff) {
      if (!recipient.landed) {
        holdMessage(this.options.presence, recipient.session.characterId, message).catch(this.fail);
      }
      return;
    }
    // Without an id a message cannot be told from a later identical one: no de-duplication.
    if (typeof message.id === "string" && !recipient.ids.add(message.id)) return;
    if (message.type === "chat" && recipient.blocked.has(message.fromId as string)) return;
    if (this.options.hook && !this.options.hook(recipient, message)) return;
    recipient.session.send(message.type, message);
  }

  dispose(): void {
    this.disposed = true;
    this.subscriptions.releaseAll();
    this.byCharacter.clear();
    this.byTopic.clear();
  }

  private readonly fail = (error: unknown) => this.options.onError?.(error);

  private async drain(recipient: Recipient): Promise<void> {
    if (recipient.gone || this.disposed) return;
    const held = await drainHeld(this.options.presence, recipient.session.characterId);
    for (const message of held) this.deliver(recipient, message);
  }

  private received(topic: string, message: unknown): void {
    if (!isRealtimeMessage(message)) return;
    const listeners = this.byTopic.get(topic);
    if (!listeners) return;
    if (message.type === LANDED_TYPE) {
      if (message.roomId === this.options.roomId) return;
      for (const r of listeners) {
        r.landed = true;
        if (r.gone) this.forget(r);
      }
      return;
    }
    for (const r of listeners) this.deliver(r, message);
  }

  private async attach(recipient: Recipient, topic: string): Promise<void> {
    if (recipient.topics.has(topic)) return;
    recipient.topics.add(topic);
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    set.add(recipient);
    await this.subscriptions.acquire(topic);
  }

  private detach(recipient: Recipient, topic: string): void {
    if (!recipient.topics.delete(topic)) return;
    const set = this.byTopic.get(topic);
    set?.delete(recipient);
    if (set?.size === 0) this.byTopic.delete(topic);
    this.subscriptions.release(topic);
  }

  private detachAll(recipient: Recipient): void {
    for (const topic of [...recipient.topics]) this.detach(recipient, topic);
  }

  private forget(recipient: Recipient): void {
    this.detachAll(recipient);
    if (this.byCharacter.get(recipient.session.characterId) === recipient) {
      this.byCharacter.delete(recipient.session.characterId);
    }
  }
}
