import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../../src/config.ts";
import { inSpan, isTracing, startTracing } from "../../src/infra/tracing.ts";
import { tracesUrl } from "../../src/infra/tracing-sdk.ts";
import { createLogger } from "../../src/logger.ts";

type Received = { method: string; url: string; contentType: string; body: Buffer };

describe("tracing export over OTLP/HTTP (protobuf)", () => {
  let collector: http.Server;
  const received: Received[] = [];
  let endpoint: string;

  before(async () => {
    collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          method: req.method ?? "",
          url: req.url ?? "",
          contentType: String(req.headers["content-type"]),
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it("puts spans under <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces", () => {
    assert.equal(tracesUrl("http://jaeger:4318"), "http://jaeger:4318/v1/traces");
    assert.equal(tracesUrl("http://jaeger:4318/"), "http://jaeger:4318/v1/traces");
    assert.equal(tracesUrl("https://otel.example/base/"), "https://otel.example/base/v1/traces");
  });

  it("sends the spans buffered at shutdown to the collector, named by OTEL_SERVICE_NAME", async () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: "otlp-export-test",
      PUBLIC_ADDRESS: "game9:2567",
    });
    const tracing = await startTracing(config, createLogger("silent"));
    assert.ok(tracing && isTracing());
    await inSpan("probe.work", { "probe.attribute": "probe-value" }, undefined, async () => {
      await inSpan("probe.child", {}, undefined, async () => undefined);
    });
    assert.equal(received.length, 0, "batched: nothing sent before the flush");
    await tracing.shutdown();
    assert.equal(isTracing(), false);

    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request!.method, "POST");
    assert.equal(request!.url, "/v1/traces");
    assert.equal(request!.contentType, "application/x-protobuf");
    // Protobuf keeps strings as UTF-8 bytes: the names are readable in the payload.
    const payload = request!.body.toString("latin1");
    for (const text of [
      "otlp-export-test",
      "game9:2567",
      "probe.work",
      "probe.child",
      "probe-value",
    ]) {
      assert.ok(payload.includes(text), `payload carries ${text}`);
    }
  });
});
