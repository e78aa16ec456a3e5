/**
 * Quest givers in a zone: which NPC offers and takes back which quest, and the interact / accept /
 * turn-in actions over the pure quest rules.
 *
 * An NPC gives the quests whose `giver` is its id, and takes back those plus any quest with a
 * visit objective at its position (you report to the scout you were sent to). Quests without a
 * giver need no NPC. Accepting needs the giver within NPC_RANGE; turning in, any NPC that takes
 * the quest back.
 */
import type { GameData } from "../content/load-game-data.ts";
import type { Quest } from "../game/content/quests.ts";
import {
  acceptQuest,
  checkAccept,
  QuestStatus,
  type QuestProgress,
} from "../game/quests/quest-log.ts";
import { turnInQuest } from "../game/quests/turn-in.ts";
import type { NpcEntity, World } from "../game/world/world-types.ts";
import type { ZoneContent } from "../game/world/zone-content.ts";
import type { NpcQuest, SimNotice, SimPlayer } from "./sim-types.ts";

/** How close (units) a player must stand to talk to an NPC. */
export const NPC_RANGE = 96;

/** Quest ids an NPC gives and takes back, in content order. */
export type NpcQuests = { gives: readonly string[]; takes: readonly string[] };

/** Which quests each NPC of `zone` gives and takes back. */
export function indexQuestGivers(
  zone: ZoneContent,
  quests: ReadonlyMap<string, Quest>,
): Map<string, NpcQuests> {
  const index = new Map<string, NpcQuests>();
  for (const npc of zone.npcs) {
    const gives: string[] = [];
    const takes: string[] = [];
    for (const q of quests.values()) {
      const visitsHere = q.objectives.some(
        (o) =>
          o.type === "visit" &&
          o.zone === zone.id &&
          (o.x - npc.x) ** 2 + (o.y - npc.y) ** 2 <= o.radius ** 2,
      );
      if (q.giver === npc.id) gives.push(q.id);
      if (q.giver === npc.id || visitsHere) takes.push(q.id);
    }
    index.set(npc.id, { gives, takes });
  }
  return index;
}

/** What quest actions need from the simulation. */
export type QuestDeskHost = {
  readonly world: World;
  readonly data: GameData;
  grantXp(player: SimPlayer, amount: number, notices: SimNotice[]): void;
  /** Recount collect and visit objectives after the inventory or quest log changed. */
  recountQuests(player: SimPlayer, notices: SimNotice[]): void;
};

/** interact, acceptQuest and turnInQuest for one zone. */
export class QuestDesk {
  private readonly host: QuestDeskHost;
  private readonly index: Map<string, NpcQuests>;

  constructor(host: QuestDeskHost, zone: ZoneContent) {
    this.host = host;
    this.index = indexQuestGivers(zone, host.data.content.quests);
  }

  /** Answers with the NPC's quests for this player: available, active or ready to turn in. */
  interact(p: SimPlayer, npcId: string, notices: SimNotice[]): void {
    const npc = this.npcNear(p, npcId, "interact", notices);
    if (!npc) return;
    const { content } = this.host.data;
    const mine = this.index.get(npc.id) ?? { gives: [], takes: [] };
    const log = p.record.quests;
    const quests: NpcQuest[] = [];
    for (const id of new Set([...mine.gives, ...mine.takes])) {
      const quest = content.quests.get(id);
      if (!quest) continue;
      const entry = log.active.find((q) => q.questId === id);
      const status = entry
        ? entry.status === QuestStatus.READY && mine.takes.includes(id)
          ? "ready"
          : "active"
        : mine.gives.includes(id) &&
            checkAccept(log, id, p.record.character.level, content) === null
          ? "available"
          : null;
      if (status) quests.push({ id, name: quest.name, status });
    }
    notices.push({
      type: "npc",
      characterId: p.entity.id,
      npcId: npc.id,
      name: npc.name,
      quests,
    });
  }

  /** Accepts a quest from its giver (standing near it). */
  accept(p: SimPlayer, questId: string, notices: SimNotice[]): void {
    const { content } = this.host.data;
    const quest = content.quests.get(questId);
    const refuse = refuser(p, "acceptQuest", notices);
    if (!quest) return refuse("UNKNOWN_QUEST");
    if (quest.giver !== undefined && !this.npcNear(p, quest.giver, "acceptQuest", notices)) return;
    const c = p.record.character;
    const accepted = acceptQuest(
      p.record.quests,
      questId,
      { level: c.level, inventory: p.record.inventory },
      content,
    );
    if (!accepted.ok) return refuse(accepted.code);
    p.record.quests = accepted.log;
    p.dirty = true;
    this.host.recountQuests(p, notices);
    const now = p.record.quests.active.find((q) => q.questId === questId) as QuestProgress;
    notices.push({ type: "questAccepted", characterId: c.id, questId, status: now.status });
  }

  /** Turns in a ready quest near an NPC that takes it: items, gold and xp, all or nothing. */
  turnIn(p: SimPlayer, questId: string, notices: SimNotice[]): void {
    const { content } = this.host.data;
    const quest = content.quests.get(questId);
    const refuse = refuser(p, "turnInQuest", notices);
    if (!quest) return refuse("UNKNOWN_QUEST");
    if (quest.giver !== undefined && !this.takerNear(p, questId)) return refuse("TOO_FAR");
    const result = turnInQuest(p.record.quests, questId, p.record.inventory, content);
    if (!result.ok) return refuse(result.code);
    const c = p.record.character;
    p.record.quests = result.log;
    p.record.inventory = result.inventory;
    p.dirty = true;
    notices.push({
      type: "questTurnedIn",
      characterId: c.id,
      questId,
      xp: result.xp,
      gold: result.gold,
      items: result.items,
    });
    if (result.gold > 0) {
      c.gold += result.gold;
      p.entity.gold = c.gold;
      notices.push({ type: "goldGained", characterId: c.id, amount: result.gold });
    }
    if (result.xp > 0) this.host.grantXp(p, result.xp, notices);
    this.host.recountQuests(p, notices);
  }

  /** The NPC when it is in this zone and within reach; refuses otherwise. */
  private npcNear(
    p: SimPlayer,
    npcId: string,
    action: string,
    notices: SimNotice[],
  ): NpcEntity | undefined {
    const npc = this.host.world.npcs.find((n) => n.id === npcId);
    const refuse = refuser(p, action, notices);
    if (!npc) return void refuse(action === "interact" ? "UNKNOWN_NPC" : "TOO_FAR");
    if (p.entity.dead) return void refuse("DEAD");
    if (Math.hypot(npc.x - p.entity.x, npc.y - p.entity.y) > NPC_RANGE) {
      return void refuse("TOO_FAR");
    }
    return npc;
  }

  private takerNear(p: SimPlayer, questId: string): boolean {
    if (p.entity.dead) return false;
    return this.host.world.npcs.some(
      (n) =>
        this.index.get(n.id)?.takes.includes(questId) === true &&
        Math.hypot(n.x - p.entity.x, n.y - p.entity.y) <= NPC_RANGE,
    );
  }
}

function refuser(p: SimPlayer, action: string, notices: SimNotice[]) {
  return (reason: string) =>
    void notices.push({ type: "refused", characterId: p.entity.id, action, reason });
}
