/**
 * What players hear of world events. `worldEvent` goes to the whole zone (every room of it, on
 * any process) over the zone presence channel, which the social layer relays to each room's
 * players (rooms/social-feature.ts); `worldEventReward` goes to each rewarded player.
 */
import type { ItemStack } from "../game/items/inventory.ts";
import { ServerMessage } from "../../clients/js/message-names.ts";

export const WorldEventPhase = {
  ANNOUNCED: "announced",
  STARTED: "started",
  ENDED: "ended",
} as const;
export type WorldEventPhase = (typeof WorldEventPhase)[keyof typeof WorldEventPhase];

/** Client message `worldEvent`. */
export type WorldEventNotice = {
  readonly type: typeof ServerMessage.worldEvent;
  /** The message id, `<eventId>:<runStartMs>:<phase>` (the same phase of a run is one message). */
  readonly id: string;
  readonly eventId: string;
  readonly name: string;
  readonly zone: string;
  readonly phase: WorldEventPhase;
  /** ISO time: the start announced (announced), the start (started), the end (ended). */
  readonly at: string;
  /** Where the boss appears, in world units. */
  readonly x: number;
  readonly y: number;
  /** announced and started: the announcement text. */
  readonly text?: string;
  /** started: when the boss leaves if not killed (ISO). */
  readonly endsAt?: string;
  /** ended: killed, expired or abandoned. */
  readonly outcome?: string;
};

/** Client message `worldEventReward`, to a rewarded participant once it is paid. */
export type WorldEventReward = {
  readonly eventId: string;
  readonly runId: string;
  /** Damage to the boss plus healing on players fighting it. */
  readonly contribution: number;
  /** contribution / everyone's contribution (0..1). */
  readonly share: number;
  readonly rank: number;
  readonly xp: number;
  readonly gold: number;
  readonly items: readonly ItemStack[];
  /** Items that did not fit the bags and came by mail instead. */
  readonly mailed: readonly ItemStack[];
};

export const WORLD_EVENT_MESSAGE = ServerMessage.worldEvent;
export const WORLD_EVENT_REWARD_MESSAGE = ServerMessage.worldEventReward;
