/**
 * One's own character's private figures: hp, mp, xp, gold, the last input the server applied and
 * the skill cooldowns. They are not in the replicated state (every client standing in one
 * interest cell shares that cell's view of it): the room sends them to their owner alone in a
 * `self` message, after the patch, carrying only what changed since the previous one (the first
 * carries everything). `trackSelf` keeps a SelfState up to date from them.
 */
import { ServerMessage } from "./message-names.ts";

/** A `self` message: only the figures that changed. */
export type SelfPayload = {
  hp?: number;
  hpMax?: number;
  mp?: number;
  mpMax?: number;
  xp?: number;
  gold?: number;
  /**
   * The last input `seq` applied, sent once the position it led to is in a patch (the patch
   * this message follows, or an earlier one): reconcile prediction against that position.
   */
  ackSeq?: number;
  /** Every skill or item on cooldown → the state tick (16 bits) it is ready at; whole when sent. */
  cooldowns?: Record<string, number>;
};

export type SelfState = {
  hp: number;
  hpMax: number;
  mp: number;
  mpMax: number;
  xp: number;
  gold: number;
  ackSeq: number;
  /** Skill or item id → state tick it is ready at (read it with msUntilTick). */
  cooldowns: Map<string, number>;
  /** False until the first `self` message arrived. */
  received: boolean;
};

export function createSelfState(): SelfState {
  return {
    hp: 0,
    hpMax: 0,
    mp: 0,
    mpMax: 0,
    xp: 0,
    gold: 0,
    ackSeq: 0,
    cooldowns: new Map(),
    received: false,
  };
}

/** Applies one `self` message to `state`. */
export function applySelf(state: SelfState, payload: SelfPayload): void {
  if (payload.hp !== undefined) state.hp = payload.hp;
  if (payload.hpMax !== undefined) state.hpMax = payload.hpMax;
  if (payload.mp !== undefined) state.mp = payload.mp;
  if (payload.mpMax !== undefined) state.mpMax = payload.mpMax;
  if (payload.xp !== undefined) state.xp = payload.xp;
  if (payload.gold !== undefined) state.gold = payload.gold;
  if (payload.ackSeq !== undefined) state.ackSeq = payload.ackSeq;
  if (payload.cooldowns !== undefined) {
    state.cooldowns.clear();
    for (const [id, tick] of Object.entries(payload.cooldowns)) state.cooldowns.set(id, tick);
  }
  state.received = true;
}

/** The part of a Colyseus room (`@colyseus/sdk` Room) that receives. */
export type SelfSource = {
  onMessage(type: string, handler: (message: unknown) => void): unknown;
};

/**
 * Keeps a SelfState from `room`'s `self` messages. Call it right after joining (before awaiting
 * anything else): the first message, which carries every figure, follows the first patch.
 */
export function trackSelf(room: SelfSource, onChange?: (state: SelfState) => void): SelfState {
  const state = createSelfState();
  room.onMessage(ServerMessage.self, (message) => {
    applySelf(state, message as SelfPayload);
    onChange?.(state);
  });
  return state;
}
