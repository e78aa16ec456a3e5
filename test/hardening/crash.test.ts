import assert from "node:assert/strict";
import { Kind } from "../../schema/entity-kind.ts";
import { randomBytes } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import { extrapolate } from "../../schema/motion.ts";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import { addXp, totalXpForLevel, xpForLevel } from "../../src/game/leveling/leveling.ts";
import { enterWorld, newPlayer, onNotice, selfOf, sleep, waitFor } from "../helpers/game-server.ts";
import { freshRedisUrl } from "../helpers/redis-db.ts";
import { freePort, startServerProcess, type ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";

/**
 * Crash safety against a real server process on PostgreSQL (and Redis presence when reachable):
 * warriors kill slimes and pick up their loot while the process is killed. While they fight, the
 * saved records are read every 50 ms and must never lack anything a client saw over 1 s earlier.
 * After a restart on the same database, what was saved is compared with what each client saw,
 * message by message (xpGained, goldGained, looted; items are stacks, so counted per item id):
 * - SIGKILL, 1 s after a client saw a gain: nothing the client saw at least 1 s before the kill is
 *   missing, nothing it never saw is there, and the saved record is one moment of the character
 *   (no torn write); the characters can join again once their presence locks expire.
 * - SIGTERM, right after a gain: everything the clients saw is saved, exactly.
 */

const JWT_SECRET = "crash-secret-crash-secret-crash-secret-01";
const LOCK_TTL_SEC = 3;
const BOTS = 6;
const LEVEL = 5;
/** Where the slime meadows of the field are; bots split between them. */
const MEADOWS = [
  { x: 800, y: 1600 },
  { x: 520, y: 2800 },
];
/** Fighting time before the signal: long enough for kills to land in the last second. */
const FIGHT_MS = 3000;
const MAX_BEHIND_MS = 1000;

type Player = Awaited<ReturnType<typeof newPlayer>>;
type Progress = { level: number; xp: number; gold: number };
type Items = Map<string, number>;
/** The character as the client knows it after one server message (or at join). */
type Known = Progress & { t: number; items: Items };

/** An entity as the SDK decodes it: its network key is its key in the map (no id field). */
type EntityView = {
  kind: Kind;
  /** Mobs and drops only. */
  templateId?: string;
  x: number;
  y: number;
  vx?: number;
  vy?: number;
  posTick?: number;
  /** Players and mobs only. */
  hpRatio?: number;
  /** Players only. */
  level?: number;
};
const NONE = new Map<string, EntityView>();
/** Entities by network key: the own entity is `room.sessionId`. */
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ?? NONE;

/** Where an entity is now, by dead reckoning (schema/motion.ts). */
function positionOf(room: Room, e: EntityView): { x: number; y: number } {
  const tick = (room.state as { tick?: number } | undefined)?.tick ?? 0;
  const { x, y, vx, vy } = e;
  return extrapolate({ x, y, vx, vy, posTick: e.posTick ?? 0 }, tick, { x: 0, y: 0 });
}

const compareProgress = (a: Progress, b: Progress) => a.level - b.level || a.xp - b.xp;
const atLeast = (a: Progress, b: Progress) => compareProgress(a, b) >= 0 && a.gold >= b.gold;
const sameItems = (a: Items, b: Items) =>
  [...new Set([...a.keys(), ...b.keys()])].every((id) => (a.get(id) ?? 0) === (b.get(id) ?? 0));
const itemsAtLeast = (a: Items, b: Items) => [...b].every(([id, n]) => (a.get(id) ?? 0) >= n);
const show = ({ level, xp, gold, items }: Progress & { items: Items }) =>
  JSON.stringify({ level, xp, gold, ...Object.fromEntries([...items].sort()) });

/**
 * One client that fights: records every state of its character it learns from the server
 * (xpGained, goldGained, looted, in the order sent) and every own-entity patch.
 */
class Bot {
  readonly known: Known[] = [];
  readonly patches: (Progress & { t: number })[] = [];
  kills = 0;
  loots = 0;
  private stopped = false;
  private readonly died: { id: string; killerId: string | null; x: number; y: number }[] = [];
  private readonly tried = new Map<string, number>();
  private done: Promise<void> | undefined;
  readonly name: string;
  readonly player: Player;
  readonly room: Room;
  /** Slimes some bot is already after (shared by all bots). */
  private readonly claimed: Set<string>;

  constructor(
    name: string,
    player: Player,
    room: Room,
    start: Progress & { items: Items },
    leveling: GameData["content"]["leveling"],
    claimed: Set<string>,
  ) {
    this.name = name;
    this.player = player;
    this.room = room;
    this.claimed = claimed;
    const { level, xp, gold } = start;
    this.known.push({ level, xp, gold, items: new Map(start.items), t: Date.now() });
    const id = player.characterId;
    const key = room.sessionId;
    const next = (change: (k: Known) => void) => {
      const last = this.known.at(-1)!;
      const k: Known = { ...last, items: new Map(last.items), t: Date.now() };
      change(k);
      this.known.push(k);
    };
    room.onMessage("xpGained", (m: { characterId: string; amount: number }) => {
      if (m.characterId !== id) return;
      next((k) => {
        const r = addXp({ level: k.level, xp: k.xp }, m.amount, leveling);
        k.level = r.level;
        k.xp = r.xp;
      });
    });
    room.onMessage("goldGained", (m: { characterId: string; amount: number }) => {
      if (m.characterId === id) next((k) => (k.gold += m.amount));
    });
    room.onMessage("looted", (m: { characterId: string; itemId: string; quantity: number }) => {
      if (m.characterId !== id) return;
      this.loots += 1;
      next((k) => k.items.set(m.itemId, (k.items.get(m.itemId) ?? 0) + m.quantity));
    });
    onNotice(room, "died", (m: { id: string; killerId: string | null; x: number; y: number }) => {
      this.died.push(m);
      if (m.killerId === key) this.kills += 1;
    });
    room.onMessage("*", () => undefined);
    // The process went away: nothing left to fight, and sends would go nowhere.
    room.onLeave(() => (this.stopped = true));
    // Own xp and gold come in `self` messages (issue 13), right after the patch that carries the
    // own entity's level of the same tick: read the two together then.
    const self = selfOf(room);
    room.onMessage("self", () => {
      const level = entities(room).get(key)?.level;
      if (level === undefined) return;
      const { xp, gold } = self;
      const last = this.patches.at(-1);
      if (last && last.level === level && last.xp === xp && last.gold === gold) return;
      this.patches.push({ t: Date.now(), level, xp, gold });
    });
  }

  /** The latest state the client knew at time `t`. */
  knownAt(t: number): Known {
    let k = this.known[0]!;
    for (const s of this.known) if (s.t <= t) k = s;
    return k;
  }

  get last(): Known {
    return this.known.at(-1)!;
  }

  /** When the client first saw something `saved` lacks (undefined: it has everything). */
  unsavedSince(saved: Progress & { items: Items }): number | undefined {
    return this.known.find(
      (k) =>
        compareProgress(k, saved) > 0 || k.gold > saved.gold || !itemsAtLeast(saved.items, k.items),
    )?.t;
  }

  /** Every own-entity patch shows a state the messages led to (the two views agree). */
  patchesMatchMessages(): boolean {
    return this.patches.every((p) =>
      this.known.some((k) => compareProgress(k, p) === 0 && k.gold === p.gold),
    );
  }

  start(): void {
    this.done = this.fight().catch((error: unknown) => {
      if (!this.stopped) throw error;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private me() {
    const e = entities(this.room).get(this.room.sessionId);
    return e ? positionOf(this.room, e) : undefined;
  }

  /** The network key of the nearest entity that passes `filter`. */
  private nearest(filter: (e: EntityView, key: string) => boolean): string | undefined {
    const me = this.me();
    if (!me) return undefined;
    let best: string | undefined;
    let bestD = Infinity;
    for (const [key, e] of entities(this.room)) {
      if (!filter(e, key)) continue;
      const p = positionOf(this.room, e);
      const d = Math.hypot(p.x - me.x, p.y - me.y);
      if (d < bestD) [best, bestD] = [key, d];
    }
    return best;
  }

  /** A drop lying where one of this bot's kills died (only the killer may take it). */
  private myDrop(): string | undefined {
    const mine = this.room.sessionId;
    return this.nearest(
      (e, key) =>
        e.kind === Kind.Drop &&
        (this.tried.get(key) ?? 0) < 3 &&
        this.died.some((d) => d.killerId === mine && Math.hypot(d.x - e.x, d.y - e.y) < 40),
    );
  }

  private async walkTo(targetKey: string, within: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (let seq = 1; !this.stopped && Date.now() < deadline; seq++) {
      const target = entities(this.room).get(targetKey);
      const me = this.me();
      if (!target || !me) break;
      const t = positionOf(this.room, target);
      const [dx, dy] = [t.x - me.x, t.y - me.y];
      if (Math.hypot(dx, dy) <= within) {
        this.room.send("stop", { seq });
        return true;
      }
      this.room.send("move", { dx, dy, seq });
      await sleep(100);
    }
    if (!this.stopped) this.room.send("stop", { seq: 0 });
    return false;
  }

  private async fight(): Promise<void> {
    while (!this.stopped) {
      const drop = this.myDrop();
      if (drop) {
        this.tried.set(drop, (this.tried.get(drop) ?? 0) + 1);
        if (await this.walkTo(drop, 48, 3000)) {
          this.room.send("pickup", { dropId: drop });
          await sleep(150);
        }
        continue;
      }
      const slime = this.nearest(
        (e, key) =>
          e.kind === Kind.Mob &&
          e.templateId === "slime" &&
          (e.hpRatio ?? 0) > 0 &&
          !this.claimed.has(key),
      );
      if (!slime) {
        await sleep(100);
        continue;
      }
      this.claimed.add(slime);
      try {
        if (!(await this.walkTo(slime, 36, 4000))) continue;
        const diedBefore = this.died.length;
        this.room.send("attack", { targetId: slime });
        const deadline = Date.now() + 4000;
        while (!this.stopped && Date.now() < deadline) {
          if (this.died.slice(diedBefore).some((d) => d.id === slime)) break;
          const target = entities(this.room).get(slime);
          const me = this.me();
          if (!target || !me) break;
          const t = positionOf(this.room, target);
          // A hit slime fights back and may step away: stay on it.
          if (Math.hypot(t.x - me.x, t.y - me.y) > 40) {
            await this.walkTo(slime, 36, 1000);
            this.room.send("attack", { targetId: slime });
          }
          await sleep(50);
        }
      } finally {
        this.claimed.delete(slime);
      }
      // The dead slime leaves the view with the next patch: let it arrive before choosing again.
      await sleep(60);
    }
  }
}

type Saved = Progress & { items: Items; slots: { slot: number; itemId: string; qty: number }[] };

/** When the next gain (xp, gold or loot) reaches any of the clients. */
async function nextGain(bots: Bot[], ms: number): Promise<number> {
  const seen = bots.map((b) => b.known.length);
  const deadline = Date.now() + ms;
  for (;;) {
    const bot = bots.findIndex((b, i) => b.known.length > seen[i]!);
    if (bot >= 0) return bots[bot]!.known[seen[bot]!]!.t;
    if (Date.now() > deadline) throw new Error(`nobody earned anything for ${ms} ms`);
    await sleep(5);
  }
}

/**
 * Reads every character's saved record over and over while the bots fight, and keeps how long
 * before a read a client had already seen something that read lacked (the save lag clients see).
 */
function watchSaves(saved: (characterId: string) => Promise<Saved>, bots: Bot[]) {
  let watching = true;
  let maxMs = 0;
  let reads = 0;
  const done = (async () => {
    while (watching) {
      // Taken before reading: the rows read are at least this new.
      const readAt = Date.now();
      for (const bot of bots) {
        const since = bot.unsavedSince(await saved(bot.player.characterId));
        if (since !== undefined) maxMs = Math.max(maxMs, readAt - since);
      }
      reads += 1;
      await sleep(50);
    }
  })();
  return {
    async stop() {
      watching = false;
      await done;
      return { maxMs, reads };
    },
  };
}

describe("hardening: crash safety", function () {
  this.timeout(120_000);
  let data: GameData;
  let useRedis = false;

  before(async function () {
    if (!(await serviceAvailable("postgres"))) this.skip();
    useRedis = await serviceAvailable("redis");
    data = await loadGameData();
  });

  /** One world on a fresh schema: start, restart on the same database, read what was saved. */
  async function world() {
    const schema = `crash_${randomBytes(5).toString("hex")}`;
    const redis = useRedis ? await freshRedisUrl() : undefined;
    const db = new pg.Client({ connectionString: SERVICE_URLS.postgres });
    await db.connect();
    const servers: ServerProcess[] = [];
    const start = async () => {
      const port = await freePort();
      const server = await startServerProcess({
        PORT: String(port),
        DATA_DIR: ":memory:",
        DATABASE_URL: `${SERVICE_URLS.postgres}?schema=${schema}`,
        ...(redis ? { REDIS_URL: redis.url, PUBLIC_ADDRESS: `127.0.0.1:${port}` } : {}),
        JWT_SECRET,
        CHARACTER_LOCK_TTL_SEC: String(LOCK_TTL_SEC),
        LOG_LEVEL: "warn",
      });
      servers.push(server);
      return server;
    };
    const saved = async (characterId: string): Promise<Saved> => {
      const row = await db.query<{ level: number; xp: string; gold: string }>(
        `SELECT level, xp, gold FROM "${schema}".characters WHERE id = $1`,
        [characterId],
      );
      const bag = await db.query<{ slot: number; item_id: string; quantity: number }>(
        `SELECT slot, item_id, quantity FROM "${schema}".inventory_items WHERE character_id = $1`,
        [characterId],
      );
      const items: Items = new Map();
      for (const r of bag.rows) items.set(r.item_id, (items.get(r.item_id) ?? 0) + r.quantity);
      const c = row.rows[0]!;
      return {
        level: c.level,
        xp: Number(c.xp),
        gold: Number(c.gold),
        items,
        slots: bag.rows.map((r) => ({ slot: r.slot, itemId: r.item_id, qty: r.quantity })),
      };
    };
    return {
      schema,
      db,
      start,
      saved,
      async close() {
        for (const s of servers) {
          if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
          s.child.kill("SIGTERM");
          await Promise.race([s.exited, sleep(10_000)]);
          s.child.kill("SIGKILL");
        }
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
        await db.end();
        await redis?.flush().catch(() => undefined);
      },
    };
  }

  /** Creates the characters in the field at a slime meadow, joins them and starts them fighting. */
  async function fighters(w: Awaited<ReturnType<typeof world>>, server: ServerProcess) {
    const claimed = new Set<string>();
    const bots: Bot[] = [];
    for (let i = 0; i < BOTS; i++) {
      const player = await newPlayer(server.url, "warrior");
      const meadow = MEADOWS[i % MEADOWS.length]!;
      // Every other bot is 30 xp short of a level, so level-ups happen around the kill too.
      const xp = i % 2 === 0 ? xpForLevel(LEVEL, data.content.leveling) - 30 : 0;
      await w.db.query(
        `UPDATE "${w.schema}".characters SET zone = 'field', x = $2, y = $3, level = $4, xp = $5, hp = 100000, mp = 100000 WHERE id = $1`,
        [player.characterId, meadow.x + (i - 2) * 20, meadow.y, LEVEL, xp],
      );
      const before = await w.saved(player.characterId);
      const { room } = await enterWorld(server.url, player);
      room.reconnection.enabled = false;
      await waitFor(room, () => entities(room).has(room.sessionId), 5000, "own entity");
      bots.push(new Bot(`bot${i}`, player, room, before, data.content.leveling, claimed));
    }
    for (const bot of bots) bot.start();
    return bots;
  }

  /** Joins again after the restart, retrying while the old process's lock is still held. */
  async function rejoin(url: string, bot: Bot, deadlineMs: number) {
    const tries: number[] = [];
    for (;;) {
      const res = await fetch(`${url}/v1/world/join`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${bot.player.token}`,
        },
        body: JSON.stringify({ characterId: bot.player.characterId }),
      });
      tries.push(res.status);
      if (res.status === 200) {
        const { reservation } = (await res.json()) as { reservation: never };
        const room = await new Client(url).consumeSeatReservation(reservation);
        selfOf(room);
        return { room, tries };
      }
      assert.ok([409, 503].includes(res.status), `retryable refusal, got ${res.status}`);
      assert.ok(Date.now() < deadlineMs, `still refused: ${tries.join(",")}`);
      await sleep(200);
    }
  }

  /** What the server shows the character on joining must be what was saved. */
  async function assertRejoinShows(room: Room, bot: Bot, saved: Saved) {
    const key = room.sessionId;
    const self = selfOf(room);
    await waitFor(room, () => entities(room).has(key) && self.received, 5000, "own entity");
    const me = entities(room).get(key)!;
    assert.deepEqual(
      { level: me.level, xp: self.xp, gold: self.gold },
      { level: saved.level, xp: saved.xp, gold: saved.gold },
      `${bot.name} rejoined with its saved progression`,
    );
    await Promise.race([room.leave(true), sleep(2000)]);
  }

  /** Items: every slot one stack within its maximum, and nothing equipped (none was). */
  async function assertWellFormed(w: Awaited<ReturnType<typeof world>>, bot: Bot, s: Saved) {
    for (const { itemId, qty } of s.slots) {
      const max = data.content.items.get(itemId)?.maxStack ?? 1;
      assert.ok(qty >= 1 && qty <= max, `${bot.name}: ${qty} ${itemId} in one slot (max ${max})`);
    }
    const worn = await w.db.query(
      `SELECT count(*)::int AS n FROM "${w.schema}".equipped_items WHERE character_id = $1`,
      [bot.player.characterId],
    );
    assert.equal(worn.rows[0].n, 0, `${bot.name}: nothing was equipped`);
  }

  /** The restarted server's API reports what the database holds (no stale cache). */
  async function assertApiAgrees(url: string, bot: Bot, s: Saved) {
    const get = async (path: string) => {
      const res = await fetch(`${url}/v1/characters/${bot.player.characterId}${path}`, {
        headers: { authorization: `Bearer ${bot.player.token}` },
      });
      assert.equal(res.status, 200, `GET ${path}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const character = await get("");
    assert.deepEqual(
      { level: character.level, xp: character.xp, gold: character.gold },
      { level: s.level, xp: s.xp, gold: s.gold },
      `${bot.name}: GET /v1/characters/:id`,
    );
    const bag = (await get("/inventory")) as {
      items: { slot: number; itemId: string; quantity: number }[];
    };
    assert.deepEqual(
      bag.items.map((i) => ({ slot: i.slot, itemId: i.itemId, qty: i.quantity })),
      [...s.slots].sort((a, b) => a.slot - b.slot),
      `${bot.name}: GET /v1/characters/:id/inventory`,
    );
  }

  /** Whether the saved record is exactly the client's state after some message (no torn write). */
  const matchesSomeMoment = (bot: Bot, s: Saved) =>
    bot.known.some(
      (k) => compareProgress(k, s) === 0 && k.gold === s.gold && sameItems(k.items, s.items),
    );

  it("keeps every character within 1 s of what its client saw across kill -9, and lets it back in", async () => {
    const w = await world();
    let bots: Bot[] = [];
    try {
      const first = await w.start();
      bots = await fighters(w, first);
      const fightStart = Date.now();
      const watcher = watchSaves(w.saved, bots);
      await sleep(FIGHT_MS);
      // Kill just over 1 s after a client saw a gain: that gain must be in the database by then.
      const earned = await nextGain(bots, 8000);
      await sleep(earned + MAX_BEHIND_MS + 20 - Date.now());
      const watched = await watcher.stop();
      const killedAt = Date.now();
      first.child.kill("SIGKILL");
      await first.exited;
      await Promise.all(bots.map((b) => b.stop()));
      const fightMs = killedAt - fightStart;

      const second = await w.start();
      const restartedMs = Date.now() - killedAt;
      const figures: string[] = [];
      let behindMsMax = 0;
      let behindXpMax = 0;
      let itemsLost = 0;
      let itemsInvented = 0;
      for (const bot of bots) {
        const s = await w.saved(bot.player.characterId);
        const floor = bot.knownAt(killedAt - MAX_BEHIND_MS);
        const last = bot.last;
        const unsaved = bot.unsavedSince(s);
        const behindMs = unsaved === undefined ? 0 : killedAt - unsaved;
        const total = (p: Progress) => totalXpForLevel(p.level, data.content.leveling) + p.xp;
        const behindXp = total(last) - total(s);
        behindMsMax = Math.max(behindMsMax, behindMs);
        behindXpMax = Math.max(behindXpMax, behindXp);
        for (const [id, n] of floor.items) itemsLost += Math.max(0, n - (s.items.get(id) ?? 0));
        for (const [id, n] of s.items) itemsInvented += Math.max(0, n - (last.items.get(id) ?? 0));
        figures.push(`${behindMs}ms/${behindXp}xp`);

        const context = `${bot.name} saved ${show(s)}, saw 1 s before ${show(floor)}, last ${show(last)}`;
        assert.ok(atLeast(s, floor), `progression lost: ${context}`);
        assert.ok(atLeast(last, s), `progression the client never saw: ${context}`);
        assert.ok(itemsAtLeast(s.items, floor.items), `items lost: ${context}`);
        assert.ok(itemsAtLeast(last.items, s.items), `items the client never saw: ${context}`);
        assert.ok(matchesSomeMoment(bot, s), `not one moment of the character: ${context}`);
        assert.ok(bot.patchesMatchMessages(), `${bot.name}: own entity and messages disagree`);
        await assertWellFormed(w, bot, s);
        await assertApiAgrees(second.url, bot, s);
      }
      const gained = bots.filter((b) => b.known.length > 1).length;
      assert.ok(gained >= BOTS - 1, `bots that earned anything: ${gained}/${BOTS}`);
      assert.ok(watched.reads >= 20, `saves read ${watched.reads} times while fighting`);
      assert.ok(
        watched.maxMs <= MAX_BEHIND_MS,
        `while fighting, the database was ${watched.maxMs} ms behind what a client saw`,
      );
      assert.ok(
        bots.some((b) => b.loots > 0),
        "some loot was picked up",
      );
      assert.equal(itemsLost, 0);
      assert.equal(itemsInvented, 0);

      // Back in: each character joins again once its lock (if on Redis) has expired.
      const rejoinDeadline = killedAt + (LOCK_TTL_SEC + 20) * 1000;
      let backMsMax = 0;
      for (const bot of bots) {
        const { room } = await rejoin(second.url, bot, rejoinDeadline);
        backMsMax = Math.max(backMsMax, Date.now() - killedAt);
        await assertRejoinShows(room, bot, await w.saved(bot.player.characterId));
      }
      const kills = bots.reduce((n, b) => n + b.kills, 0);
      const loots = bots.reduce((n, b) => n + b.loots, 0);
      process.stdout.write(
        `      crash: SIGKILL after ${fightMs} ms of fighting (${kills} kills, ${loots} pickups, ${BOTS} characters${useRedis ? ", Redis presence" : ""}): database at most ${watched.maxMs} ms behind the clients while fighting (${watched.reads} reads); at the kill, saved progression ${behindMsMax} ms / ${behindXpMax} xp behind at most [${figures.join(" ")}], ${itemsLost} items lost, ${itemsInvented} invented; restarted in ${restartedMs} ms, all back in the world ${backMsMax} ms after the kill\n`,
      );
    } finally {
      await Promise.all(bots.map((b) => b.stop()));
      await w.close();
    }
  });

  it("saves exactly what every client saw when the process gets SIGTERM", async () => {
    const w = await world();
    let bots: Bot[] = [];
    try {
      const first = await w.start();
      bots = await fighters(w, first);
      const fightStart = Date.now();
      const watcher = watchSaves(w.saved, bots);
      await sleep(FIGHT_MS);
      const watched = await watcher.stop();
      // Right after a gain: it is still in no save queue, only the shutdown path can keep it.
      await nextGain(bots, 8000);
      const stoppedAt = Date.now();
      first.child.kill("SIGTERM");
      assert.equal(await first.exited, 0, "graceful shutdown exits 0");
      const shutdownMs = Date.now() - stoppedAt;
      const fightMs = stoppedAt - fightStart;
      await Promise.all(bots.map((b) => b.stop()));

      const second = await w.start();
      let kills = 0;
      for (const bot of bots) {
        kills += bot.kills;
        const s = await w.saved(bot.player.characterId);
        const last = bot.last;
        const context = `${bot.name} saved ${show(s)}, last seen ${show(last)}`;
        assert.deepEqual(
          { level: s.level, xp: s.xp, gold: s.gold },
          { level: last.level, xp: last.xp, gold: last.gold },
          `progression: ${context}`,
        );
        assert.ok(sameItems(s.items, last.items), `items: ${context}`);
        assert.ok(bot.patchesMatchMessages(), `${bot.name}: own entity and messages disagree`);
        await assertWellFormed(w, bot, s);
        await assertApiAgrees(second.url, bot, s);
      }
      const gained = bots.filter((b) => b.known.length > 1).length;
      assert.ok(gained >= BOTS - 1, `bots that earned anything: ${gained}/${BOTS}`);
      assert.ok(
        watched.maxMs <= MAX_BEHIND_MS,
        `while fighting, the database was ${watched.maxMs} ms behind what a client saw`,
      );
      // The locks were released on the way down: joining again is not refused even once.
      for (const bot of bots.slice(0, 2)) {
        const { room, tries } = await rejoin(second.url, bot, Date.now());
        assert.deepEqual(tries, [200]);
        await assertRejoinShows(room, bot, await w.saved(bot.player.characterId));
      }
      const loots = bots.reduce((n, b) => n + b.loots, 0);
      process.stdout.write(
        `      crash: SIGTERM after ${fightMs} ms of fighting (${kills} kills, ${loots} pickups): database at most ${watched.maxMs} ms behind the clients while fighting (${watched.reads} reads); every character saved exactly as last seen, shutdown took ${shutdownMs} ms\n`,
      );
    } finally {
      await Promise.all(bots.map((b) => b.stop()));
      await w.close();
    }
  });
});
