import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { loadConfig } from "../../src/config.ts";
import { CONFIG_ENV_NAMES } from "../../src/infra/env-names.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";

// No Docker engine runs here: these tests read the deployment files and check that ports, env
// names, probes and proxy routes agree with the application's config and routes.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const KNOWN = new Set<string>(CONFIG_ENV_NAMES);
const DEFAULTS = loadConfig({});
const GAME_SERVICES = ["game1", "game2"];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Compose-style `${NAME:-default}` / `${NAME}` interpolation with no variables set. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g,
    (_m, _name, fallback) => fallback ?? "",
  );
}

function asEnv(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, interpolate(String(v))]));
}

/** Seconds in a compose duration such as `15s`, `1m30s`. */
function durationSec(value: string): number {
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(h|m|s)/g)) {
    total += Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  }
  return total;
}

/** Keys of `envSchema = z.object({ ... })` in src/config.ts, read from its source. */
function configSchemaKeys(): string[] {
  const source = read("src/config.ts");
  const start = source.indexOf("const envSchema = z.object({");
  const end = source.indexOf("\n});", start);
  assert.ok(start >= 0 && end > start, "envSchema found in src/config.ts");
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
}

/** Top-level repository directories that src/ and rooms/ reach with `new URL("../..", import.meta.url)`. */
function assetDirsResolvedByCode(): Set<string> {
  const dirs = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== "generated") walk(rel);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        for (const [, target] of read(rel).matchAll(
          /new URL\("(\.\.\/[^"]*)",\s*import\.meta\.url\)/g,
        )) {
          const top = path.relative(ROOT, path.resolve(ROOT, dir, target!)).split(path.sep)[0]!;
          if (!["src", "rooms", "schema", ""].includes(top)) dirs.add(top);
        }
      }
    }
  };
  for (const dir of ["src", "rooms", "schema"]) if (existsSync(path.join(ROOT, dir))) walk(dir);
  return dirs;
}

describe("deployment files", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as Any;
  const nginx = read("deploy/nginx.conf");
  const port = DEFAULTS.PORT;

  it("CONFIG_ENV_NAMES lists exactly the variables src/config.ts reads", () => {
    assert.deepEqual([...CONFIG_ENV_NAMES].sort(), configSchemaKeys().sort());
  });

  it("the app serves the probe paths the files use", () => {
    const app = read("src/http/create-app.ts");
    assert.match(app, /app\.get\("\/healthz"/);
    assert.match(app, /app\.get\("\/readyz"/);
    assert.match(read("src/admin/admin-router.ts"), /router\.get\("\/metrics"/);
  });

  describe("Dockerfile", () => {
    const dockerfile = read("Dockerfile").replace(/\\\n/g, " ");
    const lines = dockerfile.split("\n").map((l) => l.trim());
    const froms = lines.filter((l) => /^FROM\s/i.test(l));
    const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
    const runtime = lines.slice(lastFrom);

    it("builds in stages and runs Node 22 as a non-root user", () => {
      assert.ok(froms.length >= 2, "multi-stage");
      assert.match(dockerfile, /^ARG NODE_IMAGE=node:22-/m);
      assert.ok(runtime.some((l) => /^COPY --from=build\s/.test(l)));
      const user = runtime.find((l) => /^USER\s/.test(l));
      assert.ok(user, "USER in the final stage");
      assert.doesNotMatch(user, /^USER\s+(root|0)(\s|:|$)/);
      assert.ok(runtime.some((l) => l === 'CMD ["node", "src/main.js"]'));
    });

    it("exposes the configured port and health-checks /healthz", () => {
      const expose = runtime.find((l) => /^EXPOSE\s/.test(l));
      assert.equal(expose, `EXPOSE ${port}`);
      assert.match(dockerfile, /ENV[^\n]*PORT=2567/);
      const healthcheck = runtime.find((l) => /^HEALTHCHECK\s/.test(l));
      assert.ok(healthcheck);
      assert.match(healthcheck, /\/healthz/);
      assert.match(healthcheck, /process\.env\.PORT/);
    });

    it("sets only environment variables the config knows in the final image", () => {
      const names = runtime
        .filter((l) => /^ENV\s/.test(l))
        .flatMap((l) => [...l.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!));
      assert.ok(names.length > 0);
      for (const name of names) assert.ok(KNOWN.has(name), `unknown env ${name}`);
    });

    it("copies every repository directory the code resolves beside the compiled tree", () => {
      // tsc keeps the repository layout (rootDir "."), so dist/src/x/y.js resolves ../../content.
      const build = JSON.parse(read("tsconfig.build.json"));
      assert.equal(build.compilerOptions.rootDir, ".");
      assert.match(dockerfile, /cp -r dist\/\. \/out\//);
      const copied = /cp -r ((?:[\w.-]+ )+)\/out\//.exec(dockerfile)?.[1]!.trim().split(" ") ?? [];
      const resolved = assetDirsResolvedByCode();
      assert.ok(resolved.has("content") && resolved.has("prisma"), [...resolved].join());
      for (const dir of resolved)
        assert.ok(copied.includes(dir), `${dir}/ is not copied into the image`);
      if (JSON.parse(read("package.json")).scripts["build:client"]) {
        assert.match(dockerfile, /npm run --if-present build:client/);
      }
    });

    it("keeps secrets and build output out of the build context", () => {
      const ignored = read(".dockerignore")
        .split("\n")
        .map((l) => l.trim());
      for (const entry of [".git", ".env", "node_modules", "data", "dist"]) {
        assert.ok(ignored.includes(entry), entry);
      }
    });
  });

  describe("docker-compose.yml", () => {
    const services = compose.services as Record<string, Any>;

    it("runs two game processes, nginx, Postgres, Redis and NATS, and monitoring on a profile", () => {
      for (const name of [...GAME_SERVICES, "nginx", "postgres", "redis", "nats"]) {
        assert.ok(services[name], name);
        assert.equal(services[name].profiles, undefined, `${name} runs by default`);
      }
      for (const name of ["prometheus", "grafana"])
        assert.deepEqual(services[name].profiles, ["monitoring"]);
      assert.ok(services.nats.command.includes("-js"), "NATS with JetStream");
    });

    for (const name of GAME_SERVICES) {
      it(`gives ${name} a valid config on the compose services`, () => {
        const game = services[name];
        assert.equal(game.build, ".");
        const env = asEnv(game.environment);
        for (const key of Object.keys(env)) assert.ok(KNOWN.has(key), `unknown env ${key}`);
        const config = loadConfig(env);
        assert.equal(game.expose.map(String).includes(String(config.PORT)), true);
        assert.ok(config.ADMIN_USER && config.ADMIN_PASSWORD, "admin surface enabled");

        const db = new URL(config.DATABASE_URL!);
        const pg = asEnv(services.postgres.environment);
        assert.deepEqual(
          [db.hostname, db.port, db.username, db.password, db.pathname],
          ["postgres", "5432", pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`],
        );
        assert.deepEqual([new URL(config.REDIS_URL!).host], ["redis:6379"]);
        assert.deepEqual([new URL(config.NATS_URL!).host], ["nats:4222"]);
        for (const dep of ["postgres", "redis", "nats"]) {
          assert.equal(game.depends_on[dep].condition, "service_healthy");
        }

        const graceMs = durationSec(game.stop_grace_period) * 1000;
        assert.ok(graceMs > config.SHUTDOWN_TIMEOUT_MS, "stop_grace_period > SHUTDOWN_TIMEOUT_MS");
        const probe = game.healthcheck.test.join(" ");
        assert.match(probe, new RegExp(`127\\.0\\.0\\.1:${config.PORT}/(healthz|readyz)`));
      });
    }

    it("gives each game process its own PUBLIC_ADDRESS", () => {
      const addresses = GAME_SERVICES.map((n) => asEnv(services[n].environment).PUBLIC_ADDRESS);
      assert.equal(new Set(addresses).size, GAME_SERVICES.length);
    });
  });

  describe("deploy/nginx.conf", () => {
    const upstreams = new Map<string, string[]>();
    for (const [, name, body] of nginx.matchAll(/upstream\s+(\S+)\s*\{([^}]*)\}/g)) {
      upstreams.set(
        name!,
        [...body!.matchAll(/^\s*server\s+(\S+?)[\s;]/gm)].map((m) => m[1]!),
      );
    }
    const locations = new Map<string, string>();
    for (const [, where, body] of nginx.matchAll(/location\s+([^{]+?)\s*\{([^}]*)\}/g)) {
      locations.set(where!, body!);
    }
    const listen = Number(/listen\s+(\d+);/.exec(nginx)?.[1]);

    it("is the config the nginx service mounts, published on its listen port", () => {
      const service = compose.services.nginx;
      assert.ok(service.volumes.includes("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro"));
      assert.ok(service.ports.map(String).some((p: string) => p.endsWith(`:${listen}`)));
    });

    it("balances HTTP over every game process on the app port", () => {
      const root = locations.get("/");
      assert.ok(root);
      const pool = /proxy_pass\s+http:\/\/([^/;\s]+)/.exec(root)![1]!;
      assert.deepEqual(
        upstreams.get(pool)!.sort(),
        GAME_SERVICES.map((n) => `${n}:${port}`),
      );
    });

    for (const name of GAME_SERVICES) {
      it(`routes ${name}'s PUBLIC_ADDRESS to ${name} with WebSocket upgrade`, () => {
        const address = asEnv(compose.services[name].environment).PUBLIC_ADDRESS!;
        const url = new URL(`ws://${address}`);
        const published = compose.services.nginx.ports
          .map(String)
          .map((p: string) => p.split(":")[0]);
        assert.ok(["localhost", "127.0.0.1"].includes(url.hostname));
        assert.ok(published.includes(url.port), `port ${url.port} published by nginx`);
        const body = locations.get(`${url.pathname}/`);
        assert.ok(body, `location ${url.pathname}/`);
        const target = /proxy_pass\s+http:\/\/([^/;\s]+)\/;/.exec(body)?.[1];
        assert.ok(target, "proxy_pass strips the prefix");
        assert.deepEqual(upstreams.get(target), [`${name}:${port}`]);
        assert.match(body, /proxy_set_header Upgrade \$http_upgrade;/);
        assert.match(body, /proxy_set_header Connection \$connection_upgrade;/);
      });
    }
  });

  describe("monitoring", () => {
    const prometheus = parse(read("deploy/prometheus.yml")) as Any;
    const job = prometheus.scrape_configs[0];

    it("scrapes /metrics of every game process with the admin credentials", () => {
      assert.equal(job.metrics_path, "/metrics");
      assert.deepEqual(
        job.static_configs.flatMap((c: Any) => c.targets).sort(),
        GAME_SERVICES.map((n) => `${n}:${port}`),
      );
      const env = asEnv(compose.services.game1.environment);
      assert.deepEqual(job.basic_auth, { username: env.ADMIN_USER, password: env.ADMIN_PASSWORD });
      assert.ok(
        compose.services.prometheus.volumes.includes(
          "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
        ),
      );
    });

    it("ships a Grafana dashboard that queries only metrics the server exports", async () => {
      const datasource = parse(
        read("deploy/grafana/provisioning/datasources/prometheus.yml"),
      ) as Any;
      const uid = datasource.datasources[0].uid;
      const provider = parse(read("deploy/grafana/provisioning/dashboards/dashboards.yml")) as Any;
      const dashboardsDir = provider.providers[0].options.path;
      assert.ok(
        compose.services.grafana.volumes.includes(
          `./deploy/grafana/dashboards:${dashboardsDir}:ro`,
        ),
      );

      const files = readdirSync(path.join(ROOT, "deploy/grafana/dashboards")).filter((f) =>
        f.endsWith(".json"),
      );
      assert.ok(files.length >= 1);
      const metrics = createMetrics();
      const exported = new Set<string>(["up"]);
      for (const metric of await metrics.registry.getMetricsAsJSON()) {
        exported.add(metric.name);
        if (String(metric.type) === "histogram") {
          for (const suffix of ["_bucket", "_count", "_sum"]) exported.add(metric.name + suffix);
        }
      }
      for (const file of files) {
        const dashboard = JSON.parse(read(`deploy/grafana/dashboards/${file}`));
        const targets = dashboard.panels.flatMap((p: Any) => p.targets ?? []);
        assert.ok(targets.length >= 10, "dashboard has panels with queries");
        for (const target of targets) {
          assert.equal(target.datasource.uid, uid);
          const names = [
            ...String(target.expr).matchAll(/\b((?:mmo|process|nodejs)_[a-z0-9_]+|up)\b/g),
          ];
          assert.ok(names.length > 0, target.expr);
          for (const [, name] of names)
            assert.ok(exported.has(name!), `${file}: ${name} is not exported`);
        }
      }
    });
  });

  describe("k8s/", () => {
    const docs = readdirSync(path.join(ROOT, "k8s"))
      .filter((f) => f.endsWith(".yaml"))
      .flatMap((f) =>
        parseAllDocuments(read(`k8s/${f}`)).map((d) => ({ file: f, doc: d.toJS() as Any })),
      );
    const byKind = (kind: string) => docs.filter((d) => d.doc?.kind === kind).map((d) => d.doc);
    const [configMap] = byKind("ConfigMap");
    const [secret] = byKind("Secret");
    const [deployment] = byKind("Deployment");
    const [service] = byKind("Service");
    const [hpa] = byKind("HorizontalPodAutoscaler");
    const container = deployment.spec.template.spec.containers[0];

    it("configures only known variables, and the ConfigMap plus Secret template form a valid config", () => {
      for (const key of Object.keys(configMap.data)) assert.ok(KNOWN.has(key), `ConfigMap ${key}`);
      for (const key of Object.keys(secret.stringData)) assert.ok(KNOWN.has(key), `Secret ${key}`);
      const config = loadConfig({
        ...configMap.data,
        ...secret.stringData,
        PUBLIC_ADDRESS: "10.0.0.7:2567",
      });
      assert.ok(config.REDIS_URL && config.NATS_URL && config.DATABASE_URL);
      const refs = container.envFrom.map((e: Any) => e.configMapRef?.name ?? e.secretRef?.name);
      assert.deepEqual(refs, [configMap.metadata.name, secret.metadata.name]);
    });

    it("sets a unique PUBLIC_ADDRESS per pod from helper variables only", () => {
      const env = new Map<string, Any>(container.env.map((e: Any) => [e.name, e]));
      const helpers = [...env.keys()].filter((name) => !KNOWN.has(name));
      assert.deepEqual(helpers, ["POD_IP"]);
      assert.equal(env.get("POD_IP").valueFrom.fieldRef.fieldPath, "status.podIP");
      assert.equal(env.get("PUBLIC_ADDRESS").value, `$(POD_IP):${configMap.data.PORT}`);
    });

    it("listens on the configured port with readiness /readyz and liveness /healthz", () => {
      const ports = new Map<string, number>(
        container.ports.map((p: Any) => [p.name, p.containerPort]),
      );
      assert.equal(ports.get("http"), Number(configMap.data.PORT));
      assert.equal(container.readinessProbe.httpGet.path, "/readyz");
      assert.equal(container.livenessProbe.httpGet.path, "/healthz");
      for (const probe of [
        container.readinessProbe,
        container.livenessProbe,
        container.startupProbe,
      ]) {
        assert.ok(ports.has(probe.httpGet.port), `probe port ${probe.httpGet.port}`);
      }
    });

    it("drains gracefully: preStop, then SIGTERM within terminationGracePeriodSeconds", () => {
      const preStop = container.lifecycle.preStop.exec.command as string[];
      assert.equal(preStop[0], "sleep");
      const preStopMs = Number(preStop[1]) * 1000;
      const graceMs = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
      const shutdownMs = Number(configMap.data.SHUTDOWN_TIMEOUT_MS);
      assert.ok(graceMs > shutdownMs + preStopMs, `${graceMs} > ${shutdownMs} + ${preStopMs}`);
    });

    it("runs as non-root with a writable DATA_DIR", () => {
      const pod = deployment.spec.template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.notEqual(pod.securityContext.runAsUser, 0);
      const mounts = container.volumeMounts.map((m: Any) => m.mountPath);
      assert.ok(mounts.includes(configMap.data.DATA_DIR));
    });

    it("selects the pods from the Service, HPA and kustomization", () => {
      const labels = deployment.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(service.spec.selector)) assert.equal(labels[k], v);
      assert.deepEqual(deployment.spec.selector.matchLabels, service.spec.selector);
      assert.equal(service.spec.ports[0].targetPort, "http");
      assert.equal(hpa.spec.scaleTargetRef.kind, "Deployment");
      assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
      assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
      const kustomization = parse(read("k8s/kustomization.yaml")) as Any;
      for (const file of kustomization.resources)
        assert.ok(existsSync(path.join(ROOT, "k8s", file)), file);
      assert.ok(
        !kustomization.resources.includes("secret.example.yaml"),
        "the template is not applied",
      );
    });
  });
});
