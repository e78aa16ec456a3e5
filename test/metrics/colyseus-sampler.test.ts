import assert from "node:assert/strict";
import { LocalDriver, LocalPresence, matchMaker, Room } from "@colyseus/core";
import { colyseusSampler } from "../../src/metrics/colyseus-sampler.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";

describe("colyseusSampler", () => {
  class SampledRoom extends Room {}

  before(async () => {
    await matchMaker.setup(new LocalPresence(), new LocalDriver(), "127.0.0.1:0");
    await matchMaker.accept(true);
    matchMaker.defineRoomType("sampled_a", SampledRoom);
    matchMaker.defineRoomType("sampled_b", SampledRoom);
  });
  after(async () => {
    await matchMaker.gracefullyShutdown().catch(() => undefined);
    matchMaker.removeRoomType("sampled_a");
    matchMaker.removeRoomType("sampled_b");
  });

  it("reports this process's rooms by type and its CCU at scrape time", async () => {
    const metrics = createMetrics({ defaultMetrics: false, sample: colyseusSampler() });
    await matchMaker.createRoom("sampled_a", {});
    await matchMaker.createRoom("sampled_a", {});
    await matchMaker.createRoom("sampled_b", {});
    const body = await metrics.registry.metrics();
    const lines = body.split("\n");
    assert.ok(lines.includes('mmo_rooms{room="sampled_a"} 2'), body);
    assert.ok(lines.includes('mmo_rooms{room="sampled_b"} 1'));
    assert.ok(lines.includes(`mmo_ccu ${matchMaker.stats.local.ccu}`));
    assert.equal(matchMaker.stats.local.ccu, 0);
  });
});
