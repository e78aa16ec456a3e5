/**
 * Keeps each client's StateView to the entities around its character (area of interest), with
 * scratch buffers shared by every refresh of the room.
 */
import {
  createInterestScratch,
  EXIT_RADIUS_FACTOR,
  updateInterest,
} from "../src/game/world/interest.ts";
import type { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import { applyInterestToView, type SchemaSync } from "../schema/to-schema.ts";
import type { ZoneSession } from "./zone-session.ts";

/** At most this many entities enter one client's view per patch (spreads spawn bursts). */
const MAX_ENTERED_PER_PATCH = 48;

export class InterestViews {
  private readonly sim: ZoneSimulation;
  private readonly sync: SchemaSync;
  /** Area-of-interest radius in world units; a view lets go a little further out. */
  private readonly radius: number;
  private readonly scratch = createInterestScratch();
  private readonly entered: number[] = [];
  private readonly left: number[] = [];

  constructor(sim: ZoneSimulation, sync: SchemaSync, radius: number) {
    this.sim = sim;
    this.sync = sync;
    this.radius = radius;
  }

  /** Brings the session's view up to date with what is around its character now. */
  refresh(session: ZoneSession): void {
    const view = session.client.view;
    const entity = this.sim.world.handleById.get(session.characterId);
    if (!view || entity === undefined) return;
    const grid = this.sim.world.grid;
    updateInterest(
      session.interest,
      grid,
      entity,
      grid.xOf(entity),
      grid.yOf(entity),
      this.radius,
      this.radius * EXIT_RADIUS_FACTOR,
      this.scratch,
      this.entered,
      this.left,
      MAX_ENTERED_PER_PATCH,
    );
    if (this.entered.length > 0 || this.left.length > 0) {
      applyInterestToView(view, this.sync, this.entered, this.left);
    }
  }
}
