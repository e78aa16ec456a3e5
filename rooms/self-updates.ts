/**
 * Sends each player its own private figures (hp, mp, xp, gold, input acknowledgement, cooldowns)
 * in a `self` message after the patch, only the ones that changed since its previous one. They
 * cannot ride the replicated state: every client standing in one interest cell shares that
 * cell's StateView (rooms/cell-views.ts), and a view is encoded once for all of them.
 */
import { ClientState, type Client } from "@colyseus/core";
import { ServerMessage } from "../clients/js/message-names.ts";
import type { SelfPayload } from "../clients/js/self-state.ts";
import type { PlayerEntity, World } from "../src/game/world/world-types.ts";
import { STATE_TICK_MASK, TICK_MS } from "../schema/motion.ts";
import type { SchemaSync } from "../schema/to-schema.ts";

/** What one client was last sent; -1 is never a figure, so the first message carries them all. */
export class SelfSent {
  hp = -1;
  hpMax = -1;
  mp = -1;
  mpMax = -1;
  xp = -1;
  gold = -1;
  ackSeq = -1;
  cooldowns = new Map<string, number>();
  /** False until the first message: it carries the (possibly empty) cooldowns too. */
  started = false;
}

const AFTER_PATCH = { afterNextPatch: true } as const;

/**
 * The `self` message a player needs now, or undefined when nothing changed. `ackedSeq` is the
 * input acknowledged with the latest position sent (SchemaSync.ackedSeqOf); `tick` the world
 * tick. Cooldowns go out as the state tick they end at, which stays put while they count down.
 */
export function selfChanges(
  sent: SelfSent,
  player: PlayerEntity,
  ackedSeq: number,
  tick: number,
): SelfPayload | undefined {
  let out: SelfPayload | undefined;
  if (sent.hp !== player.hp) (out ??= {}).hp = sent.hp = player.hp;
  if (sent.hpMax !== player.hpMax) (out ??= {}).hpMax = sent.hpMax = player.hpMax;
  if (sent.mp !== player.mp) (out ??= {}).mp = sent.mp = player.mp;
  if (sent.mpMax !== player.mpMax) (out ??= {}).mpMax = sent.mpMax = player.mpMax;
  if (sent.xp !== player.xp) (out ??= {}).xp = sent.xp = player.xp;
  if (sent.gold !== player.gold) (out ??= {}).gold = sent.gold = player.gold;
  if (sent.ackSeq !== ackedSeq) (out ??= {}).ackSeq = sent.ackSeq = ackedSeq;
  let cooldownsChanged = !sent.started || sent.cooldowns.size !== player.cooldowns.size;
  for (const [id, ms] of player.cooldowns) {
    const ready = (tick + Math.ceil(ms / TICK_MS)) & STATE_TICK_MASK;
    if (sent.cooldowns.get(id) !== ready) {
      cooldownsChanged = true;
      break;
    }
  }
  if (cooldownsChanged) {
    const cooldowns: Record<string, number> = {};
    sent.cooldowns.clear();
    for (const [id, ms] of player.cooldowns) {
      const ready = (tick + Math.ceil(ms / TICK_MS)) & STATE_TICK_MASK;
      cooldowns[id] = ready;
      sent.cooldowns.set(id, ready);
    }
    (out ??= {}).cooldowns = cooldowns;
  }
  sent.started = true;
  return out;
}

/** What the `self` messages need of a session. */
export type SelfOwner = { readonly characterId: string; readonly client: Client };

/** The room's `self` messages: call `flush` right before each patch. */
export class SelfUpdates {
  /** Keyed by session: it outlives a reconnect, whose client keeps the figures it had. */
  private readonly sent = new WeakMap<SelfOwner, SelfSent>();

  /**
   * Queues each joined player's changes behind the coming patch, so an acknowledgement arrives
   * after the position it goes with.
   */
  flush(owners: Iterable<SelfOwner>, world: World, sync: SchemaSync): void {
    for (const owner of owners) {
      if (owner.client.state !== ClientState.JOINED) continue;
      const handle = world.handleById.get(owner.characterId);
      const player = handle === undefined ? undefined : world.entities[handle];
      if (player?.kind !== "player") continue;
      let sent = this.sent.get(owner);
      if (!sent) this.sent.set(owner, (sent = new SelfSent()));
      const payload = selfChanges(sent, player, sync.ackedSeqOf(handle!), world.tick);
      if (payload) owner.client.send(ServerMessage.self, payload, AFTER_PATCH);
    }
  }
}
