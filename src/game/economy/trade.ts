/**
 * Player-to-player trade as a pure state machine: two sides each offer inventory slots and gold,
 * lock, then confirm. Any offer change unlocks both sides; confirming needs both locks. The
 * commit itself (one transaction for both characters) happens outside, from `tradeChanges`.
 */
import {
  applyCharacterChange,
  EconomyRefusal,
  sumStacks,
  takeFromSlots,
  type CharacterChange,
  type EconomyRules,
  type Holdings,
} from "./character-change.ts";

/** Both players must stand within this many world units of each other to open a trade. */
export const TRADE_RANGE = 200;
/** Slots one side may offer at most. */
export const TRADE_MAX_ITEMS = 12;
/** A player who moves more than this many units from where the trade opened cancels it. */
export const TRADE_MOVE_EPSILON = 1;
/** A trade request not accepted within this time lapses, in ms. */
export const TRADE_REQUEST_TTL_MS = 30_000;

/** Trade-specific refusals (the offer checks also answer EconomyRefusal codes). */
export const TradeRefusal = {
  TRADE_NOT_LOCKED: "TRADE_NOT_LOCKED",
  TRADE_ALREADY_CONFIRMED: "TRADE_ALREADY_CONFIRMED",
  TRADE_COMMITTING: "TRADE_COMMITTING",
  TRADE_TOO_MANY_ITEMS: "TRADE_TOO_MANY_ITEMS",
} as const;
export type TradeRefusal = (typeof TradeRefusal)[keyof typeof TradeRefusal];

/** How a trade looks to its players: `locked` once both locked, `committing` once both confirmed. */
export const TradeState = {
  OPEN: "open",
  LOCKED: "locked",
  COMMITTING: "committing",
} as const;
export type TradeState = (typeof TradeState)[keyof typeof TradeState];

/** One offered slot; `had` is the slot's whole stack when offered (a change makes it stale). */
export type OfferedItem = {
  readonly slot: number;
  readonly itemId: string;
  readonly qty: number;
  readonly had: number;
};

export type TradeSide = {
  readonly characterId: string;
  readonly items: readonly OfferedItem[];
  /** Whole gold offered. */
  readonly gold: number;
  readonly locked: boolean;
  readonly confirmed: boolean;
};

export type Trade = {
  readonly id: string;
  readonly sides: readonly [TradeSide, TradeSide];
  readonly committing: boolean;
};

/** An offer as a client sends it. */
export type OfferInput = {
  readonly items: readonly { readonly slot: number; readonly qty: number }[];
  readonly gold: number;
};

export type TradeResult =
  | { readonly ok: true; readonly trade: Trade }
  | { readonly ok: false; readonly code: TradeRefusal | EconomyRefusal };

/** A refusal naming the character whose side caused it. */
export type SideRefusal = { readonly code: EconomyRefusal; readonly characterId: string };

const emptySide = (characterId: string): TradeSide => ({
  characterId,
  items: [],
  gold: 0,
  locked: false,
  confirmed: false,
});

/** A new trade between `a` and `b` with empty, unlocked offers. */
export function openTrade(id: string, a: string, b: string): Trade {
  return { id, sides: [emptySide(a), emptySide(b)], committing: false };
}

/** 0 or 1 for a participant, -1 for anyone else. */
export function sideIndexOf(trade: Trade, characterId: string): 0 | 1 | -1 {
  if (trade.sides[0].characterId === characterId) return 0;
  if (trade.sides[1].characterId === characterId) return 1;
  return -1;
}

/** The other participant's character id. */
export function partnerOf(trade: Trade, characterId: string): string {
  return trade.sides[0].characterId === characterId
    ? trade.sides[1].characterId
    : trade.sides[0].characterId;
}

export function tradeState(trade: Trade): TradeState {
  if (trade.committing) return TradeState.COMMITTING;
  return trade.sides[0].locked && trade.sides[1].locked ? TradeState.LOCKED : TradeState.OPEN;
}

function withSide(trade: Trade, index: 0 | 1, side: TradeSide): Trade {
  const sides: [TradeSide, TradeSide] =
    index === 0 ? [side, trade.sides[1]] : [trade.sides[0], side];
  return { ...trade, sides };
}

/** Both sides unlocked and unconfirmed (after any change, or a refused confirm). */
export function unlockTrade(trade: Trade): Trade {
  const open = (s: TradeSide): TradeSide => ({ ...s, locked: false, confirmed: false });
  return { ...trade, sides: [open(trade.sides[0]), open(trade.sides[1])] };
}

/**
 * Replaces `characterId`'s whole offer after checking it against its `holdings`: existing,
 * tradeable (not bound, not a quest item) inventory slots with enough items, gold it has.
 * Equipment cannot be offered: offers name inventory slots. Any change unlocks both sides.
 */
export function offerTrade(
  trade: Trade,
  characterId: string,
  offer: OfferInput,
  holdings: Holdings,
  rules: EconomyRules,
): TradeResult {
  const index = sideIndexOf(trade, characterId);
  if (index === -1) throw new Error(`${characterId} is not in trade ${trade.id}`);
  if (trade.committing) return { ok: false, code: TradeRefusal.TRADE_COMMITTING };
  if (offer.items.length > TRADE_MAX_ITEMS) {
    return { ok: false, code: TradeRefusal.TRADE_TOO_MANY_ITEMS };
  }
  if (!Number.isSafeInteger(offer.gold) || offer.gold < 0) {
    return { ok: false, code: EconomyRefusal.INVALID_QUANTITY };
  }
  const took = takeFromSlots(holdings.inventory, offer.items, rules, true);
  if (!took.ok) return took;
  if (offer.gold > holdings.gold) return { ok: false, code: EconomyRefusal.NOT_ENOUGH_GOLD };
  const items = offer.items.map(({ slot, qty }): OfferedItem => {
    const stack = holdings.inventory.slots[slot]!;
    return { slot, qty, itemId: stack.itemId, had: stack.qty };
  });
  const side: TradeSide = { ...trade.sides[index], items, gold: offer.gold };
  return { ok: true, trade: unlockTrade(withSide(trade, index, side)) };
}

/** Locks `characterId`'s offer; locking again changes nothing. */
export function lockTrade(trade: Trade, characterId: string): TradeResult {
  const index = sideIndexOf(trade, characterId);
  if (index === -1) throw new Error(`${characterId} is not in trade ${trade.id}`);
  if (trade.committing) return { ok: false, code: TradeRefusal.TRADE_COMMITTING };
  if (trade.sides[index].locked) return { ok: true, trade };
  return { ok: true, trade: withSide(trade, index, { ...trade.sides[index], locked: true }) };
}

/**
 * Confirms `characterId`'s side: only once both sides are locked, and once. `ready` when both
 * have confirmed: the trade is then to be committed.
 */
export function confirmTrade(
  trade: Trade,
  characterId: string,
): { ok: true; trade: Trade; ready: boolean } | { ok: false; code: TradeRefusal } {
  const index = sideIndexOf(trade, characterId);
  if (index === -1) throw new Error(`${characterId} is not in trade ${trade.id}`);
  if (trade.committing) return { ok: false, code: TradeRefusal.TRADE_COMMITTING };
  if (!trade.sides[0].locked || !trade.sides[1].locked) {
    return { ok: false, code: TradeRefusal.TRADE_NOT_LOCKED };
  }
  if (trade.sides[index].confirmed) {
    return { ok: false, code: TradeRefusal.TRADE_ALREADY_CONFIRMED };
  }
  const next = withSide(trade, index, { ...trade.sides[index], confirmed: true });
  return { ok: true, trade: next, ready: next.sides[0].confirmed && next.sides[1].confirmed };
}

/**
 * The first offered slot whose stack is no longer the one offered (another item, or another
 * quantity: a potion used, a stack moved), as ITEM_CHANGED for its owner; null when none.
 */
export function staleOffer(
  trade: Trade,
  holdingsOf: (characterId: string) => Holdings | undefined,
): SideRefusal | null {
  for (const side of trade.sides) {
    const holdings = holdingsOf(side.characterId);
    for (const offered of side.items) {
      const stack = holdings?.inventory.slots[offered.slot];
      if (!stack || stack.itemId !== offered.itemId || stack.qty !== offered.had) {
        return { code: EconomyRefusal.ITEM_CHANGED, characterId: side.characterId };
      }
    }
  }
  return null;
}

/**
 * Both characters' changes for the economy commit: each gives what it offered (slots checked
 * against the offered item) and receives the other's items and gold. Tradeable items only.
 */
export function tradeChanges(trade: Trade): [CharacterChange, CharacterChange] {
  const [a, b] = trade.sides;
  const change = (self: TradeSide, other: TradeSide): CharacterChange => ({
    characterId: self.characterId,
    gold: other.gold - self.gold,
    take: self.items.map(({ slot, qty, itemId }) => ({ slot, qty, itemId })),
    give: sumStacks(other.items.map(({ itemId, qty }) => ({ itemId, qty }))),
    tradeableOnly: true,
  });
  return [change(a, b), change(b, a)];
}

/**
 * Whether both changes apply to the characters' current holdings (stale slots, gold, room in
 * the receiver's bags): the first refusal with its character, or null.
 */
export function checkTrade(
  trade: Trade,
  holdingsOf: (characterId: string) => Holdings | undefined,
  rules: EconomyRules,
): SideRefusal | null {
  const stale = staleOffer(trade, holdingsOf);
  if (stale) return stale;
  for (const change of tradeChanges(trade)) {
    const holdings = holdingsOf(change.characterId);
    if (!holdings) return { code: EconomyRefusal.ITEM_NOT_FOUND, characterId: change.characterId };
    const applied = applyCharacterChange(holdings, change, rules);
    if (!applied.ok) return { code: applied.code, characterId: change.characterId };
  }
  return null;
}

/** One side as its players see it. */
export type SideView = {
  items: { slot: number; itemId: string; qty: number }[];
  gold: number;
  locked: boolean;
  confirmed: boolean;
};

/** The `trade` message for `characterId`: its own side as `you`, the partner's as `them`. */
export function tradeView(
  trade: Trade,
  characterId: string,
): { id: string; you: SideView; them: SideView; state: TradeState } {
  const index = sideIndexOf(trade, characterId);
  const view = (s: TradeSide): SideView => ({
    items: s.items.map(({ slot, itemId, qty }) => ({ slot, itemId, qty })),
    gold: s.gold,
    locked: s.locked,
    confirmed: s.confirmed,
  });
  const you = trade.sides[index === 1 ? 1 : 0];
  const them = trade.sides[index === 1 ? 0 : 1];
  return { id: trade.id, you: view(you), them: view(them), state: tradeState(trade) };
}

/** Whether two points are within TRADE_RANGE of each other. */
export function inTradeRange(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2 <= TRADE_RANGE ** 2;
}

/** Whether a player has moved off the spot where its trade opened. */
export function movedSince(from: { x: number; y: number }, to: { x: number; y: number }): boolean {
  return (from.x - to.x) ** 2 + (from.y - to.y) ** 2 > TRADE_MOVE_EPSILON ** 2;
}
