import assert from "node:assert/strict";
import express from "express";
import supertest from "supertest";
import { weakETag } from "../../src/http/weak-etag.ts";

/** What an app answers for `body` with its `etag` setting at `etag`. */
async function etagOf(etag: unknown, body: unknown, ifNoneMatch?: string) {
  const app = express();
  app.set("etag", etag);
  app.get("/", (_req, res) => {
    res.json(body);
  });
  const req = supertest(app).get("/");
  if (ifNoneMatch) void req.set("If-None-Match", ifNoneMatch);
  return req;
}

describe("weakETag", () => {
  it("gives Express's default weak ETag for the same body", async () => {
    for (const body of [{}, "", { name: "Ünïcødé ⚔", level: 37 }, { list: Array(500).fill("x") }]) {
      const expected = (await etagOf("weak", body)).headers.etag;
      assert.ok(expected);
      assert.equal((await etagOf(weakETag, body)).headers.etag, expected);
    }
    assert.equal(weakETag(""), 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"');
  });

  it("still answers 304 to a matching If-None-Match", async () => {
    const first = await etagOf(weakETag, { id: 1 });
    const again = await etagOf(weakETag, { id: 1 }, first.headers.etag);
    assert.equal(again.status, 304);
  });
});
