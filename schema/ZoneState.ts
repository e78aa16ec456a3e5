/**
 * Room state of a zone or instance. `entities` is view-filtered: a client receives only the
 * entities its StateView holds (its area of interest), keyed by entity id.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { Entity } from "./Entity.ts";

export const ZoneState = schema(
  {
    zoneId: t.string(),
    /** Server tick of the latest patch: clients extrapolate entities from their `posTick`. */
    tick: t.uint32(),
    entities: t.map(Entity).view(),
  },
  "ZoneState",
);
export type ZoneState = SchemaType<typeof ZoneState>;
