import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { REFERENCE_COMBINERS } from "../../src/game/stats/golden-fixtures.test.ts";
import { sampleCharacterOutputs } from "../../src/game/stats/sample-character.ts";
import {
  DEFAULT_CAP_LAYER_REGISTRY,
  DEFAULT_COMBINER_REGISTRY,
  parseCapLayerRegistry,
  parseCombinerRegistry,
} from "../../src/game/stats/stats.ts";

const ROOT = join(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const CLI = join(ROOT, "src/tools/stats-resolve-cli.ts");
const VECTORS = join(ROOT, "test/fixtures/actor-core-golden-vectors");
const SCHEMAS = join(ROOT, "test/fixtures/actor-core-schemas");

/** Run the CLI with the Node that runs the tests (tsx's shebang resolves `node` from PATH). */
function runCli(...args: string[]) {
  const result = spawnSync(TSX, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("stats:resolve CLI", function () {
  this.timeout(60_000);
  let dir = "";

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "stats-cli-"));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of [
    "case01_total_cap_sum",
    "case06_lifespan_operator_max",
    "case10_primary_derived_realm_min",
  ]) {
    it(`prints expected.json byte for byte when given ${name}`, () => {
      const out = runCli(join(VECTORS, name, "subsystems.json"));
      assert.equal(out.stderr, "");
      assert.equal(out.status, 0);
      assert.equal(out.stdout, `${readFileSync(join(VECTORS, name, "expected.json"), "utf8")}\n`);
    });
  }

  it("uses the cap layer registry file when one is given", () => {
    const caseDir = join(VECTORS, "case09_prioritized_override");
    const out = runCli(join(caseDir, "subsystems.json"), join(caseDir, "cap_layer_registry.json"));
    assert.equal(out.status, 0);
    assert.deepEqual(
      JSON.parse(out.stdout),
      JSON.parse(readFileSync(join(caseDir, "expected.json"), "utf8")),
    );
  });

  it("adds derived stats from primary ones when --formulas is set", () => {
    const path = join(dir, "sample.json");
    writeFileSync(path, JSON.stringify(sampleCharacterOutputs()));
    const plain = JSON.parse(runCli(path).stdout) as { Derived: Record<string, number> };
    const out = runCli(path, "--formulas");
    assert.equal(out.status, 0);
    const withFormulas = JSON.parse(out.stdout) as { Derived: Record<string, number> };
    assert.equal(plain.Derived.hit_rate, undefined);
    assert.equal(withFormulas.Derived.hit_rate, 0.9 + 16 * 0.0005);
  });

  it("exits 2 with a clear message when the file is missing", () => {
    const out = runCli(join(dir, "missing.json"));
    assert.equal(out.status, 2);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, /^stats:resolve: cannot read .*missing\.json: ENOENT\n$/);
  });

  it("exits 2 with a clear message when the file is not JSON", () => {
    const path = join(dir, "broken.json");
    writeFileSync(path, "[{");
    const out = runCli(path);
    assert.equal(out.status, 2);
    assert.match(out.stderr, /broken\.json is not valid JSON/);
  });

  it("exits 2 and names the bad field when the input breaks the schema", () => {
    const path = join(dir, "invalid.json");
    writeFileSync(
      path,
      JSON.stringify([
        {
          primary: [{ dimension: "strength", bucket: "PERCENT", value: 1, system: "race" }],
          derived: [],
          caps: [],
          meta: { system: "race" },
        },
      ]),
    );
    const out = runCli(path);
    assert.equal(out.status, 2);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, /does not match its schema/);
    assert.match(out.stderr, /0\.primary\.0\.bucket/);
  });

  it("exits 2 when the cap layer registry breaks its schema", () => {
    const path = join(dir, "layers.json");
    writeFileSync(path, JSON.stringify({ order: [], across_policy: "UNION" }));
    const out = runCli(join(VECTORS, "case01_total_cap_sum", "subsystems.json"), path);
    assert.equal(out.status, 2);
    assert.match(out.stderr, /layers\.json does not match its schema/);
  });

  it("exits 2 with usage when no file is given", () => {
    const out = runCli();
    assert.equal(out.status, 2);
    assert.match(out.stderr, /usage: npm run --silent stats:resolve/);
  });
});

describe("stats:resolve defaults against the Actor Core YAML examples", () => {
  const readYaml = (file: string): unknown => parseYaml(readFileSync(join(SCHEMAS, file), "utf8"));

  it("matches Registry.example.yml plus attack_power when comparing the reference registry", () => {
    const example = readYaml("Registry.example.yml") as { dimensions: Record<string, unknown> };
    assert.equal(parseCombinerRegistry(example).ok, true);
    const { attack_power: attackPower, ...fromYaml } = REFERENCE_COMBINERS.dimensions;
    assert.deepEqual(fromYaml, example.dimensions);
    assert.deepEqual(attackPower.clamp_default, { min: 0, max: 1_000_000 });
  });

  it("keeps the YAML clamp defaults when the CLI's content registry lists those dimensions", () => {
    const example = readYaml("Registry.example.yml") as { dimensions: Record<string, unknown> };
    for (const [dim, rule] of Object.entries(example.dimensions)) {
      assert.deepEqual(DEFAULT_COMBINER_REGISTRY.dimensions[dim], rule, dim);
    }
  });

  it("matches CapLayerRegistry.example.yml when comparing the default cap layers", () => {
    const example = readYaml("CapLayerRegistry.example.yml");
    assert.equal(parseCapLayerRegistry(example).ok, true);
    assert.deepEqual(DEFAULT_CAP_LAYER_REGISTRY, example);
  });
});
