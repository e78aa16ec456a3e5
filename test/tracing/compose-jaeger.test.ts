import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { loadConfig } from "../../src/config.ts";
import { tracesUrl } from "../../src/infra/tracing-sdk.ts";

// No Docker engine here: the compose file is read and checked against the config.

type Service = { image?: string; environment?: Record<string, unknown>; expose?: unknown[] };

/** Compose interpolation with no variables set: `${NAME:-default}` / `${NAME-default}`. */
const interpolate = (value: unknown) =>
  String(value).replace(
    /\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g,
    (_m, fallback?: string) => fallback ?? "",
  );

describe("docker-compose tracing", () => {
  const compose = parse(
    readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"),
    {
      merge: true,
    },
  ) as { services: Record<string, Service> };
  const jaeger = compose.services.jaeger!;

  it("runs Jaeger with its OTLP receiver on", () => {
    assert.match(String(jaeger.image), /^jaegertracing\/all-in-one:/);
    assert.equal(interpolate(jaeger.environment?.COLLECTOR_OTLP_ENABLED), "true");
    assert.ok(jaeger.expose?.map(String).includes("4318"), "OTLP/HTTP port");
  });

  for (const name of ["game1", "game2"]) {
    it(`sends ${name}'s spans to Jaeger's OTLP/HTTP endpoint`, () => {
      const env = Object.fromEntries(
        Object.entries(compose.services[name]!.environment ?? {}).map(([k, v]) => [
          k,
          interpolate(v),
        ]),
      );
      const config = loadConfig(env);
      assert.equal(tracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT!), "http://jaeger:4318/v1/traces");
      assert.equal(config.OTEL_SERVICE_NAME, "mmo-server");
    });
  }
});
