/** The party frame's content without the DOM: one row per member and what one may do. */
import type { PartyView } from "./social-messages.ts";

export type PartyRow = {
  name: string;
  level: number;
  /** Width of the hp bar, 0..100. */
  hpPercent: number;
  /** Zone id shown under the name ("" before the member reported one). */
  zone: string;
  online: boolean;
  leader: boolean;
  /** This row is oneself. */
  self: boolean;
  /** One leads and this is someone else: kick and promote apply. */
  manageable: boolean;
};

export type PartyFrameModel = { id: string; rows: PartyRow[]; leading: boolean };

/** hpRatio is a fraction 0..1 on the party wire; anything else is clamped. */
export function hpPercent(hpRatio: number): number {
  if (!Number.isFinite(hpRatio)) return 0;
  return Math.round(Math.max(0, Math.min(1, hpRatio)) * 100);
}

/** Rows in the server's order (join order); null when one is in no party. */
export function partyFrameModel(view: PartyView | null, ownName: string): PartyFrameModel | null {
  if (!view || view.members.length === 0) return null;
  const leading = view.leader === ownName;
  return {
    id: view.id,
    leading,
    rows: view.members.map((m) => ({
      name: m.name,
      level: m.level,
      hpPercent: hpPercent(m.hpRatio),
      zone: m.zone,
      online: m.online,
      leader: m.name === view.leader,
      self: m.name === ownName,
      manageable: leading && m.name !== ownName,
    })),
  };
}

/** A zone id as a label: `dark_forest` → `Dark forest`. */
export function zoneLabel(zone: string): string {
  const words = zone.replace(/[_-]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "";
}
