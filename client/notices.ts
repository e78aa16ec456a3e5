/**
 * Server → client event messages (damage, deaths, loot, xp, quests, casts, refusals) turned into
 * log lines, floating text and panel refreshes. Nothing here changes game state: the replicated
 * state does that.
 *
 * Notices sent to everyone nearby name entities by their network key (their key in the state's
 * entity map; one's own is the room's session id, `me`), and "" for an entity already gone.
 * Notices sent only to one's own character (looted, xpGained, refused, quests...) carry its
 * character id instead, and need no check: they are always about oneself.
 */
import { AreaNotice, ServerMessage } from "../clients/js/message-names.ts";
import type { On } from "../clients/js/notice-routing.ts";
import type { DamagedNotice } from "../clients/js/server-messages.ts";
import { itemName, questName, skillName } from "./content.ts";
import type { Point } from "../clients/js/dead-reckoning.ts";
import type { FloatKind, SessionListener } from "./session.ts";

export type NoticeContext = {
  /** One's own entity's network key: the room's session id (it changes with the room). */
  me: string;
  listener: SessionListener;
  /** What to call the entity keyed `key` (players and NPCs by name, mobs and drops by template). */
  nameOf(key: string): string;
  /** Where one's own character is now, if it is in the world. */
  own(): Point | undefined;
  /** The server could not hand the character to the next zone: it stays here. */
  transferRefused(): void;
};

const REFUSALS: Record<string, string> = {
  tooFar: "too far away",
  TOO_FAR: "too far away",
  OUT_OF_RANGE: "out of range",
  noTarget: "no such target",
  NO_TARGET: "no target",
  notAttackable: "that cannot be attacked",
  notYours: "that loot belongs to someone else",
  dead: "you are dead",
  DEAD: "you are dead",
  evading: "the target is evading",
  unknownPortal: "no such portal",
  badDirection: "invalid direction",
  transferFailed: "the way is closed right now",
  inventoryFull: "your bags are full",
  INVENTORY_FULL: "your bags are full",
  NOT_ENOUGH_MP: "not enough mana",
  ALREADY_CASTING: "already casting",
  WRONG_JOB: "not a skill of your path",
  LEVEL_TOO_LOW: "your level is too low",
  QUEST_LOG_FULL: "your quest log is full",
  ALREADY_ACTIVE: "you already have that quest",
  ALREADY_COMPLETED: "you already finished that quest",
  NOT_READY: "the quest is not finished yet",
  PREREQUISITES_NOT_MET: "you are not ready for that quest",
};

/** A refusal reason as a sentence fragment. */
function describeRefusal(reason: string, remainingMs?: number): string {
  if (reason === "ON_COOLDOWN" && remainingMs !== undefined) {
    return `ready in ${(remainingMs / 1000).toFixed(1)} s`;
  }
  return REFUSALS[reason] ?? reason.toLowerCase().replace(/_/g, " ");
}

/** Registers a handler for every event message this client shows. */
export function listenForNotices(on: On, ctx: NoticeContext): void {
  const { me, listener, nameOf } = ctx;
  on(AreaNotice.damaged, (m) => onDamaged(m, ctx));
  on(AreaNotice.missed, (m) => {
    if (m.targetId === me || m.sourceId === me) {
      listener.floatText(m.x, m.y, "miss", "miss");
    }
  });
  on(AreaNotice.died, (m) => {
    if (m.id === me) listener.log("combat", "You died. You will rise again.");
    else if (m.killerId === me) listener.log("combat", `You defeated ${nameOf(m.id)}.`);
  });
  on(AreaNotice.leveledUp, (m) => {
    if (m.entityId === me) listener.log("level", `Level up! You are now level ${m.level}.`);
    else listener.log("level", `${nameOf(m.entityId)} reached level ${m.level}.`);
  });
  on(ServerMessage.looted, (m) => {
    const count = m.quantity > 1 ? ` ×${m.quantity}` : "";
    listener.log("loot", `You picked up ${itemName(m.itemId)}${count}.`);
    listener.progressChanged();
  });
  on(ServerMessage.xpGained, (m) => {
    listener.log("level", `+${m.amount} XP`);
    const self = ctx.own();
    if (self) listener.floatText(self.x, self.y - 24, `+${m.amount} XP`, "xp");
  });
  on(ServerMessage.goldGained, (m) => listener.log("loot", `+${m.amount} gold`));
  on(ServerMessage.questUpdated, (m) => {
    listener.log("info", `Quest "${questName(m.questId)}": ${m.status}.`);
    listener.progressChanged();
  });
  on(ServerMessage.refused, (m) => {
    const handOver = m.action === "portal" || m.action === "switchChannel";
    if (handOver && m.reason === "transferFailed") ctx.transferRefused();
    const what = m.action.replace(/([A-Z])/g, " $1").toLowerCase();
    listener.log("error", `Cannot ${what}: ${describeRefusal(m.reason, m.remainingMs)}.`);
  });
  listenForSkillEvents(on, ctx);
  on(ServerMessage.npc, (m) => listener.npcMenu(m));
  on(ServerMessage.questAccepted, (m) => {
    listener.log("info", `Quest accepted: "${questName(m.questId)}".`);
    listener.progressChanged();
  });
  on(ServerMessage.questTurnedIn, (m) => {
    const items = m.items.map((i) => `${itemName(i.itemId)} ×${i.qty}`);
    const rewards = [`${m.xp} XP`, `${m.gold} gold`, ...items].join(", ");
    listener.log("level", `Quest complete: "${questName(m.questId)}" (${rewards}).`);
    listener.progressChanged();
  });
  on(ServerMessage.itemUsed, (m) => {
    const restored = [m.hp ? `+${m.hp} HP` : "", m.mp ? `+${m.mp} MP` : ""].filter(Boolean);
    listener.log("loot", `You use ${itemName(m.itemId)}. ${restored.join(" ")}`.trim());
    listener.progressChanged();
  });
  on(ServerMessage.error, (m) => listener.log("error", `${m.code}: ${m.message}`));
}

/** Casts, heals and effects: floating text near the action, log lines for one's own. */
function listenForSkillEvents(on: On, ctx: NoticeContext): void {
  const { me, listener, nameOf } = ctx;
  on(AreaNotice.castStarted, (m) => {
    if (m.casterId === me) {
      const seconds = (m.castTimeMs / 1000).toFixed(1);
      listener.log("combat", `Casting ${skillName(m.skillId)} (${seconds} s)…`);
    }
  });
  on(AreaNotice.casted, (m) => {
    listener.floatText(m.x, m.y - 16, skillName(m.skillId), "skill");
  });
  on(AreaNotice.castCancelled, (m) => {
    if (m.casterId === me) {
      const why = m.reason === "MOVED" ? "you moved" : describeRefusal(m.reason);
      listener.log("error", `${skillName(m.skillId)} interrupted: ${why}.`);
    }
  });
  on(AreaNotice.healed, (m) => {
    listener.floatText(m.x, m.y, `+${m.amount}`, "heal");
    if (m.targetId === me) listener.log("combat", `You are healed for ${m.amount}.`);
  });
  on(AreaNotice.effectApplied, (m) => {
    if (m.targetId !== me && m.sourceId !== me) return;
    const who = m.targetId === me ? "you" : nameOf(m.targetId);
    const seconds = Math.round(m.durationMs / 1000);
    listener.log("combat", `${skillName(m.effectId)} on ${who} (${seconds} s).`);
  });
  on(AreaNotice.effectExpired, (m) => {
    if (m.targetId === me) listener.log("info", `${skillName(m.effectId)} wore off.`);
  });
}

function onDamaged(m: DamagedNotice, ctx: NoticeContext): void {
  const { me, listener, nameOf } = ctx;
  const mine = m.sourceId === me;
  const onMe = m.targetId === me;
  const kind: FloatKind = onMe ? "hurt" : m.crit ? "crit" : "hit";
  listener.floatText(m.x, m.y, m.crit ? `${m.amount}!` : `${m.amount}`, kind);
  if (onMe) {
    listener.log("combat", `${nameOf(m.sourceId)} hits you for ${m.amount}.`);
  } else if (mine) {
    const crit = m.crit ? " Critical!" : "";
    listener.log("combat", `You hit ${nameOf(m.targetId)} for ${m.amount}.${crit}`);
  }
}
