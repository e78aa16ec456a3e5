/**
 * Resolve subsystem outputs into an Actor Core snapshot and print it as JSON (golden-vector
 * expected.json format).
 *
 *   npm run --silent stats:resolve -- <subsystems.json> [<cap_layer_registry.json>] [--formulas]
 *
 * Uses the combiner registry in content/stats/; the cap layer registry defaults to
 * content/stats/cap-layer-registry.json. `--formulas` adds the derived-from-primary formulas.
 * Exit codes: 0 success, 2 bad usage or bad input (message on stderr).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  createDefaultRegistry,
  DEFAULT_CAP_LAYER_REGISTRY,
  parseCapLayerRegistry,
  parseSubsystemOutputs,
  resolveSnapshot,
  type ParseResult,
} from "../game/stats/stats.ts";

const USAGE =
  "usage: npm run --silent stats:resolve -- <subsystems.json> [<cap_layer_registry.json>] [--formulas]";

class InputError extends Error {}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`cannot read ${path}: ${code}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function valueOf<T>(path: string, result: ParseResult<T>): T {
  if (result.ok) return result.value;
  throw new InputError(`${path} does not match its schema:\n  ${result.issues.join("\n  ")}`);
}

function run(argv: string[]): string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { formulas: { type: "boolean", default: false } },
    });
  } catch (err) {
    throw new InputError(`${(err as Error).message}\n${USAGE}`);
  }
  const [subsystemsPath, layersPath, ...rest] = parsed.positionals;
  if (subsystemsPath === undefined || rest.length > 0) throw new InputError(USAGE);

  const subsystems = valueOf(subsystemsPath, parseSubsystemOutputs(readJsonFile(subsystemsPath)));
  const capLayers =
    layersPath === undefined
      ? DEFAULT_CAP_LAYER_REGISTRY
      : valueOf(layersPath, parseCapLayerRegistry(readJsonFile(layersPath)));
  const registry = createDefaultRegistry({ capLayers, withFormulas: parsed.values.formulas });
  return JSON.stringify(resolveSnapshot(registry, subsystems), null, 2);
}

try {
  process.stdout.write(`${run(process.argv.slice(2))}\n`);
} catch (err) {
  if (!(err instanceof InputError)) throw err;
  process.stderr.write(`stats:resolve: ${err.message}\n`);
  process.exitCode = 2;
}
