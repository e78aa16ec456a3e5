/**
 * Channel switching in open-world zone rooms (src/zone/channel-directory.ts): `switchChannel
 * { channel }` hands the player over to that channel's room where it stands, through the portal
 * hand-over (save, lock release, reservation, `transfer`). Refusals go to the sender as `error`
 * messages and never kick: UNKNOWN_CHANNEL, SAME_CHANNEL, CHANNEL_FULL, IN_COMBAT (hit or hitting
 * within the last few seconds), RATE_LIMITED, INVALID_MESSAGE.
 */
import { z } from "zod";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import { ErrorCode } from "../src/errors.ts";
import { checkChannelSwitch } from "../src/game/world/channel-placement.ts";
import { TokenBucket } from "../src/session/token-bucket.ts";
import { isChannelled, type ChannelDirectory } from "../src/zone/channel-directory.ts";
import type { RoomErrorMessage } from "./room-refusals.ts";
import type {
  FeatureHost,
  FeatureSession,
  RoomFeature,
  RoomFeatureFactory,
} from "./room-feature.ts";

export const SwitchChannelMessage = z.strictObject({ channel: z.int().min(1).max(100_000) });

/** Switch requests a player may send: a burst of 3, then one every 2 seconds. */
export const SWITCH_BURST = 3;
export const SWITCHES_PER_SEC = 0.5;
/** A player who hit or was hit (or missed) this recently is in combat and cannot switch. */
export const COMBAT_GRACE_MS = 5_000;
/** How often the feature looks for fights, in ticks (one second at 20 Hz). */
const COMBAT_CHECK_TICKS = 20;

type Refusal = "UNKNOWN_CHANNEL" | "SAME_CHANNEL" | "CHANNEL_FULL" | "IN_COMBAT" | "RATE_LIMITED";

export function channelFeature(channels: ChannelDirectory): RoomFeatureFactory {
  return (host) => (isChannelled(host.zone) ? createChannelSwitch(host, channels) : {});
}

function createChannelSwitch(host: FeatureHost, channels: ChannelDirectory): RoomFeature {
  const buckets = new Map<string, TokenBucket>();
  /** Per character: its combat count when last looked at, and when it last changed. */
  const fights = new Map<string, { count: number; atMs: number }>();

  function refuse(session: FeatureSession, code: Refusal | "INVALID_MESSAGE", detail?: string) {
    const message = detail ?? ErrorCode[code].message;
    const reply: RoomErrorMessage = { code, message, type: ClientMessage.switchChannel };
    session.send(ServerMessage.error, reply);
  }

  function inCombat(characterId: string, nowMs: number): boolean {
    const count = host.sim.combatCountOf(characterId);
    const seen = fights.get(characterId);
    if (seen && seen.count !== count) fights.set(characterId, { count, atMs: nowMs });
    const since = fights.get(characterId)?.atMs;
    return since !== undefined && nowMs - since < COMBAT_GRACE_MS;
  }

  async function switchTo(session: FeatureSession, channel: number): Promise<void> {
    const id = session.characterId;
    const [list, mates] = await Promise.all([
      channels.list(host.zone.id),
      channels.matesOf(id, host.zone.id),
    ]);
    const capacity = channels.capacityOf(host.zone);
    const check = checkChannelSwitch(list, capacity, host.roomId, channel, mates.partyRooms);
    if (!check.ok) return refuse(session, check.code);
    if (session.handedOff || !host.switchRoom) return;
    host.log.info({ characterId: id, channel }, "switching channel");
    await host.switchRoom(id, check.roomId);
  }

  function receive(session: FeatureSession, payload: unknown): void {
    const id = session.characterId;
    const now = Date.now();
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(SWITCH_BURST, SWITCHES_PER_SEC, now);
      buckets.set(id, bucket);
    }
    if (!bucket.take(now)) return refuse(session, "RATE_LIMITED");
    const parsed = SwitchChannelMessage.safeParse(payload);
    if (!parsed.success) {
      return refuse(
        session,
        "INVALID_MESSAGE",
        "switchChannel: channel must be a whole number ≥ 1",
      );
    }
    if (inCombat(id, now)) return refuse(session, "IN_COMBAT");
    // A second request racing this one finds the character handed off (switchRoom checks).
    switchTo(session, parsed.data.channel).catch((error: unknown) =>
      host.log.error({ err: error, characterId: id }, "switch failed"),
    );
  }

  return {
    messages: { [ClientMessage.switchChannel]: receive },
    joined(session) {
      fights.set(session.characterId, {
        count: host.sim.combatCountOf(session.characterId),
        atMs: 0,
      });
    },
    left(session) {
      buckets.delete(session.characterId);
      fights.delete(session.characterId);
    },
    tick(tickCount) {
      if (tickCount % COMBAT_CHECK_TICKS !== 0) return;
      const now = Date.now();
      for (const session of host.sessions()) inCombat(session.characterId, now);
    },
  };
}
