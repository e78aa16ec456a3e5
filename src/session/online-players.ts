import type { Presence } from "@colyseus/core";
import type { CharacterLocks } from "./character-lock.ts";

const ONLINE_KEY = "mmo:online";

export type OnlinePlayer = {
  characterId: string;
  accountId: string;
  name: string;
  zone: string;
  roomId: string;
  /** ISO time the character entered its current room. */
  since: string;
};

/**
 * Who is online, across every process sharing the presence: rooms add a character when it joins
 * and remove it when it leaves. Entries of a process that died are recognised by their missing
 * character lock and dropped when listed. This process's own entries are also kept here, for
 * `reassert` when the presence changes store (Redis lost, or back and possibly emptied).
 */
export function createOnlinePlayers(presence: Presence, locks: CharacterLocks) {
  const here = new Map<string, OnlinePlayer>();
  return {
    async add(player: OnlinePlayer): Promise<void> {
      here.set(player.characterId, player);
      await presence.hset(ONLINE_KEY, player.characterId, JSON.stringify(player));
    },
    async remove(characterId: string, roomId: string): Promise<void> {
      if (here.get(characterId)?.roomId === roomId) here.delete(characterId);
      const current = await presence.hget(ONLINE_KEY, characterId);
      if (current && (JSON.parse(current) as OnlinePlayer).roomId === roomId) {
        await presence.hdel(ONLINE_KEY, characterId);
      }
    },
    async get(characterId: string): Promise<OnlinePlayer | undefined> {
      const raw = await presence.hget(ONLINE_KEY, characterId);
      return raw ? (JSON.parse(raw) as OnlinePlayer) : undefined;
    },
    async list(): Promise<OnlinePlayer[]> {
      const all = await presence.hgetall(ONLINE_KEY);
      const players: OnlinePlayer[] = [];
      for (const [characterId, raw] of Object.entries(all ?? {})) {
        if ((await locks.holderOf(characterId)) === null) {
          await presence.hdel(ONLINE_KEY, characterId);
          continue;
        }
        players.push(JSON.parse(raw) as OnlinePlayer);
      }
      return players.sort((a, b) => a.name.localeCompare(b.name));
    },
    async reassert(store: Presence): Promise<void> {
      await Promise.all(
        [...here.values()].map((p) => store.hset(ONLINE_KEY, p.characterId, JSON.stringify(p))),
      );
    },
  };
}

export type OnlinePlayers = ReturnType<typeof createOnlinePlayers>;
