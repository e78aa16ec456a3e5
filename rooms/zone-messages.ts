import { z } from "zod";
import { EQUIP_SLOTS, type EquipSlot } from "../src/game/items/equipment.ts";
import type { SimAction } from "../src/zone/sim-types.ts";
import { ClientMessage } from "../clients/js/message-names.ts";

/** Finite numbers only: NaN and Infinity are refused, not clamped. */
const finite = z.number().refine(Number.isFinite, "must be a finite number");
const seq = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31);
const entityId = z.string().min(1).max(64);
const contentId = z.string().min(1).max(64);
const coordinate = finite.min(-1e6).max(1e6);

/** Client → server messages and their shapes. Unknown keys are refused. */
export const ZoneMessages = {
  [ClientMessage.move]: z.strictObject({
    dx: finite.min(-1e6).max(1e6),
    dy: finite.min(-1e6).max(1e6),
    seq,
  }),
  [ClientMessage.stop]: z.strictObject({ seq }),
  [ClientMessage.attack]: z.strictObject({ targetId: entityId }),
  [ClientMessage.pickup]: z.strictObject({ dropId: entityId }),
  [ClientMessage.portal]: z.strictObject({ portalId: entityId }),
  /** Single-target skills name a target; area skills a target or a ground point (x and y). */
  [ClientMessage.cast]: z
    .strictObject({
      skillId: contentId,
      targetId: entityId.optional(),
      x: coordinate.optional(),
      y: coordinate.optional(),
    })
    .refine((m) => (m.x === undefined) === (m.y === undefined), "x and y go together"),
  [ClientMessage.interact]: z.strictObject({ npcId: entityId }),
  [ClientMessage.acceptQuest]: z.strictObject({ questId: contentId }),
  [ClientMessage.turnInQuest]: z.strictObject({ questId: contentId }),
  /** Wear the item of an inventory slot (in `toSlot`, or the first equipment slot it fits). */
  [ClientMessage.equip]: z.strictObject({
    fromSlot: z.number().int().min(0).max(1023),
    toSlot: z.enum(EQUIP_SLOTS as [EquipSlot, ...EquipSlot[]]).optional(),
  }),
  [ClientMessage.unequip]: z.strictObject({
    slot: z.enum(EQUIP_SLOTS as [EquipSlot, ...EquipSlot[]]),
  }),
  /** Inventory slot index of the consumable. */
  [ClientMessage.useItem]: z.strictObject({ slot: z.number().int().min(0).max(1023) }),
} as const;
export type ZoneMessageType = keyof typeof ZoneMessages;
export type ZoneMessage<K extends ZoneMessageType> = z.output<(typeof ZoneMessages)[K]>;
export const ZONE_MESSAGE_TYPES = Object.keys(ZoneMessages) as ZoneMessageType[];

/** Per-client budget: a burst of 40 messages, refilled at 20 per second (10 Hz input + actions). */
export const MESSAGE_BURST = 40;
export const MESSAGES_PER_SEC = 20;
/**
 * Colyseus' own per-client cap (messages per second, counted in fixed one-second windows of the
 * room clock), which closes the socket with 4002: the flood guard behind the per-feature budgets.
 * It sits above what a client within those budgets sends in one window: the sustained rates
 * (inputs 20, trade 30, party 2, chat and social a few) plus the largest burst (trade, 60), with
 * room for a window stretched by a stalled event loop. At 80 (it was twice MESSAGE_BURST) a
 * trader clicking within the trade budget could be cut off mid-trade; far above this, a flooder
 * gets more junk through before it is closed.
 */
export const TRANSPORT_MESSAGES_PER_SEC = 150;
/** Clients exceeding this many rejected messages within the window are disconnected. */
export const MAX_REJECTED = 50;
export const REJECT_WINDOW_MS = 10_000;

/** A validated message as the simulation's action for `playerId`. */
export function toSimAction(playerId: string, type: ZoneMessageType, data: unknown): SimAction {
  const m = data as ZoneMessage<typeof type>;
  switch (type) {
    case ClientMessage.move: {
      const { dx, dy, seq } = m as ZoneMessage<"move">;
      return { type, playerId, dx, dy, seq };
    }
    case ClientMessage.stop:
      return { type, playerId, seq: (m as ZoneMessage<"stop">).seq };
    case ClientMessage.attack:
      return { type, playerId, targetId: (m as ZoneMessage<"attack">).targetId };
    case ClientMessage.portal:
      return { type, playerId, portalId: (m as ZoneMessage<"portal">).portalId };
    case ClientMessage.pickup:
      return { type, playerId, dropId: (m as ZoneMessage<"pickup">).dropId };
    case ClientMessage.cast: {
      const { skillId, targetId, x, y } = m as ZoneMessage<"cast">;
      return {
        type,
        playerId,
        skillId,
        ...(targetId !== undefined ? { targetId } : {}),
        ...(x !== undefined && y !== undefined ? { x, y } : {}),
      };
    }
    case ClientMessage.interact:
      return { type, playerId, npcId: (m as ZoneMessage<"interact">).npcId };
    case ClientMessage.acceptQuest:
      return { type, playerId, questId: (m as ZoneMessage<"acceptQuest">).questId };
    case ClientMessage.turnInQuest:
      return { type, playerId, questId: (m as ZoneMessage<"turnInQuest">).questId };
    case ClientMessage.useItem:
      return { type, playerId, slot: (m as ZoneMessage<"useItem">).slot };
    case ClientMessage.equip: {
      const { fromSlot, toSlot } = m as ZoneMessage<"equip">;
      return { type, playerId, fromSlot, ...(toSlot ? { toSlot } : {}) };
    }
    case ClientMessage.unequip:
      return { type, playerId, slot: (m as ZoneMessage<"unequip">).slot };
  }
}
