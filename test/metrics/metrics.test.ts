import assert from "node:assert/strict";
import {
  createMetrics,
  METRIC_NAMES,
  observeRequest,
  renderMetrics,
} from "../../src/metrics/metrics.ts";

/** The value of one series in Prometheus text, or undefined when absent. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("createMetrics", () => {
  it("exposes every metric name in Prometheus text with observed values", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.ccu.set(12);
    metrics.rooms.set({ room: "zone" }, 3);
    metrics.stepDuration.observe({ room: "zone" }, 0.0004);
    metrics.stepDuration.observe({ room: "zone" }, 0.03);
    metrics.patchBytes.inc({ room: "zone" }, 2048);
    metrics.messagesReceived.inc({ type: "move" });
    metrics.messagesRejected.inc({ type: "move", reason: "rate_limited" });
    metrics.dbQueryErrors.inc({ operation: "character.save" });
    metrics.cacheHits.inc({ cache: "redis" });
    metrics.cacheMisses.inc({ cache: "redis" }, 2);
    metrics.cacheErrors.inc({ cache: "redis", operation: "get" });
    metrics.writeBehindQueueDepth.set(7);
    metrics.writeBehindFlushDuration.observe(0.02);
    metrics.eventPublishFailures.inc({ event: "item.looted" });

    const { contentType, body } = await renderMetrics(metrics);
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    for (const name of Object.values(METRIC_NAMES)) {
      assert.ok(body.includes(`# TYPE ${name} `), `missing ${name}`);
    }
    assert.equal(seriesValue(body, "mmo_ccu"), 12);
    assert.equal(seriesValue(body, 'mmo_rooms{room="zone"}'), 3);
    assert.equal(
      seriesValue(body, 'mmo_room_step_duration_seconds_bucket{le="0.0005",room="zone"}'),
      1,
    );
    assert.equal(
      seriesValue(body, 'mmo_room_step_duration_seconds_bucket{le="0.05",room="zone"}'),
      2,
    );
    assert.equal(seriesValue(body, 'mmo_room_step_duration_seconds_count{room="zone"}'), 2);
    assert.equal(seriesValue(body, 'mmo_patch_bytes_total{room="zone"}'), 2048);
    assert.equal(
      seriesValue(body, 'mmo_messages_rejected_total{type="move",reason="rate_limited"}'),
      1,
    );
    assert.equal(seriesValue(body, 'mmo_cache_misses_total{cache="redis"}'), 2);
    assert.equal(seriesValue(body, "mmo_write_behind_queue_depth"), 7);
    assert.equal(seriesValue(body, 'mmo_event_publish_failures_total{event="item.looted"}'), 1);
  });

  it("keeps registries apart so several can exist in one process", async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.ccu.set(5);
    assert.equal(seriesValue(await a.registry.metrics(), "mmo_ccu"), 5);
    assert.equal(seriesValue(await b.registry.metrics(), "mmo_ccu"), 0);
  });

  it("includes process metrics by default, shared between registries", async () => {
    const a = createMetrics({ defaultLabels: { process: "a" } });
    const b = createMetrics({ defaultLabels: { process: "b" } });
    const bodyA = await a.registry.metrics();
    const bodyB = await b.registry.metrics();
    assert.ok(bodyA.includes("# TYPE process_cpu_user_seconds_total counter"));
    assert.ok(bodyA.includes("# TYPE nodejs_eventloop_lag_seconds gauge"));
    assert.match(bodyA, /^process_resident_memory_bytes\{process="a"\} \d+/m);
    assert.match(bodyB, /^process_resident_memory_bytes\{process="b"\} \d+/m);
    assert.equal(
      a.registry.getSingleMetric("process_cpu_user_seconds_total"),
      b.registry.getSingleMetric("process_cpu_user_seconds_total"),
    );
  });

  it("records HTTP requests by route, method and status through observeRequest", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const observe = observeRequest(metrics);
    observe("/v1/characters/:id", "GET", 200, 0.004);
    observe("/v1/characters/:id", "GET", 200, 0.3);
    observe("/v1/characters/:id", "GET", 404, 0.001);
    const body = await metrics.registry.metrics();
    const ok = 'route="/v1/characters/:id",method="GET",status="200"';
    assert.equal(seriesValue(body, `mmo_http_request_duration_seconds_count{${ok}}`), 2);
    assert.equal(
      seriesValue(body, `mmo_http_request_duration_seconds_bucket{le="0.005",${ok}}`),
      1,
    );
    assert.equal(
      seriesValue(
        body,
        'mmo_http_request_duration_seconds_count{route="/v1/characters/:id",method="GET",status="404"}',
      ),
      1,
    );
  });

  it("samples CCU and rooms by type at scrape time, dropping types that went away", async () => {
    let ccu = 4;
    let rooms: Record<string, number> = { zone: 2, instance: 1 };
    const metrics = createMetrics({
      defaultMetrics: false,
      defaultLabels: { process: "game1" },
      sample: { ccu: () => ccu, roomsByType: async () => rooms },
    });
    let body = await metrics.registry.metrics();
    assert.equal(seriesValue(body, 'mmo_ccu{process="game1"}'), 4);
    assert.equal(seriesValue(body, 'mmo_rooms{room="zone",process="game1"}'), 2);
    assert.equal(seriesValue(body, 'mmo_rooms{room="instance",process="game1"}'), 1);
    ccu = 1;
    rooms = { zone: 1 };
    body = await metrics.registry.metrics();
    assert.equal(seriesValue(body, 'mmo_ccu{process="game1"}'), 1);
    assert.equal(seriesValue(body, 'mmo_rooms{room="zone",process="game1"}'), 1);
    assert.equal(seriesValue(body, 'mmo_rooms{room="instance",process="game1"}'), undefined);
  });
});
