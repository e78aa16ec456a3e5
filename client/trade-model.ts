/** The trade window's state without the DOM: which buttons apply and what the status line says. */

/** `trade` from the room on every change: one's own side as `you`. */
export type { TradeSideView, TradeView } from "../clients/js/server-messages.ts";
import type { TradeSideView, TradeView } from "../clients/js/server-messages.ts";

export type TradeControls = {
  /** The offer may still change (changing it unlocks both sides). */
  canOffer: boolean;
  canLock: boolean;
  canConfirm: boolean;
  status: string;
};

export function tradeControls(view: TradeView, partner: string): TradeControls {
  const { you, them } = view;
  if (view.state === "committing") {
    return { canOffer: false, canLock: false, canConfirm: false, status: "Completing the trade…" };
  }
  if (view.state === "locked") {
    const status = you.confirmed
      ? `Waiting for ${partner} to confirm.`
      : them.confirmed
        ? `${partner} confirmed: confirm to trade.`
        : "Both offers are locked: confirm to trade.";
    return { canOffer: true, canLock: false, canConfirm: !you.confirmed, status };
  }
  const status = you.locked
    ? `Waiting for ${partner} to lock.`
    : them.locked
      ? `${partner} locked their offer: lock yours when ready.`
      : "Set your offer, then lock it.";
  return { canOffer: true, canLock: !you.locked, canConfirm: false, status };
}

/** A side's state as a word: Confirmed, Locked or Editing. */
export function sideState(side: TradeSideView): string {
  if (side.confirmed) return "Confirmed";
  return side.locked ? "Locked" : "Editing";
}
