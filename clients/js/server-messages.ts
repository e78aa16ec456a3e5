/**
 * What a room sends a client, by message type (see the README's protocol sections). Entities in
 * area notices are named by their network key (their key in `state.entities`; "" for one already
 * gone); messages to one's own character carry its character id. Relayed social messages carry a
 * unique `id` (a copy heard twice around a portal is dropped by the server). The server builds
 * these in src/zone (notices), src/social, src/economy, src/arena and src/world-events; the type
 * tests in test/clients/ hold the two sides together.
 */
import type { ChatChannel } from "../../src/game/social/chat-rules.ts";
import type { ArenaMode } from "../../src/game/arena/match-rules.ts";
import type { AreaNoticeType, Assert, SameKeys, ServerMessageType } from "./message-names.ts";
import type { SelfPayload } from "./self-state.ts";

/** A code of the server's error catalogue (src/errors.ts) and a message safe to show. */
export type Refusal = { code: string; message: string };

export type ItemStack = { itemId: string; qty: number };
export type SlotStack = { slot: number; itemId: string; qty: number };

export type DamagedNotice = {
  targetId: string;
  sourceId: string;
  amount: number;
  crit: boolean;
  x: number;
  y: number;
};
export type MissedNotice = { targetId: string; sourceId: string; x: number; y: number };
/** `killerId` is null when nobody (or nothing still in view) dealt the blow. */
export type DiedNotice = { id: string; killerId: string | null; x: number; y: number };
export type HealedNotice = DamagedNotice;
export type CastStartedNotice = {
  casterId: string;
  skillId: string;
  targetId: string | null;
  x: number;
  y: number;
  castTimeMs: number;
};
export type CastedNotice = {
  casterId: string;
  skillId: string;
  targetId: string | null;
  x: number;
  y: number;
};
/** `reason`: MOVED, DEAD or NO_TARGET. */
export type CastCancelledNotice = {
  casterId: string;
  skillId: string;
  reason: string;
  x: number;
  y: number;
};
export type EffectAppliedNotice = {
  targetId: string;
  sourceId: string;
  effectId: string;
  kind: "buff" | "debuff";
  durationMs: number;
  x: number;
  y: number;
};
export type EffectExpiredNotice = { targetId: string; effectId: string; x: number; y: number };
export type LeveledUpNotice = { entityId: string; level: number; previousLevel: number };

/** One area notice, unpacked from its `notices` batch: its payload plus its `type`. */
export type AreaNotices = {
  damaged: DamagedNotice;
  missed: MissedNotice;
  died: DiedNotice;
  healed: HealedNotice;
  castStarted: CastStartedNotice;
  casted: CastedNotice;
  castCancelled: CastCancelledNotice;
  effectApplied: EffectAppliedNotice;
  effectExpired: EffectExpiredNotice;
  leveledUp: LeveledUpNotice;
};
export type AreaNoticeOf<K extends AreaNoticeType> = AreaNotices[K] & { type: K };
export type AnyAreaNotice = { [K in AreaNoticeType]: AreaNoticeOf<K> }[AreaNoticeType];

export type NpcQuest = { id: string; name: string; status: "available" | "active" | "ready" };

export type ChatLine = {
  id: string;
  channel: ChatChannel;
  /** The sender's character name. */
  from: string;
  fromId: string;
  text: string;
  /** Epoch ms. */
  at: number;
  /** Whispers: the recipient's name. */
  to?: string;
};

export type PartyMember = {
  name: string;
  level: number;
  /** hp / hpMax as a fraction 0..1 (two decimals). */
  hpRatio: number;
  /** Zone id; "" before the member first reported. */
  zone: string;
  online: boolean;
};
/** `leader` is a name; members in join order. */
export type PartyView = { id: string; leader: string; members: PartyMember[] };

/** A guild change: `kind` says which of the optional fields are set. */
export type GuildChange = {
  /**
   * created, invited, declined, joined, left, kicked, rankChanged, leaderChanged or disbanded
   * (a newer server may add kinds).
   */
  kind: string;
  characterId?: string;
  name?: string;
  rank?: string;
  by?: string;
  from?: string;
  to?: string;
  toName?: string;
};

export type TradeSideView = {
  items: SlotStack[];
  gold: number;
  locked: boolean;
  confirmed: boolean;
};
/** One's own side as `you`; `state` is `locked` once both locked, `committing` once both confirmed. */
export type TradeView = {
  id: string;
  you: TradeSideView;
  them: TradeSideView;
  state: "open" | "locked" | "committing";
};

export type ArenaQueueStatus = {
  status: "idle" | "queued" | "matched";
  mode?: ArenaMode;
  /** queued: ISO time. */
  queuedAt?: string;
  waitedMs?: number;
  /** queued: the rating difference allowed now. */
  window?: number;
  matchId?: string;
  team?: number;
  /** matched: the arena seat (consume it like a zone's). */
  reservation?: unknown;
};

export type ServerPayloads = {
  /** One's own private figures that changed since the previous `self` message. */
  self: SelfPayload;
  /**
   * `entityId` is one's own key in `state.entities` (the room's session id); `channel` the zone
   * channel this room is (open-world zones only).
   */
  welcome: { characterId: string; zone: string; entityId: string; channel?: number };
  /** A portal or dungeon hand-over: consume `reservation` to join the next room, then leave this. */
  transfer: { zone: string; reservation: unknown };
  /** A room message refused (INVALID_MESSAGE, RATE_LIMITED); `type` is the message's. */
  error: Refusal & { type: string };
  /** An intent the world refused; `remainingMs` for ON_COOLDOWN and ALREADY_CASTING. */
  refused: { characterId: string; action: string; reason: string; remainingMs?: number };
  /** An operator announcement; `at` ISO time. */
  announcement: { message: string; at: string };
  /**
   * One tick's area notices, in the order they happened. On the wire each is a positional array
   * [code, field, …] (clients/js/notice-layout.ts; Unity: NoticeWire.Unpack); listenTo and
   * routeNotices hand them over unpacked, as these objects.
   */
  notices: AnyAreaNotice[];
  xpGained: { characterId: string; amount: number };
  goldGained: { characterId: string; amount: number };
  looted: { characterId: string; itemId: string; quantity: number };
  itemUsed: { characterId: string; slot: number; itemId: string; hp: number; mp: number };
  /** Equipment slot → item id (null: empty). */
  equipmentChanged: { characterId: string; equipment: Record<string, string | null> };
  questUpdated: { characterId: string; questId: string; status: string };
  questAccepted: { characterId: string; questId: string; status: string };
  questTurnedIn: {
    characterId: string;
    questId: string;
    xp: number;
    gold: number;
    items: ItemStack[];
  };
  /** An NPC's quest menu (answer to `interact`). */
  npc: { characterId: string; npcId: string; name: string; quests: NpcQuest[] };
  chat: ChatLine;
  /** MUTED carries `until` (ISO time; null: until an operator lifts it). */
  chatError: Refusal & { until?: string | null };
  /** Null once one is in no party any more. */
  party: PartyView | null;
  partyInvited: { id: string; partyId: string; from: string };
  partyError: Refusal;
  guild: { id: string; guildId: string; change: GuildChange; at: number };
  mail: { id: string; mailId: string; from: string; subject: string };
  blocksChanged: { ownerId: string };
  /** An operator muted one's account: chat is refused (MUTED) until `until` (null: until lifted). */
  muted: { reason: string; until: string | null };
  unmuted: Record<string, never>;
  tradeRequested: { from: string; tradeId: string };
  trade: TradeView;
  /** `id`: the trade, when the refusal is about one. */
  tradeError: Refusal & { id?: string };
  tradeClosed: { id: string; reason: string };
  /** `with` is the partner's character id; `gold` and `inventory` one's purse and bags now. */
  tradeCompleted: {
    id: string;
    opId: string;
    with: string;
    gold?: number;
    inventory?: SlotStack[];
  };
  arenaQueued: ArenaQueueStatus;
  /** `type` is the refused message's (arenaQueue or arenaLeave). */
  arenaRefused: Refusal & { type: string };
  /** `by` is the character id of the party mate who queued or left. */
  arenaPartyQueued: { id: string; mode: ArenaMode; by: string };
  arenaQueueLeft: { id: string; mode: ArenaMode; by: string };
  arenaQueueExpired: { id: string; mode: ArenaMode };
  arenaMatchFound: {
    id: string;
    matchId: string;
    mode: ArenaMode;
    team: number;
    reservation: unknown;
  };
  arenaJoined: { matchId: string; mode: ArenaMode; team: number; phase: string };
  arenaCountdown: { seconds: number };
  arenaStarted: { fightMs: number };
  /** `winner` is a team (null: a draw); `result` win, loss or draw (null when void). */
  arenaResult: {
    matchId: string;
    winner: number | null;
    reason: string;
    team: number;
    result: string | null;
    ratingBefore: number | null;
    ratingAfter: number | null;
  };
  /** `phase` announced, started or ended; times ISO; x and y where the boss appears. */
  worldEvent: {
    id: string;
    eventId: string;
    name: string;
    zone: string;
    phase: "announced" | "started" | "ended";
    at: string;
    x: number;
    y: number;
    text?: string;
    endsAt?: string;
    outcome?: string;
  };
  /** `share` 0..1 of everyone's contribution; `mailed`: items that came by mail. */
  worldEventReward: {
    eventId: string;
    runId: string;
    contribution: number;
    share: number;
    rank: number;
    xp: number;
    gold: number;
    items: ItemStack[];
    mailed: ItemStack[];
  };
};

/** The payload of server message `K`, or of area notice `K` (as it sits in a batch). */
export type ServerPayload<K extends ServerMessageType | AreaNoticeType> =
  K extends ServerMessageType
    ? ServerPayloads[K]
    : K extends AreaNoticeType
      ? AreaNoticeOf<K>
      : never;

/** Every server message and area notice has a payload type, and nothing else has one. */
export type _EveryServerMessage = Assert<SameKeys<keyof ServerPayloads, ServerMessageType>>;
export type _EveryAreaNotice = Assert<SameKeys<keyof AreaNotices, AreaNoticeType>>;
