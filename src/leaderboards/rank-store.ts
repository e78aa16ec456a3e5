import type { Redis } from "ioredis";

export type Ranked = { member: string; score: number };

/**
 * Ranked members per board: score descending, then member descending (Redis's ZREVRANGE order,
 * kept by the in-process store too). Ranks are 0-based.
 */
export type RankStore = {
  /** Replaces the whole board atomically. */
  replace(board: string, entries: readonly Ranked[]): Promise<void>;
  upsert(board: string, entries: readonly Ranked[]): Promise<void>;
  remove(board: string, members: readonly string[]): Promise<void>;
  range(board: string, offset: number, limit: number): Promise<Ranked[]>;
  rankOf(board: string, member: string): Promise<number | null>;
  size(board: string): Promise<number>;
};

const before = (a: Ranked, b: Ranked) =>
  a.score !== b.score ? a.score > b.score : a.member > b.member;

/** The embedded default: a sorted array per board. */
export function createMemoryRankStore(): RankStore {
  const boards = new Map<string, { list: Ranked[]; scores: Map<string, number> }>();
  const boardOf = (name: string) => {
    let b = boards.get(name);
    if (!b) boards.set(name, (b = { list: [], scores: new Map() }));
    return b;
  };
  /** Index of the first entry not ranked before `e`. */
  const position = (list: Ranked[], e: Ranked) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(list[mid]!, e)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const drop = (b: { list: Ranked[]; scores: Map<string, number> }, member: string) => {
    const score = b.scores.get(member);
    if (score === undefined) return;
    const at = position(b.list, { member, score });
    if (b.list[at]?.member === member) b.list.splice(at, 1);
    b.scores.delete(member);
  };
  return {
    async replace(board, entries) {
      const list = [...entries].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      boards.set(board, { list, scores: new Map(list.map((e) => [e.member, e.score])) });
    },
    async upsert(board, entries) {
      const b = boardOf(board);
      for (const e of entries) {
        if (b.scores.get(e.member) === e.score) continue;
        drop(b, e.member);
        b.list.splice(position(b.list, e), 0, { member: e.member, score: e.score });
        b.scores.set(e.member, e.score);
      }
    },
    async remove(board, members) {
      const b = boardOf(board);
      for (const m of members) drop(b, m);
    },
    async range(board, offset, limit) {
      return boardOf(board).list.slice(offset, offset + limit);
    },
    async rankOf(board, member) {
      const b = boardOf(board);
      const score = b.scores.get(member);
      return score === undefined ? null : position(b.list, { member, score });
    },
    async size(board) {
      return boardOf(board).list.length;
    },
  };
}

/** Redis sorted sets `<prefix><board>`, shared by every process. */
export function createRedisRankStore(redis: Redis, prefix = "mmo:lb:"): RankStore {
  const key = (board: string) => `${prefix}${board}`;
  const CHUNK = 1000;
  const zadd = async (k: string, entries: readonly Ranked[]) => {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const args = entries.slice(i, i + CHUNK).flatMap((e) => [e.score, e.member]);
      await redis.zadd(k, ...args);
    }
  };
  return {
    async replace(board, entries) {
      const temp = `${key(board)}:rebuild:${process.pid}:${Date.now()}`;
      await zadd(temp, entries);
      if (entries.length === 0) await redis.del(key(board));
      else await redis.rename(temp, key(board));
    },
    async upsert(board, entries) {
      if (entries.length > 0) await zadd(key(board), entries);
    },
    async remove(board, members) {
      if (members.length > 0) await redis.zrem(key(board), ...members);
    },
    async range(board, offset, limit) {
      if (limit <= 0) return [];
      const flat = await redis.zrevrange(key(board), offset, offset + limit - 1, "WITHSCORES");
      const out: Ranked[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
      }
      return out;
    },
    async rankOf(board, member) {
      return redis.zrevrank(key(board), member);
    },
    async size(board) {
      return redis.zcard(key(board));
    },
  };
}
