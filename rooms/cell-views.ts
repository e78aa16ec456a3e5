/**
 * One StateView per occupied interest cell (src/game/world/cell-interest.ts), shared by every
 * client whose character stands in that cell: Colyseus' SchemaSerializer encodes a patch once per
 * StateView instance, so a cell's clients cost one `encodeView` between them (issue 13).
 *
 * Everything happens in `refresh`, right before a patch, so between two patches every view holds
 * what its clients were last sent (a client that joins in between gets exactly that as its full
 * state). A client that changes cell holds its old cell's set: for that one patch it gets a view
 * of its own, seeded with the old set without re-sending it, then brought to the new cell's set
 * (entities it lacks added in full, those it no longer sees removed); from the next patch on it
 * shares the new cell's view. Views of cells nobody stands in are dropped after a while.
 */
import { ClientState } from "@colyseus/core";
import { $changes, StateView } from "@colyseus/schema";
import {
  cellAt,
  cellGeometry,
  cellWithHysteresis,
  updateCellInterest,
  type CellGeometry,
} from "../src/game/world/cell-interest.ts";
import {
  createInterestScratch,
  createInterestSet,
  INTEREST_REFRESH_TICKS,
  swapRemove,
  type InterestSet,
} from "../src/game/world/interest.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import type { Entity } from "../schema/Entity.ts";
import type { ZoneState } from "../schema/ZoneState.ts";
import type { SchemaSync } from "../schema/to-schema.ts";
import type { Client } from "@colyseus/core";

/** At most this many entities enter a cell's view per patch (spreads spawn bursts). */
export const MAX_ENTERED_PER_PATCH = 48;
/** A cell nobody stands in keeps its view this many patches (a player stepping back and forth). */
const IDLE_PATCHES = 100;

/** What the cell views need of a session. */
export type Viewer = { readonly characterId: string; readonly client: Client };

type Cell = {
  readonly key: number;
  readonly view: StateView;
  readonly interest: InterestSet;
  /** Handle → schema entity this view holds for it. */
  readonly shown: Map<number, Entity>;
  readonly viewers: Set<Viewer>;
  idlePatches: number;
  /** A client arrived since the last update. */
  gained: boolean;
};

type Seat = { cell: Cell; transitional?: StateView };

const NOTHING: ReadonlyMap<number, Entity> = new Map();

export class CellViews {
  readonly geometry: CellGeometry;
  private readonly sim: ZoneSimulation;
  private readonly sync: SchemaSync;
  private readonly cells = new Map<number, Cell>();
  private readonly seats = new Map<Viewer, Seat>();
  private readonly scratch = createInterestScratch();
  private readonly entered: number[] = [];
  private readonly left: number[] = [];
  private readonly pinned: number[] = [];
  private readonly transitions: TransitionViews;
  private lastTick = -1;
  private patches = 0;
  private admitted = false;

  constructor(sim: ZoneSimulation, sync: SchemaSync, aoiRadius: number) {
    this.sim = sim;
    this.sync = sync;
    this.geometry = cellGeometry(aoiRadius);
    this.transitions = new TransitionViews(sync.state);
  }

  /** Views in use (for metrics and tests). */
  get cellCount(): number {
    return this.cells.size;
  }

  /**
   * Seats a joining client in the cell its character stands in and gives it that cell's view.
   * Its own entity is added at once (the full state it gets on joining shows it); the rest of
   * the cell's set is what the cell's other clients already hold.
   */
  admit(viewer: Viewer): void {
    const handle = this.handleOf(viewer);
    if (handle === undefined) return;
    const grid = this.sim.world.grid;
    const cell = this.cellFor(cellAt(this.geometry, grid.xOf(handle), grid.yOf(handle)));
    if (cell.interest.members.length === 0 && cell.viewers.size === 0) {
      this.pinned.length = 0;
      this.pinned.push(handle);
      this.update(cell, Infinity);
      // Nobody holds this view yet: the joiner gets all of it as its full state.
      cell.view.changes.clear();
    } else if (!cell.shown.has(handle)) {
      const own = this.sync.entityOf(handle);
      if (own) {
        cell.interest.members.push(handle);
        cell.interest.generations.push(grid.generation(handle));
        cell.shown.set(handle, own);
        cell.view.add(own);
      }
    }
    cell.viewers.add(viewer);
    cell.idlePatches = 0;
    this.seats.set(viewer, { cell });
    viewer.client.view = cell.view;
    this.admitted = true;
  }

  /** A client left: its seat goes (a shared view stays with its cell). */
  release(viewer: Viewer): void {
    const seat = this.seats.get(viewer);
    if (!seat) return;
    seat.cell.viewers.delete(viewer);
    if (viewer.client.view === seat.cell.view || viewer.client.view === seat.transitional) {
      viewer.client.view = undefined;
    }
    if (seat.transitional) this.transitions.release(seat.transitional);
    this.seats.delete(viewer);
  }

  /** World handle → schema entity of what the view of `viewer`'s cell holds (tests, benches). */
  cellSetOf(viewer: Viewer): ReadonlyMap<number, Entity> {
    return this.seats.get(viewer)?.cell.shown ?? NOTHING;
  }

  /** How many distinct views the clients hold now (each is encoded once per patch). */
  viewsInUse(): number {
    const views = new Set<StateView | undefined>();
    for (const viewer of this.seats.keys()) views.add(viewer.client.view);
    return views.size;
  }

  /** Brings every view up to date for the coming patch; call right before it is encoded. */
  refresh(): void {
    for (const [viewer, seat] of this.seats) {
      if (!seat.transitional) continue;
      if (viewer.client.view === seat.transitional) viewer.client.view = seat.cell.view;
      this.transitions.release(seat.transitional);
      seat.transitional = undefined;
    }
    const tick = this.sim.world.tick;
    // Cell sets follow the world, which only changes on a tick (or a join): a patch without
    // either has nothing to change. It must not: views shared by several clients only reach all
    // of them in a patch that also carries state changes (SchemaSerializer.applyPatches).
    if (tick === this.lastTick && !this.admitted) return;
    this.lastTick = tick;
    this.admitted = false;
    this.patches += 1;

    const grid = this.sim.world.grid;
    const movers: { viewer: Viewer; seed?: Entity[] }[] = [];
    for (const [viewer, seat] of this.seats) {
      const handle = this.handleOf(viewer);
      if (handle === undefined) continue;
      const key = cellWithHysteresis(
        this.geometry,
        seat.cell.key,
        grid.xOf(handle),
        grid.yOf(handle),
      );
      if (key === seat.cell.key) continue;
      const from = seat.cell;
      // What the client holds: its old cell's set as of the last patch (cells change only here).
      const seed = isJoined(viewer.client) ? Array.from(from.shown.values()) : undefined;
      movers.push({ viewer, seed });
      from.viewers.delete(viewer);
      seat.cell = this.cellFor(key);
      seat.cell.viewers.add(viewer);
      seat.cell.gained = true;
    }

    for (const cell of this.cells.values()) {
      if (cell.viewers.size === 0) {
        if (++cell.idlePatches > IDLE_PATCHES) this.drop(cell);
        continue;
      }
      cell.idlePatches = 0;
      // Each set every INTEREST_REFRESH_TICKS patches, in turns (its exit margin covers the
      // lag), and at once when a client arrives: its own character must be in it.
      const due = (cell.key + this.patches) % INTEREST_REFRESH_TICKS === 0;
      if (!due && !cell.gained && cell.interest.members.length > 0) continue;
      cell.gained = false;
      this.pinned.length = 0;
      for (const viewer of cell.viewers) {
        const handle = this.handleOf(viewer);
        if (handle !== undefined) this.pinned.push(handle);
      }
      // A new cell fills at once: its first clients come from neighbouring cells and only get
      // the difference, so capping it would take away what they already see.
      this.update(cell, cell.interest.members.length === 0 ? Infinity : MAX_ENTERED_PER_PATCH);
    }

    for (const { viewer, seed } of movers) {
      const seat = this.seats.get(viewer)!;
      if (!seed) {
        viewer.client.view = seat.cell.view;
        continue;
      }
      seat.transitional = this.transitions.take(seed, seat.cell.view, seat.cell.shown);
      viewer.client.view = seat.transitional;
    }

    // A cell view no joined client receives in this patch (its clients all just arrived, or are
    // still joining or reconnecting) is not encoded: what changed in it reaches them otherwise
    // (a transitional view, or the full state), so it must not be sent again later.
    for (const cell of this.cells.values()) {
      let encoded = false;
      for (const viewer of cell.viewers) {
        if (viewer.client.view === cell.view && isJoined(viewer.client)) {
          encoded = true;
          break;
        }
      }
      if (!encoded) cell.view.changes.clear();
    }
  }

  private handleOf(viewer: Viewer): number | undefined {
    const handle = this.sim.world.handleById.get(viewer.characterId);
    return handle !== undefined && this.sim.world.grid.has(handle) ? handle : undefined;
  }

  private cellFor(key: number): Cell {
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        key,
        view: new StateView(),
        interest: createInterestSet(),
        shown: new Map(),
        viewers: new Set(),
        idlePatches: 0,
        gained: false,
      };
      this.cells.set(key, cell);
    }
    return cell;
  }

  /** Updates `cell`'s set (its viewers' own entities pinned in `this.pinned`) and its view. */
  private update(cell: Cell, maxEntered: number): void {
    updateCellInterest(
      cell.interest,
      this.sim.world.grid,
      this.geometry,
      cell.key,
      this.scratch,
      this.entered,
      this.left,
      maxEntered,
      this.pinned,
    );
    const view = cell.view;
    for (const h of this.left) {
      const shown = cell.shown.get(h);
      cell.shown.delete(h);
      // An entity deleted from the state left every view with its map entry.
      if (shown && isAttached(shown) && view.has(shown)) view.remove(shown);
    }
    let unsynced = false;
    for (const h of this.entered) {
      const entity = this.sync.entityOf(h);
      if (!entity) {
        unsynced = true;
        continue;
      }
      cell.shown.set(h, entity);
      if (!view.has(entity)) view.add(entity);
    }
    // Put in the world since the last sync (outside a tick): it enters once it is in the state.
    if (unsynced) forgetUnshown(cell);
  }

  private drop(cell: Cell): void {
    cell.view.dispose();
    this.cells.delete(cell.key);
  }
}

/**
 * Views for one patch of a client that changes cell, kept for reuse: a view's id and the bitmaps
 * it is a bit in stay allocated, and resetting one only touches what it was made to see, where
 * disposing it walks every tree of the state.
 */
class TransitionViews {
  private readonly state: ZoneState;
  private readonly free: StateView[] = [];
  /** What each view in use was made to see. */
  private readonly seen = new Map<StateView, Entity[]>();

  constructor(state: ZoneState) {
    this.state = state;
  }

  /**
   * A view of a client that held `held` and must now hold what `target` (a cell's view) shows,
   * `wanted`: it sees `held` without sending it again, then is brought to `wanted` (removals and
   * additions). Keeps `held`.
   */
  take(held: Entity[], target: StateView, wanted: ReadonlyMap<number, Entity>): StateView {
    const view = this.free.pop() ?? new StateView();
    if (view.id === -1) {
      // A view takes its place among the state's views on its first add; undone just after.
      const first = wanted.values().next().value;
      if (first) {
        view.add(first);
        view.unmarkVisible(first[$changes]!);
      }
    }
    // The client holds the state, its entity map and `held`: visible, nothing queued.
    view.changes.clear();
    view.markVisible(this.state[$changes]!);
    view.markVisible(this.state.entities[$changes]!);
    // Entities deleted from the state since the last patch stay visible too: their map entry's
    // DELETE goes to the views that see them, which this one must for the client.
    for (const entity of held) view.markVisible(entity[$changes]!);
    for (const entity of held) {
      if (!target.has(entity) && isAttached(entity)) view.remove(entity);
    }
    const seen = held;
    for (const entity of wanted.values()) {
      if (view.has(entity)) continue;
      view.add(entity);
      seen.push(entity);
    }
    this.seen.set(view, seen);
    return view;
  }

  /** Takes `view` back once its patch went out. */
  release(view: StateView): void {
    const seen = this.seen.get(view);
    if (!seen) return;
    for (const entity of seen) view.unmarkVisible(entity[$changes]!);
    view.unmarkVisible(this.state[$changes]!);
    view.unmarkVisible(this.state.entities[$changes]!);
    view.changes.clear();
    this.seen.delete(view);
    this.free.push(view);
  }
}

/** Drops the members of `cell`'s set its view does not show, so they enter on a later update. */
function forgetUnshown(cell: Cell): void {
  const members = cell.interest.members;
  for (let i = 0; i < members.length; i++) {
    if (!cell.shown.has(members[i]!)) swapRemove(cell.interest, i--);
  }
}

function isAttached(entity: Entity): boolean {
  return entity[$changes]!.root !== undefined;
}

function isJoined(client: Client): boolean {
  return client.state === ClientState.JOINED;
}
