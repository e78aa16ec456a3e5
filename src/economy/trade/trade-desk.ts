/**
 * The trades of one room: requests, offers, locks and confirmations (rules in
 * src/game/economy/trade.ts), the watch that cancels a trade when a player moves, fights, dies
 * or leaves, and the commit. On both confirmations the swap is committed through the economy's
 * room commit (one transaction: both inventories, both purses, ledger rows of kind `trade`),
 * which freezes both characters' holdings, recomputes the swap from their current in-memory
 * records, writes, and only then applies the result to memory; the players hear of it after.
 */
import { ErrorCode } from "../../errors.ts";
import {
  EconomyRefusal,
  type EconomyRules,
  type Holdings,
} from "../../game/economy/character-change.ts";
import {
  checkTrade,
  confirmTrade,
  inTradeRange,
  lockTrade,
  movedSince,
  offerTrade,
  openTrade,
  partnerOf,
  tradeChanges,
  tradeView,
  unlockTrade,
  type OfferInput,
  type Trade,
} from "../../game/economy/trade.ts";
import type { EconomyRequest } from "../character-mutation.ts";
import { LedgerKind } from "../ledger.service.ts";
import type { EconomyResult } from "../mutation-commit.ts";
import { TradeCloseReason, TradeEvents } from "./trade-messages.ts";
import { TradeRequests } from "./trade-requests.ts";

/** Where a character stands and how it fares, as the watch reads it; undefined: not in the world. */
export type TradeStatus = { x: number; y: number; dead: boolean; combat: number };

export type TradeDeskDeps = {
  rules: EconomyRules;
  /** Commits one economy operation over characters of this room (economy.commitInRoom). */
  commit(request: EconomyRequest): Promise<EconomyResult>;
  holdingsOf(characterId: string): Holdings | undefined;
  statusOf(characterId: string): TradeStatus | undefined;
  /** The character id of the player called `name` in this room (any case). */
  findByName(name: string): string | undefined;
  /** Whether `ownerId` blocks `otherId`; absent: no blocks. */
  isBlocked?(ownerId: string, otherId: string): Promise<boolean>;
  /** Whether the character is crossing a portal out of this room. */
  isLeaving(characterId: string): boolean;
  send(characterId: string, type: string, payload: unknown): void;
  newId(): string;
  nowMs(): number;
  onError(error: unknown, what: string): void;
};

type Anchor = { x: number; y: number; combat: number };

const TO_ERROR_CODE: Readonly<Record<string, ErrorCode>> = {
  [EconomyRefusal.UNKNOWN_ITEM]: "INVALID_MESSAGE",
  [EconomyRefusal.INVALID_QUANTITY]: "INVALID_MESSAGE",
  [EconomyRefusal.DUPLICATE_SLOT]: "INVALID_MESSAGE",
};

/** The client-facing code of a refusal: trade and economy codes are ErrorCodes; others fail. */
export function tradeErrorCode(code: string): ErrorCode {
  const mapped = TO_ERROR_CODE[code] ?? code;
  return mapped in ErrorCode ? (mapped as ErrorCode) : "TRADE_FAILED";
}

export class TradeDesk {
  private readonly deps: TradeDeskDeps;
  private readonly requests = new TradeRequests();
  private readonly trades = new Map<string, Trade>();
  private readonly tradeOf = new Map<string, string>();
  private readonly anchors = new Map<string, Anchor>();
  /** Trades cancelled while their commit was in flight: closed with this reason if it fails. */
  private readonly closeAfterCommit = new Map<string, TradeCloseReason>();
  /** Trades whose first commit attempt failed: later attempts need their own ledger op id. */
  private readonly attempted = new Set<string>();

  constructor(deps: TradeDeskDeps) {
    this.deps = deps;
  }

  /** The open trade of a character, if any. */
  tradeFor(characterId: string): Trade | undefined {
    const id = this.tradeOf.get(characterId);
    return id === undefined ? undefined : this.trades.get(id);
  }

  get openTrades(): number {
    return this.trades.size;
  }

  refuse(characterId: string, code: string, id?: string): void {
    const errorCode = tradeErrorCode(code);
    const payload = { code: errorCode, message: ErrorCode[errorCode].message };
    this.deps.send(characterId, TradeEvents.error, id === undefined ? payload : { ...payload, id });
  }

  async request(from: string, fromName: string, targetName: string): Promise<void> {
    const to = this.deps.findByName(targetName);
    if (to === undefined) return this.refuse(from, "TRADE_TARGET_NOT_FOUND");
    if (to === from) return this.refuse(from, "TRADE_SELF");
    if (this.deps.isBlocked && (await this.deps.isBlocked(to, from))) {
      return this.refuse(from, "BLOCKED");
    }
    // Checked after the await: either may have started trading or walked off meanwhile.
    const refusal = this.refusalToOpen(from, to);
    if (refusal) return this.refuse(from, refusal);
    const id = this.deps.newId();
    this.requests.add(id, from, to, this.deps.nowMs());
    this.deps.send(to, TradeEvents.requested, { from: fromName, tradeId: id });
  }

  accept(characterId: string, tradeId?: string): void {
    const request =
      tradeId === undefined ? this.requests.newestTo(characterId) : this.requests.get(tradeId);
    if (!request || request.to !== characterId) return this.refuse(characterId, "TRADE_NOT_FOUND");
    const refusal = this.refusalToOpen(request.from, request.to);
    if (refusal) return this.refuse(characterId, refusal, request.id);
    this.requests.remove(request.id);
    for (const other of [
      ...this.requests.removeInvolving(request.from),
      ...this.requests.removeInvolving(request.to),
    ]) {
      this.deps.send(other.from, TradeEvents.closed, {
        id: other.id,
        reason: TradeCloseReason.BUSY,
      });
    }
    const trade = openTrade(request.id, request.from, request.to);
    for (const id of [request.from, request.to]) {
      const status = this.deps.statusOf(id)!;
      this.anchors.set(id, { x: status.x, y: status.y, combat: status.combat });
      this.tradeOf.set(id, trade.id);
    }
    this.update(trade);
  }

  offer(characterId: string, offer: OfferInput, tradeId?: string): void {
    const trade = this.ownTrade(characterId, tradeId);
    if (!trade) return;
    const holdings = this.deps.holdingsOf(characterId);
    if (!holdings) return this.refuse(characterId, "TRADE_NOT_FOUND", trade.id);
    const next = offerTrade(trade, characterId, offer, holdings, this.deps.rules);
    if (!next.ok) return this.refuse(characterId, next.code, trade.id);
    this.update(next.trade);
  }

  lock(characterId: string, tradeId?: string): void {
    const trade = this.ownTrade(characterId, tradeId);
    if (!trade) return;
    const next = lockTrade(trade, characterId);
    if (!next.ok) return this.refuse(characterId, next.code, trade.id);
    if (next.trade !== trade) this.update(next.trade);
  }

  confirm(characterId: string, tradeId?: string): void {
    const trade = this.ownTrade(characterId, tradeId);
    if (!trade) return;
    const next = confirmTrade(trade, characterId);
    if (!next.ok) return this.refuse(characterId, next.code, trade.id);
    if (!next.ready) return this.update(next.trade);
    const problem = checkTrade(next.trade, this.deps.holdingsOf, this.deps.rules);
    if (problem) return this.failed(next.trade, problem.code);
    void this.commit(next.trade).catch((error: unknown) => this.deps.onError(error, "commit"));
  }

  /** Cancels the character's trade, or withdraws its request, or declines the newest made to it. */
  cancel(characterId: string, tradeId?: string): void {
    const trade = this.tradeFor(characterId);
    if (trade && (tradeId === undefined || tradeId === trade.id)) {
      return this.close(trade, TradeCloseReason.CANCELLED);
    }
    const request =
      (tradeId !== undefined ? this.requests.get(tradeId) : undefined) ??
      this.requests.outgoingOf(characterId) ??
      this.requests.newestTo(characterId);
    if (!request || (request.from !== characterId && request.to !== characterId)) {
      return this.refuse(characterId, "TRADE_NOT_FOUND", tradeId);
    }
    this.requests.remove(request.id);
    const declined = request.to === characterId;
    const reason = declined ? TradeCloseReason.DECLINED : TradeCloseReason.CANCELLED;
    this.deps.send(request.from, TradeEvents.closed, { id: request.id, reason });
    if (declined) this.deps.send(request.to, TradeEvents.closed, { id: request.id, reason });
  }

  /** The character dropped, left or is crossing a portal: its trade and requests end. */
  gone(characterId: string, reason: TradeCloseReason): void {
    for (const r of this.requests.removeInvolving(characterId)) {
      const other = r.from === characterId ? r.to : r.from;
      this.deps.send(other, TradeEvents.closed, { id: r.id, reason });
    }
    const trade = this.tradeFor(characterId);
    if (trade) this.close(trade, reason);
  }

  /** Every tick: requests lapse; a trade ends when one of its players moved, fought or died. */
  tick(): void {
    for (const r of this.requests.expire(this.deps.nowMs())) {
      this.deps.send(r.from, TradeEvents.closed, { id: r.id, reason: TradeCloseReason.EXPIRED });
    }
    if (this.trades.size === 0) return;
    for (const trade of [...this.trades.values()]) {
      for (const side of trade.sides) {
        const reason = this.breaks(side.characterId);
        if (reason) {
          this.close(trade, reason);
          break;
        }
      }
    }
  }

  private breaks(characterId: string): TradeCloseReason | undefined {
    const status = this.deps.statusOf(characterId);
    const anchor = this.anchors.get(characterId);
    if (!status || !anchor) {
      return this.deps.isLeaving(characterId) ? TradeCloseReason.PORTAL : TradeCloseReason.LEFT;
    }
    if (status.dead) return TradeCloseReason.DIED;
    if (status.combat !== anchor.combat) return TradeCloseReason.FIGHTING;
    if (movedSince(anchor, status)) return TradeCloseReason.MOVED;
    return undefined;
  }

  private refusalToOpen(from: string, to: string): ErrorCode | null {
    if (this.tradeOf.has(from) || this.tradeOf.has(to)) return "TRADE_BUSY";
    const a = this.deps.statusOf(from);
    const b = this.deps.statusOf(to);
    if (!a || !b || this.deps.isLeaving(from) || this.deps.isLeaving(to)) {
      return "TRADE_TARGET_NOT_FOUND";
    }
    if (!inTradeRange(a, b)) return "TRADE_OUT_OF_RANGE";
    return null;
  }

  /** The character's trade (the one named, when named), or a refusal sent and undefined. */
  private ownTrade(characterId: string, tradeId?: string): Trade | undefined {
    const trade = this.tradeFor(characterId);
    if (!trade || (tradeId !== undefined && tradeId !== trade.id)) {
      this.refuse(characterId, "TRADE_NOT_FOUND", tradeId);
      return undefined;
    }
    return trade;
  }

  /** Stores the trade's new state and shows it to both players. */
  private update(trade: Trade): void {
    this.trades.set(trade.id, trade);
    for (const side of trade.sides) {
      this.deps.send(side.characterId, TradeEvents.trade, tradeView(trade, side.characterId));
    }
  }

  private close(trade: Trade, reason: TradeCloseReason): void {
    if (trade.committing) {
      // The commit decides: done, the trade happened; failed, the trade closes then.
      if (!this.closeAfterCommit.has(trade.id)) this.closeAfterCommit.set(trade.id, reason);
      return;
    }
    this.forget(trade);
    for (const side of trade.sides) {
      this.deps.send(side.characterId, TradeEvents.closed, { id: trade.id, reason });
    }
  }

  private forget(trade: Trade): void {
    this.trades.delete(trade.id);
    this.closeAfterCommit.delete(trade.id);
    this.attempted.delete(trade.id);
    for (const side of trade.sides) {
      if (this.tradeOf.get(side.characterId) === trade.id) {
        this.tradeOf.delete(side.characterId);
        this.anchors.delete(side.characterId);
      }
    }
  }

  /** A confirmed trade that cannot go through: both sides unlock and hear why. */
  private failed(trade: Trade, code: string): void {
    const reopened = unlockTrade({ ...trade, committing: false });
    this.update(reopened);
    for (const side of trade.sides) this.refuse(side.characterId, code, trade.id);
  }

  private async commit(confirmed: Trade): Promise<void> {
    const trade: Trade = { ...confirmed, committing: true };
    this.update(trade);
    // A retried trade gets a fresh op id: an attempt whose outcome was lost must stay apart.
    const opId = this.attempted.has(trade.id) ? this.deps.newId() : trade.id;
    this.attempted.add(trade.id);
    let result: EconomyResult;
    try {
      result = await this.deps.commit({
        opId,
        kind: LedgerKind.TRADE,
        changes: tradeChanges(trade),
      });
    } catch (error) {
      this.deps.onError(error, "trade commit");
      result = { ok: false, code: "TRADE_FAILED" };
    }
    const closing = this.closeAfterCommit.get(trade.id);
    if (result.ok) return this.completed(trade, result.opId, result.holdings);
    if (closing) {
      this.trades.set(trade.id, { ...trade, committing: false });
      return this.close({ ...trade, committing: false }, closing);
    }
    this.failed(trade, result.code);
  }

  private completed(trade: Trade, opId: string, committed: Record<string, Holdings>): void {
    this.forget(trade);
    for (const side of trade.sides) {
      const id = side.characterId;
      const holdings = this.deps.holdingsOf(id) ?? committed[id];
      this.deps.send(id, TradeEvents.completed, {
        id: trade.id,
        opId,
        with: partnerOf(trade, id),
        gold: holdings?.gold,
        inventory: holdings ? listInventory(holdings) : undefined,
      });
    }
  }
}

/** The non-empty slots of an inventory, as the REST inventory lists them. */
function listInventory(holdings: Holdings): { slot: number; itemId: string; qty: number }[] {
  const out: { slot: number; itemId: string; qty: number }[] = [];
  holdings.inventory.slots.forEach((s, slot) => {
    if (s) out.push({ slot, itemId: s.itemId, qty: s.qty });
  });
  return out;
}
