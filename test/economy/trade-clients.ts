/**
 * Helpers for trade tests: characters seeded with gold and items straight in the database before
 * they join, and an inbox that keeps every trade message a client receives, in order.
 */
import type { Room } from "@colyseus/sdk";
import type { PrismaClient } from "../../src/db/database.ts";
import { TRADE_MESSAGE_BURST, TRADE_MESSAGES_PER_SEC } from "../../rooms/trade-feature.ts";
import { enterWorld, newPlayer, waitFor } from "../helpers/game-server.ts";

export const TRADE_EVENTS = [
  "tradeRequested",
  "trade",
  "tradeError",
  "tradeClosed",
  "tradeCompleted",
] as const;
export type TradeEvent = (typeof TRADE_EVENTS)[number];

export type SideView = {
  items: { slot: number; itemId: string; qty: number }[];
  gold: number;
  locked: boolean;
  confirmed: boolean;
};
export type TradeMsg = { id: string; you: SideView; them: SideView; state: string };
export type TradeCompletedMsg = {
  id: string;
  opId: string;
  gold: number;
  inventory: { slot: number; itemId: string; qty: number }[];
};

/** Every trade message a room receives, kept until read with `next`. */
export class Inbox {
  private readonly queues = new Map<string, unknown[]>();
  private readonly waiters = new Map<string, ((m: unknown) => void)[]>();

  constructor(room: Room) {
    // Other messages (welcome, notices, transfer) are not these tests' business.
    room.onMessage("*", () => undefined);
    for (const type of TRADE_EVENTS) {
      room.onMessage(type, (m: unknown) => {
        const waiting = this.waiters.get(type)?.shift();
        if (waiting) return waiting(m);
        const q = this.queues.get(type) ?? [];
        q.push(m);
        this.queues.set(type, q);
      });
    }
  }

  /** The oldest unread message of `type`, waiting up to `ms` for one. */
  next<T>(type: TradeEvent, ms = 5000): Promise<T> {
    const queued = this.queues.get(type);
    if (queued && queued.length > 0) return Promise.resolve(queued.shift() as T);
    return new Promise<T>((resolve, reject) => {
      const list = this.waiters.get(type) ?? [];
      const waiter = (m: unknown) => {
        clearTimeout(timer);
        resolve(m as T);
      };
      const timer = setTimeout(() => {
        const at = list.indexOf(waiter);
        if (at >= 0) list.splice(at, 1);
        reject(new Error(`no "${type}" message within ${ms} ms`));
      }, ms);
      list.push(waiter);
      this.waiters.set(type, list);
    });
  }

  /** The next `trade` message satisfying `predicate` (earlier ones are skipped). */
  async nextTrade(predicate: (t: TradeMsg) => boolean, ms = 5000): Promise<TradeMsg> {
    const until = Date.now() + ms;
    for (;;) {
      const t = await this.next<TradeMsg>("trade", Math.max(1, until - Date.now()));
      if (predicate(t)) return t;
    }
  }

  /**
   * The first of `types` to arrive (or already queued, in the order given): its type and body.
   * The waiter left on the other types is removed.
   */
  nextOf<T>(types: readonly TradeEvent[], ms = 5000): Promise<{ type: TradeEvent; body: T }> {
    for (const type of types) {
      const queued = this.queues.get(type);
      if (queued && queued.length > 0) return Promise.resolve({ type, body: queued.shift() as T });
    }
    return new Promise((resolve, reject) => {
      const registered: [TradeEvent, (m: unknown) => void][] = [];
      const unregister = () => {
        for (const [type, waiter] of registered) {
          const list = this.waiters.get(type) ?? [];
          const at = list.indexOf(waiter);
          if (at >= 0) list.splice(at, 1);
        }
      };
      const timer = setTimeout(() => {
        unregister();
        reject(new Error(`none of ${types.join(", ")} within ${ms} ms`));
      }, ms);
      for (const type of types) {
        const waiter = (m: unknown) => {
          clearTimeout(timer);
          unregister();
          resolve({ type, body: m as T });
        };
        registered.push([type, waiter]);
        const list = this.waiters.get(type) ?? [];
        list.push(waiter);
        this.waiters.set(type, list);
      }
    });
  }

  /**
   * Forgets every unread message and every waiter (a trade given up on): a waiter left behind
   * would take the next trade's message.
   */
  reset(): void {
    this.queues.clear();
    for (const list of this.waiters.values()) list.length = 0;
  }

  /** How many unread messages of `type` there are. */
  pending(type: TradeEvent): number {
    return this.queues.get(type)?.length ?? 0;
  }

  clear(): void {
    this.queues.clear();
  }
}

export type Seed = {
  gold: number;
  /** Inventory slots from 0; null leaves a slot empty. */
  items?: ([itemId: string, qty: number] | null)[];
  x?: number;
  y?: number;
};

/**
 * Writes gold, inventory (and position) of an offline character, bumping its version so that
 * no cached copy of its rows is trusted afterwards.
 */
export async function seedCharacter(prisma: PrismaClient, id: string, seed: Seed): Promise<void> {
  const rows = (seed.items ?? []).flatMap((s, slot) =>
    s === null ? [] : [{ characterId: id, slot, itemId: s[0], quantity: s[1] }],
  );
  await prisma.$transaction([
    prisma.inventoryItem.deleteMany({ where: { characterId: id } }),
    prisma.inventoryItem.createMany({ data: rows }),
    prisma.character.update({
      where: { id },
      data: {
        gold: BigInt(seed.gold),
        version: { increment: 1 },
        ...(seed.x !== undefined ? { x: seed.x } : {}),
        ...(seed.y !== undefined ? { y: seed.y } : {}),
      },
    }),
  ]);
}

export type Trader = Awaited<ReturnType<typeof newPlayer>> & {
  room: Room;
  inbox: Inbox;
  /** Sends a trade message no faster than the room's trade rate limit allows. */
  send(type: string, payload: unknown): Promise<void>;
};

/** A client-side token bucket a little slower than the server's, so bots are never refused. */
function pacer() {
  const burst = TRADE_MESSAGE_BURST - 5;
  const perMs = (TRADE_MESSAGES_PER_SEC * 0.9) / 1000;
  let tokens = burst;
  let at = Date.now();
  return async () => {
    for (;;) {
      const now = Date.now();
      tokens = Math.min(burst, tokens + (now - at) * perMs);
      at = now;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil((1 - tokens) / perMs)));
    }
  };
}

/** A new character, seeded, in the world with its own entity in view. */
export async function joinTrader(url: string, prisma: PrismaClient, seed: Seed): Promise<Trader> {
  const player = await newPlayer(url);
  await seedCharacter(prisma, player.characterId, seed);
  return enterAsTrader(url, player);
}

/** An existing character enters the world through `url` as a trader. */
export async function enterAsTrader(
  url: string,
  player: Awaited<ReturnType<typeof newPlayer>>,
): Promise<Trader> {
  const { room } = await enterWorld(url, player);
  const inbox = new Inbox(room);
  await waitFor(
    room,
    () =>
      (room.state as { entities?: Map<string, unknown> }).entities?.has(room.sessionId) ?? false,
    8000,
    "own entity",
  );
  const paced = pacer();
  const send = async (type: string, payload: unknown) => {
    await paced();
    room.send(type, payload);
  };
  return { ...player, room, inbox, send };
}

/** A asks B, B accepts: resolves with the trade id once both saw the open trade. */
export async function openTradeBetween(a: Trader, b: Trader): Promise<string> {
  await a.send("tradeRequest", { name: b.character.name });
  const asked = await b.inbox.next<{ from: string; tradeId: string }>("tradeRequested");
  await b.send("tradeAccept", {});
  const [ta, tb] = await Promise.all([
    a.inbox.next<TradeMsg>("trade"),
    b.inbox.next<TradeMsg>("trade"),
  ]);
  if (ta.id !== asked.tradeId || tb.id !== asked.tradeId) throw new Error("trade ids differ");
  return asked.tradeId;
}

/** The character's inventory and gold as the REST API shows them. */
export async function restInventory(url: string, p: { token: string; characterId: string }) {
  const res = await fetch(`${url}/v1/characters/${p.characterId}/inventory`, {
    headers: { authorization: `Bearer ${p.token}` },
  });
  if (res.status !== 200) throw new Error(`inventory: ${res.status} ${await res.text()}`);
  return (await res.json()) as {
    gold: number;
    items: { slot: number; itemId: string; quantity: number }[];
  };
}

/** Item totals per id from listed stacks. */
export function totalsOf(items: { itemId: string; quantity?: number; qty?: number }[]) {
  const totals: Record<string, number> = {};
  for (const i of items) totals[i.itemId] = (totals[i.itemId] ?? 0) + (i.quantity ?? i.qty ?? 0);
  return totals;
}

/** Whether a side of a `trade` message shows exactly `offer` (slots and quantities, gold). */
export function showsOffer(
  seen: SideView,
  offer: { items: { slot: number; qty: number }[]; gold: number },
): boolean {
  return (
    seen.gold === offer.gold &&
    seen.items.length === offer.items.length &&
    seen.items.every((s, i) => s.slot === offer.items[i]!.slot && s.qty === offer.items[i]!.qty)
  );
}
