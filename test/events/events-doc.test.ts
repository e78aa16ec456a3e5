import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { EVENT_FIELDS, EVENT_NAMES, subjectFor } from "../../src/events/catalogue.ts";

const DOC = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");

/** `### \`mmo.x.y\`` headings with the first-column field names of the table under each. */
function documentedEvents(markdown: string): Map<string, string[]> {
  const events = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^###\s+`([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = [];
      events.set(heading[1]!, current);
      continue;
    }
    if (/^#{1,3}\s/.test(line)) current = undefined;
    const row = /^\|\s*`([A-Za-z]+)`\s*\|/.exec(line);
    if (row && current) current.push(row[1]!);
  }
  return events;
}

describe("docs/events.md", () => {
  const documented = documentedEvents(DOC);

  it("documents exactly the subjects of the event catalogue", () => {
    assert.deepEqual(
      [...documented.keys()].sort(),
      EVENT_NAMES.map((name) => subjectFor(name)).sort(),
    );
  });

  it("documents exactly the payload fields of each event", () => {
    for (const name of EVENT_NAMES) {
      assert.deepEqual(documented.get(subjectFor(name)), [...EVENT_FIELDS[name]], name);
    }
  });

  it("names the JetStream stream and its subjects", () => {
    assert.match(DOC, /`MMO_EVENTS`\s+capturing\s+`mmo\.>`/);
  });
});
