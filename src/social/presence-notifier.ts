import { randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { ServerMessage } from "../../clients/js/message-names.ts";
import { Channels } from "../infra/channels.ts";
import type { GuildChange, GuildNotifier, SocialNotifier } from "./social-notifier.ts";

/**
 * Published on `Channels.guild(guildId)` and on `Channels.player(id)` of each `alsoNotify` id.
 * One change has one `id` on every channel, so a relay that hears it twice can drop the copy.
 */
export type GuildChangedMessage = {
  type: typeof ServerMessage.guild;
  id: string;
  guildId: string;
  change: GuildChange;
  /** Epoch ms when the change was published. */
  at: number;
};

/** Published on `Channels.player(ownerId)` when that character's block list changed. */
export type BlocksChangedMessage = {
  type: typeof ServerMessage.blocksChanged;
  ownerId: string;
};

/** The default notifiers: presence publish, which reaches every process when presence is Redis. */
export function createPresenceNotifiers(
  presence: Pick<Presence, "publish">,
  now: () => number = Date.now,
): { guild: GuildNotifier; social: SocialNotifier } {
  return {
    guild: {
      async guildChanged(guildId, change, alsoNotify) {
        const message: GuildChangedMessage = {
          type: ServerMessage.guild,
          id: randomUUID(),
          guildId,
          change,
          at: now(),
        };
        await Promise.all([
          presence.publish(Channels.guild(guildId), message),
          ...[...new Set(alsoNotify)].map((id) => presence.publish(Channels.player(id), message)),
        ]);
      },
    },
    social: {
      async blocksChanged(ownerId) {
        const message: BlocksChangedMessage = { type: ServerMessage.blocksChanged, ownerId };
        await presence.publish(Channels.player(ownerId), message);
      },
    },
  };
}
