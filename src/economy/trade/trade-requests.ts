/** Trade requests waiting for an answer in one room: at most one outgoing per player. */
import { TRADE_REQUEST_TTL_MS } from "../../game/economy/trade.ts";

export type TradeRequest = {
  /** The trade's id once accepted. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly expiresAtMs: number;
};

export class TradeRequests {
  private readonly byId = new Map<string, TradeRequest>();
  private readonly outgoing = new Map<string, string>();

  /** Adds a request from `from` to `to`; returns the one it replaced (a player asks one at a time). */
  add(id: string, from: string, to: string, nowMs: number): TradeRequest | undefined {
    const replaced = this.outgoingOf(from);
    if (replaced) this.remove(replaced.id);
    const request = { id, from, to, expiresAtMs: nowMs + TRADE_REQUEST_TTL_MS };
    this.byId.set(id, request);
    this.outgoing.set(from, id);
    return replaced;
  }

  get(id: string): TradeRequest | undefined {
    return this.byId.get(id);
  }

  outgoingOf(characterId: string): TradeRequest | undefined {
    const id = this.outgoing.get(characterId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The newest request made to `characterId`. */
  newestTo(characterId: string): TradeRequest | undefined {
    let newest: TradeRequest | undefined;
    for (const r of this.byId.values()) {
      if (r.to === characterId && (!newest || r.expiresAtMs >= newest.expiresAtMs)) newest = r;
    }
    return newest;
  }

  remove(id: string): TradeRequest | undefined {
    const request = this.byId.get(id);
    if (!request) return undefined;
    this.byId.delete(id);
    if (this.outgoing.get(request.from) === id) this.outgoing.delete(request.from);
    return request;
  }

  /** Removes and returns every request from or to `characterId`. */
  removeInvolving(characterId: string): TradeRequest[] {
    const gone = [...this.byId.values()].filter(
      (r) => r.from === characterId || r.to === characterId,
    );
    for (const r of gone) this.remove(r.id);
    return gone;
  }

  /** Removes and returns the requests that lapsed by `nowMs`. */
  expire(nowMs: number): TradeRequest[] {
    if (this.byId.size === 0) return [];
    const gone = [...this.byId.values()].filter((r) => r.expiresAtMs <= nowMs);
    for (const r of gone) this.remove(r.id);
    return gone;
  }
}
