import assert from "node:assert/strict";
import crypt from "../../../content/zones/crypt.json" with { type: "json" };
import field from "../../../content/zones/field.json" with { type: "json" };
import forest from "../../../content/zones/forest.json" with { type: "json" };
import town from "../../../content/zones/town.json" with { type: "json" };
import mobs from "../../../content/mobs.json" with { type: "json" };
import { validateZones, type ZoneContent } from "./zone-content.ts";
import { compileGeometry, isBlocked } from "./zone-geometry.ts";

const shipped: unknown[] = [town, field, forest, crypt];
const clone = <T>(value: T): T => structuredClone(value);

function errorsOf(docs: unknown[], knownMobIds?: ReadonlySet<string>): string[] {
  const result = validateZones(docs, { knownMobIds });
  return result.ok ? [] : result.errors;
}

describe("zone content", () => {
  it("accepts the shipped zones when validated together", () => {
    const knownMobIds = new Set(mobs.mobs.map((m) => m.id));
    const result = validateZones(shipped, { knownMobIds });
    assert.deepEqual(result.ok ? [] : result.errors, []);
    assert.ok(result.ok);
    assert.deepEqual(
      result.zones.map((z) => [z.id, z.kind, z.safe]),
      [
        ["town", "town", true],
        ["field", "field", false],
        ["forest", "field", false],
        ["crypt", "instance", false],
      ],
    );
  });

  it("reaches the forest from the town only through the field when following portals", () => {
    const zones = shipped as ZoneContent[];
    const links = (id: string) =>
      zones.find((z) => z.id === id)?.portals.map((p) => p.targetZone) ?? [];
    assert.deepEqual(links("town"), ["field"]);
    assert.ok(links("field").includes("forest"));
    assert.ok(links("field").includes("crypt"));
    assert.deepEqual(links("forest"), ["field"]);
  });

  it("names zone and field when a portal targets a missing zone", () => {
    const bad = clone(field);
    bad.portals[0]!.targetZone = "nowhere";
    const errors = errorsOf([town, bad, forest, crypt]);
    assert.deepEqual(errors, [
      'zone "field": portals[0].targetZone: zone "nowhere" does not exist',
    ]);
  });

  it("rejects a portal target when it lands on a blocked tile of the target zone", () => {
    const bad = clone(town);
    bad.portals[0]!.targetX = 10; // the field's border wall
    const errors = errorsOf([bad, field, forest, crypt]);
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /^zone "town": portals\[0\]\.target \(town-to-field\): .*blocked tile of zone "field"/,
    );
  });

  it("rejects the spawn point when it is outside bounds or blocked", () => {
    const outside = clone(town);
    outside.spawn = { x: 5000, y: 10 };
    assert.match(errorsOf([outside, field, forest, crypt])[0]!, /zone "town": spawn: .* outside/);
    const blocked = clone(town);
    blocked.spawn = { x: 8, y: 8 };
    assert.match(errorsOf([blocked, field, forest, crypt])[0]!, /zone "town": spawn: .* blocked/);
  });

  it("rejects mobs when the zone is safe", () => {
    const bad = clone(town) as ZoneContent;
    bad.mobSpawns.push({ id: "s", mobId: "slime", x: 768, y: 800, count: 1, radius: 0 });
    assert.deepEqual(errorsOf([bad, field, forest, crypt]), [
      'zone "town": mobSpawns: a safe zone cannot spawn mobs',
    ]);
  });

  it("rejects an unknown mob id when known ids are given", () => {
    const errors = errorsOf(shipped, new Set(["slime", "wolf", "alpha_wolf", "bone_lord"]));
    assert.deepEqual(errors, [
      'zone "forest": mobSpawns[2].mobId: unknown mob "skeleton"',
      'zone "crypt": mobSpawns[0].mobId: unknown mob "skeleton"',
      'zone "crypt": mobSpawns[1].mobId: unknown mob "skeleton"',
      'zone "crypt": mobSpawns[2].mobId: unknown mob "corpse_puppet"',
      'zone "crypt": mobSpawns[3].mobId: unknown mob "skeleton"',
    ]);
  });

  it("reports schema errors with the zone id and path when a field is malformed", () => {
    const bad = { ...clone(forest), maxPlayers: -1, width: "wide" };
    const errors = errorsOf([town, field, bad, crypt]);
    assert.ok(
      errors.some((e) => e.startsWith('zone "forest": maxPlayers:')),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => e.startsWith('zone "forest": width:')),
      errors.join("\n"),
    );
  });

  it("rejects tile rows when their size does not match the zone dimensions", () => {
    const bad = clone(crypt);
    bad.tiles = bad.tiles.slice(1);
    assert.deepEqual(errorsOf([town, field, forest, bad]), [
      'zone "crypt": tiles: expected 32 rows, got 31',
    ]);
  });

  it("rejects duplicate ids when two portals share one", () => {
    const bad = clone(field);
    bad.portals[1]!.id = bad.portals[0]!.id;
    assert.deepEqual(errorsOf([town, bad, forest, crypt]), [
      'zone "field": portals[1].id: duplicate id "field-to-town"',
    ]);
  });

  it("compiles blocked tiles into geometry when the zone is valid", () => {
    const geo = compileGeometry(crypt as ZoneContent);
    assert.equal(geo.cols * geo.rows, 64 * 32);
    assert.equal(isBlocked(geo, 112, 512), false);
    assert.equal(isBlocked(geo, 5, 5), true);
    assert.equal(isBlocked(geo, -1, 512), true);
  });
});
