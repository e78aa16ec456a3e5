/**
 * Room state of a zone or instance. `entities` is view-filtered: a client receives only the
 * entities its StateView holds (its area of interest), keyed by entity id.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { Entity } from "./Entity.ts";

export const ZoneState = schema(
  {
    zoneId: t.string(),
    /**
     * Low 16 bits of the server tick of the latest patch: clients extrapolate entities from their
     * `posTick` (schema/motion.ts compares the two modulo 256). Sent in every patch, so it is kept
     * to two bytes.
     */
    tick: t.uint16(),
    entities: t.map(Entity).view(),
  },
  "ZoneState",
);
export type ZoneState = SchemaType<typeof ZoneState>;
