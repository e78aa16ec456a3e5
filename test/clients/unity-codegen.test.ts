/**
 * The Unity kit's generated C# (clients/unity/Schema, clients/unity/Messages) is what
 * `npm run codegen:unity` makes from schema/ and clients/js today: regenerated into a temporary
 * folder and compared file by file, so a schema or message change without a regeneration fails
 * here (and in CI).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CLIENT_MESSAGE_TYPES,
  SERVER_MESSAGE_TYPES,
  NOTICES_MESSAGE,
} from "../../clients/js/message-names.ts";
import { GENERATED_DIRS, generateUnity, UNITY_DIR } from "../../scripts/codegen/unity.ts";

function filesOf(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The names of the top-level classes of a generated C# file. */
function classesOf(file: string): string[] {
  const text = readFileSync(path.join(UNITY_DIR, "Messages", file), "utf8");
  return [...text.matchAll(/^\tpublic (?:static )?class (\w+)/gm)].map((m) => m[1]!);
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

describe("Unity kit codegen (clients/unity)", function () {
  // Reading the kit's types takes the TypeScript checker over the message validators.
  this.timeout(180_000);

  it("has committed C# equal to a fresh generation (run `npm run codegen:unity` if not)", () => {
    const out = mkdtempSync(path.join(tmpdir(), "unity-codegen-"));
    try {
      generateUnity(out);
      for (const dir of GENERATED_DIRS) {
        const fresh = path.join(out, dir);
        const committed = path.join(UNITY_DIR, dir);
        assert.deepEqual(filesOf(committed), filesOf(fresh), `clients/unity/${dir}: files differ`);
        for (const file of filesOf(fresh)) {
          const want = readFileSync(path.join(fresh, file), "utf8");
          const have = readFileSync(path.join(committed, file), "utf8");
          assert.ok(have === want, `clients/unity/${dir}/${file} is stale: npm run codegen:unity`);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("has the state classes of every schema/ file that defines one", () => {
    assert.deepEqual(filesOf(path.join(UNITY_DIR, "Schema")), ["Entity.cs", "ZoneState.cs"]);
  });

  it("has a payload class for every message the kit names, and none more", () => {
    assert.deepEqual(classesOf("Send.cs").sort(), CLIENT_MESSAGE_TYPES.map(pascal).sort());
    // A `notices` message is a list: its class is one notice.
    const received = SERVER_MESSAGE_TYPES.map((t) =>
      t === NOTICES_MESSAGE ? "Notice" : pascal(t),
    );
    const receive = new Set(classesOf("Receive.cs"));
    for (const name of received) assert.ok(receive.has(name), `Receive.cs has no class ${name}`);
    const names = readFileSync(path.join(UNITY_DIR, "Messages", "MessageNames.cs"), "utf8");
    for (const type of [...CLIENT_MESSAGE_TYPES, ...SERVER_MESSAGE_TYPES]) {
      assert.match(names, new RegExp(`public const string ${pascal(type)} = "${type}";`));
    }
  });
});
