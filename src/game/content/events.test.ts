import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { validateEvents } from "./events.ts";
import { loadGameData } from "../../content/load-game-data.ts";
import type { GameData } from "../../content/load-game-data.ts";

const shipped = JSON.parse(
  readFileSync(new URL("../../../content/events.json", import.meta.url), "utf8"),
) as { events: Record<string, unknown>[] };

describe("content/events.json", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });
  const refs = () => ({
    zones: data.zones,
    mobIds: new Set(data.content.mobs.keys()),
    items: data.content.items,
  });
  const withEvent = (patch: Record<string, unknown>) => ({
    events: [{ ...shipped.events[0], ...patch }],
  });
  const messages = (raw: unknown) => {
    const result = validateEvents(raw, refs());
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it("loads the shipped events with the game data", () => {
    const boss = data.events.get("thunder_ape_king");
    assert.equal(boss?.zone, "field");
    assert.equal(data.content.mobs.get(boss.mob)?.id, "thunder_ape_king");
  });

  it("refuses unknown zones, mobs and items, naming the event and field", () => {
    const rewards = {
      ...(shipped.events[0]!.rewards as object),
      items: [{ itemId: "no_such_item", qty: 1 }],
    };
    assert.deepEqual(messages(withEvent({ zone: "nowhere", mob: "no_mob", rewards })), [
      'events[0].zone: zone "nowhere" does not exist',
      'events[0].mob: unknown mob "no_mob"',
      'events[0].rewards.items[0].itemId: unknown item "no_such_item"',
    ]);
  });

  it("refuses safe zones, instances and a spawn on a blocked tile or outside", () => {
    assert.match(messages(withEvent({ zone: "town" })).join(";"), /town" is safe/);
    assert.match(messages(withEvent({ zone: "crypt" })).join(";"), /is an instance/);
    assert.match(messages(withEvent({ spawn: { x: 2048, y: 2048 } })).join(";"), /blocked tile/);
    assert.match(messages(withEvent({ spawn: { x: -1, y: 5 } })).join(";"), /outside zone/);
  });

  it("refuses overlapping schedules and malformed entries", () => {
    assert.match(messages(withEvent({ durationMinutes: 500 })).join(";"), /durationMinutes/);
    assert.match(
      messages(withEvent({ schedule: { everyMinutes: 0, offsetMinutes: 0 } }))[0]!,
      /schedule/,
    );
    const twice = { events: [shipped.events[0], shipped.events[0]] };
    assert.deepEqual(messages(twice), ["events[1].id: duplicate event id"]);
  });
});
