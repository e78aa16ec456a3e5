/**
 * Canvas view of a zone: blocked tiles, portals and NPCs from the zone map, replicated entities
 * at their interpolated positions, hp bars, names and floating combat numbers. The camera
 * follows one's own character.
 */
import type { KindName } from "../schema/entity-kind.ts";
import type { ZoneMap } from "./api.ts";
import type { Point } from "../clients/js/dead-reckoning.ts";
import {
  entityLevel,
  entityName,
  isDead,
  kindOf,
  type EntityView,
  type FloatKind,
  type GameSession,
} from "./session.ts";

export const COLORS = {
  background: "#0b0f14",
  floor: "#1d2a21",
  grid: "#223127",
  wall: "#4a4137",
  wallTop: "#5f5447",
  portal: "#9b7bff",
  own: "#ffd34d",
  player: "#4da3ff",
  npc: "#56d39b",
  drop: "#ffe08a",
  hpBack: "#3a1114",
  hpFront: "#e5484d",
  hpOwn: "#46c46e",
  label: "#e8edf2",
  target: "#ff6b6b",
} as const;

const MOB_COLORS: Record<string, string> = {
  slime: "#5ad16b",
  wolf: "#9aa3ad",
  alpha_wolf: "#c0c8d0",
  skeleton: "#e8e2cf",
  corpse_puppet: "#a77bd6",
  bone_lord: "#d9534f",
};

const FLOAT_COLORS: Record<FloatKind, string> = {
  hit: "#ffffff",
  crit: "#ffb84d",
  hurt: "#ff5c5c",
  miss: "#9aa3ad",
  heal: "#5ee68a",
  xp: "#c9a7ff",
  skill: "#8fd3ff",
};

/** Radius of an entity's disc in world units (also its click target, slightly enlarged). */
const RADIUS: Record<KindName, number> = { player: 12, mob: 13, drop: 7, npc: 12 };
const FLOAT_LIFE_MS = 1100;
const PICK_SLACK = 8;

type Floater = { x: number; y: number; text: string; kind: FloatKind; born: number };
/** An entity drawn this frame, by its key in the state (`id`). */
type Drawn = { id: string; kind: KindName; x: number; y: number; r: number };

/** What the input layer wants highlighted this frame. */
export type Overlay = { hoverId: string | null; targetId: string | null; moveTo: Point | null };

export class Renderer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private floaters: Floater[] = [];
  private drawn: Drawn[] = [];
  private camX = 0;
  private camY = 0;
  private width = 0;
  private height = 0;
  private readonly scratch: Point = { x: 0, y: 0 };

  constructor(canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("2D canvas is not available");
    this.canvas = canvas;
    this.ctx = ctx;
  }

  /** Matches the backing store to the element's CSS size and the device pixel ratio. */
  resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(1, Math.round(rect.width));
    this.height = Math.max(1, Math.round(rect.height));
    const w = Math.round(this.width * dpr);
    const h = Math.round(this.height * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  floatText(x: number, y: number, text: string, kind: FloatKind): void {
    this.floaters.push({ x, y, text, kind, born: performance.now() });
    if (this.floaters.length > 64) this.floaters.shift();
  }

  clearEffects(): void {
    this.floaters = [];
    this.drawn = [];
  }

  /** World coordinates of a point given in CSS pixels relative to the canvas. */
  toWorld(px: number, py: number): Point {
    return { x: px - this.width / 2 + this.camX, y: py - this.height / 2 + this.camY };
  }

  /** The key of the entity drawn under a world point in the last frame (nearest wins). */
  pick(world: Point): { id: string; kind: KindName } | null {
    let best: Drawn | null = null;
    let bestDist = Infinity;
    for (const d of this.drawn) {
      const dist = Math.hypot(d.x - world.x, d.y - world.y);
      if (dist <= d.r + PICK_SLACK && dist < bestDist) {
        best = d;
        bestDist = dist;
      }
    }
    return best ? { id: best.id, kind: best.kind } : null;
  }

  draw(session: GameSession | null, now: number, overlay: Overlay): void {
    const ctx = this.ctx;
    ctx.fillStyle = COLORS.background;
    ctx.fillRect(0, 0, this.width, this.height);
    if (!session) return;
    const map = session.map;
    const own = session.own();
    if (own) {
      const p = session.positionOf(session.entityId, own, now, this.scratch);
      this.camX = p.x;
      this.camY = p.y;
    } else if (map) {
      this.camX = map.spawn.x;
      this.camY = map.spawn.y;
    }
    ctx.save();
    ctx.translate(Math.round(this.width / 2 - this.camX), Math.round(this.height / 2 - this.camY));
    if (map) this.drawMap(map, now);
    this.drawEntities(session, now, overlay, map);
    if (overlay.moveTo) this.drawMoveMarker(overlay.moveTo, now);
    this.drawFloaters(now);
    ctx.restore();
  }

  private drawMap(map: ZoneMap, now: number): void {
    const ctx = this.ctx;
    const ts = map.tileSize;
    ctx.fillStyle = COLORS.floor;
    ctx.fillRect(0, 0, map.width, map.height);
    const left = this.camX - this.width / 2;
    const top = this.camY - this.height / 2;
    const c0 = Math.max(0, Math.floor(left / ts));
    const r0 = Math.max(0, Math.floor(top / ts));
    const c1 = Math.min(Math.ceil(map.width / ts), Math.ceil((left + this.width) / ts));
    const r1 = Math.min(map.tiles.length, Math.ceil((top + this.height) / ts));
    ctx.strokeStyle = COLORS.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let c = c0; c <= c1; c++) {
      ctx.moveTo(c * ts + 0.5, r0 * ts);
      ctx.lineTo(c * ts + 0.5, r1 * ts);
    }
    for (let r = r0; r <= r1; r++) {
      ctx.moveTo(c0 * ts, r * ts + 0.5);
      ctx.lineTo(c1 * ts, r * ts + 0.5);
    }
    ctx.stroke();
    ctx.fillStyle = COLORS.wall;
    for (let r = r0; r < r1; r++) {
      const row = map.tiles[r] ?? "";
      for (let c = c0; c < c1; c++) if (row[c] === "#") ctx.fillRect(c * ts, r * ts, ts, ts);
    }
    // A lighter rim on walls whose tile above is open: reads as height.
    ctx.fillStyle = COLORS.wallTop;
    for (let r = r0; r < r1; r++) {
      const row = map.tiles[r] ?? "";
      const above = map.tiles[r - 1] ?? "";
      for (let c = c0; c < c1; c++) {
        if (row[c] === "#" && above[c] !== "#") ctx.fillRect(c * ts, r * ts, ts, 6);
      }
    }
    const pulse = 0.5 + 0.5 * Math.sin(now / 300);
    for (const portal of map.portals) {
      ctx.globalAlpha = 0.25 + 0.2 * pulse;
      ctx.fillStyle = COLORS.portal;
      circle(ctx, portal.x, portal.y, portal.radius);
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = COLORS.portal;
      ctx.lineWidth = 2;
      circle(ctx, portal.x, portal.y, portal.radius * (0.6 + 0.4 * pulse));
      ctx.stroke();
      this.label(`→ ${portal.targetZone}`, portal.x, portal.y - portal.radius - 6, COLORS.portal);
    }
  }

  private drawEntities(
    session: GameSession,
    now: number,
    overlay: Overlay,
    map: ZoneMap | null,
  ): void {
    const layers: Record<KindName, Drawn[]> = { drop: [], npc: [], mob: [], player: [] };
    const byKey = new Map<string, EntityView>();
    this.drawn = [];
    session.forEachEntity((entity, id) => {
      const kind = kindOf(entity);
      if (!kind) return;
      const p = session.positionOf(id, entity, now, this.scratch);
      const d: Drawn = { id, kind, x: p.x, y: p.y, r: RADIUS[kind] };
      layers[kind].push(d);
      byKey.set(id, entity);
      this.drawn.push(d);
    });
    for (const npc of map?.npcs ?? []) {
      if (byKey.has(npc.id)) continue;
      this.drawNpc(npc.x, npc.y, npc.name);
    }
    for (const d of layers.drop) this.drawDrop(d, byKey.get(d.id)!, overlay);
    for (const d of layers.npc) this.drawNpc(d.x, d.y, entityName(byKey.get(d.id)!));
    for (const d of layers.mob) this.drawActor(d, byKey.get(d.id)!, overlay, false);
    for (const d of layers.player) {
      if (d.id !== session.entityId) this.drawActor(d, byKey.get(d.id)!, overlay, false);
    }
    const own = layers.player.find((d) => d.id === session.entityId);
    if (own) this.drawActor(own, byKey.get(own.id)!, overlay, true);
  }

  private drawActor(d: Drawn, entity: EntityView, overlay: Overlay, isOwn: boolean): void {
    const ctx = this.ctx;
    const dead = isDead(entity);
    const color = isOwn
      ? COLORS.own
      : d.kind === "player"
        ? COLORS.player
        : mobColor(entity.templateId ?? "");
    if (overlay.targetId === d.id || overlay.hoverId === d.id) {
      ctx.strokeStyle = overlay.targetId === d.id ? COLORS.target : COLORS.label;
      ctx.lineWidth = 2;
      circle(ctx, d.x, d.y, d.r + 5);
      ctx.stroke();
    }
    ctx.globalAlpha = dead ? 0.35 : 1;
    ctx.fillStyle = color;
    circle(ctx, d.x, d.y, d.r);
    ctx.fill();
    ctx.strokeStyle = "#00000088";
    ctx.lineWidth = 2;
    ctx.stroke();
    // Facing: a small notch on the rim.
    ctx.fillStyle = "#00000099";
    // The server replicates facing only while standing; a moving entity faces where it goes.
    // Velocity and facing are unset on the wire while they are 0.
    const vx = entity.vx ?? 0;
    const vy = entity.vy ?? 0;
    const facing = vx !== 0 || vy !== 0 ? Math.atan2(vy, vx) : (entity.dir ?? 0);
    circle(ctx, d.x + Math.cos(facing) * d.r * 0.6, d.y + Math.sin(facing) * d.r * 0.6, 3);
    ctx.fill();
    ctx.globalAlpha = 1;
    if (entity.hpRatio !== undefined) this.hpBar(d.x, d.y - d.r - 8, entity.hpRatio / 255, isOwn);
    const level = entityLevel(entity);
    const name = level ? `${entityName(entity)} · ${level}` : entityName(entity);
    this.label(name, d.x, d.y - d.r - 12, isOwn ? COLORS.own : COLORS.label);
  }

  private drawDrop(d: Drawn, entity: EntityView, overlay: Overlay): void {
    const ctx = this.ctx;
    ctx.fillStyle = COLORS.drop;
    ctx.beginPath();
    ctx.moveTo(d.x, d.y - d.r);
    ctx.lineTo(d.x + d.r, d.y);
    ctx.lineTo(d.x, d.y + d.r);
    ctx.lineTo(d.x - d.r, d.y);
    ctx.closePath();
    ctx.fill();
    if (overlay.hoverId === d.id)
      this.label(entityName(entity) || "Loot", d.x, d.y - d.r - 4, COLORS.drop);
  }

  private drawNpc(x: number, y: number, name: string): void {
    const ctx = this.ctx;
    ctx.fillStyle = COLORS.npc;
    ctx.fillRect(x - 10, y - 10, 20, 20);
    this.label(name, x, y - 16, COLORS.npc);
  }

  private drawMoveMarker(p: Point, now: number): void {
    const ctx = this.ctx;
    const r = 6 + 2 * Math.sin(now / 120);
    ctx.strokeStyle = COLORS.label;
    ctx.lineWidth = 1.5;
    circle(ctx, p.x, p.y, r);
    ctx.stroke();
  }

  private drawFloaters(now: number): void {
    const ctx = this.ctx;
    this.floaters = this.floaters.filter((f) => now - f.born < FLOAT_LIFE_MS);
    ctx.textAlign = "center";
    for (const f of this.floaters) {
      const age = (now - f.born) / FLOAT_LIFE_MS;
      ctx.globalAlpha = 1 - age;
      ctx.font = f.kind === "crit" ? "bold 18px system-ui, sans-serif" : "bold 14px system-ui";
      ctx.fillStyle = "#000000aa";
      ctx.fillText(f.text, f.x + 1, f.y - 20 - age * 30 + 1);
      ctx.fillStyle = FLOAT_COLORS[f.kind];
      ctx.fillText(f.text, f.x, f.y - 20 - age * 30);
    }
    ctx.globalAlpha = 1;
  }

  private hpBar(x: number, y: number, ratio: number, isOwn: boolean): void {
    const ctx = this.ctx;
    const w = 30;
    ctx.fillStyle = COLORS.hpBack;
    ctx.fillRect(x - w / 2, y, w, 4);
    ctx.fillStyle = isOwn ? COLORS.hpOwn : COLORS.hpFront;
    ctx.fillRect(x - w / 2, y, w * Math.max(0, Math.min(1, ratio)), 4);
  }

  private label(text: string, x: number, y: number, color: string): void {
    const ctx = this.ctx;
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillStyle = "#000000aa";
    ctx.fillText(text, x + 1, y + 1);
    ctx.fillStyle = color;
    ctx.fillText(text, x, y);
  }
}

function circle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
}

/** A stable colour per mob template: known ones by hand, others hashed to a hue. */
export function mobColor(templateId: string): string {
  const known = MOB_COLORS[templateId];
  if (known) return known;
  let hash = 0;
  for (let i = 0; i < templateId.length; i++) hash = (hash * 31 + templateId.charCodeAt(i)) | 0;
  return `hsl(${Math.abs(hash) % 360} 60% 60%)`;
}
