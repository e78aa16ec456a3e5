import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import { newPlayer, startTestGame, type TestGame } from "../helpers/game-server.ts";

/**
 * HTTP fuzzing: fast-check bodies against every POST route. Whatever arrives, the answer is a
 * client error (or, for a body that happens to be valid, a success) with the JSON error shape;
 * never a 500, and the process stays healthy and unpolluted.
 */

const ALLOWED_ERRORS = new Set([400, 401, 404, 409, 413, 415, 429]);
const SUCCESS = new Set([200, 201, 204]);
const RUNS_PER_ROUTE = Number(process.env.HTTP_FUZZ_RUNS ?? 400);

type Route = { name: string; path: (ids: Ids) => string; auth: boolean };
type Ids = { own: string; foreign: string };

const ROUTES: Route[] = [
  { name: "register", path: () => "/v1/auth/register", auth: false },
  { name: "login", path: () => "/v1/auth/login", auth: false },
  { name: "refresh", path: () => "/v1/auth/refresh", auth: false },
  { name: "logout", path: () => "/v1/auth/logout", auth: false },
  { name: "create character", path: () => "/v1/characters", auth: true },
  { name: "equip", path: (ids) => `/v1/characters/${ids.own}/equip`, auth: true },
  { name: "unequip", path: (ids) => `/v1/characters/${ids.own}/unequip`, auth: true },
  { name: "equip (foreign)", path: (ids) => `/v1/characters/${ids.foreign}/equip`, auth: true },
  { name: "equip (bad id)", path: () => `/v1/characters/%00..%2F/equip`, auth: true },
  { name: "world join", path: () => "/v1/world/join", auth: true },
];

const POLLUTING_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf"];

/** Objects carrying prototype-pollution keys (as own keys: JSON.parse keeps `__proto__` own). */
const pollutingBody = fc
  .record({
    key: fc.constantFrom(...POLLUTING_KEYS),
    inner: fc.dictionary(fc.constantFrom("polluted", "isAdmin", "level", "gold"), fc.jsonValue()),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
  })
  .map(({ key, inner, extra }) => {
    const innerText = JSON.stringify(inner);
    const nested = key === "constructor" ? `{"prototype":${innerText}}` : innerText;
    const rest = JSON.stringify(extra).slice(1, -1);
    return `{${rest ? `${rest},` : ""}"${key}":${nested}}`;
  });

/** Valid-looking shapes with one field mutated to a wrong type or an extreme value. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -0,
    -1,
    1e308,
    -1e308,
    2 ** 53 + 1,
    "",
    " ",
    "\u0000",
    "💥".repeat(100),
    "' OR 1=1 --",
    "../../etc/passwd",
    [],
    {},
  ),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
);
const mutatedShape = fc
  .record({
    email: hostileValue,
    password: hostileValue,
    refreshToken: hostileValue,
    name: hostileValue,
    race: fc.oneof(hostileValue, fc.constantFrom("human", "elf")),
    job: fc.oneof(hostileValue, fc.constantFrom("warrior", "mage")),
    characterId: hostileValue,
    fromSlot: hostileValue,
    toSlot: hostileValue,
    slot: hostileValue,
    level: hostileValue,
    gold: hostileValue,
  })
  .chain((full) =>
    fc
      .subarray(Object.keys(full), { minLength: 1, maxLength: 4 })
      .map((keys) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, full[k as "email"]])))),
  );

/** Deep nesting within the 16 KiB body limit (arrays and objects). */
const deepBody = fc
  .record({ depth: fc.integer({ min: 50, max: 5000 }), kind: fc.constantFrom("array", "object") })
  .map(({ depth, kind }) =>
    kind === "array"
      ? "[".repeat(depth) + "]".repeat(depth)
      : '{"a":'.repeat(Math.min(depth, 3000)) + "1" + "}".repeat(Math.min(depth, 3000)),
  );

/** Bodies over the limit, and long strings under it. */
const bigBody = fc
  .record({ size: fc.integer({ min: 1000, max: 40_000 }), key: fc.constantFrom("email", "name") })
  .map(({ size, key }) => JSON.stringify({ [key]: "x".repeat(size), password: "p".repeat(size) }));

/** Not JSON at all, or JSON scalars (strict mode refuses those). */
const brokenJson = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    "{",
    "}",
    "[1,",
    '{"a":}',
    "nul",
    "NaN",
    "Infinity",
    '"str"',
    "1",
    "null",
    "\ufeff{}",
  ),
  fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
);

const anyBody = fc.oneof(
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 4 },
  { arbitrary: mutatedShape, weight: 4 },
  { arbitrary: pollutingBody, weight: 2 },
  { arbitrary: deepBody, weight: 1 },
  { arbitrary: bigBody, weight: 1 },
  { arbitrary: brokenJson, weight: 2 },
);

type Headers = Record<string, string>;
const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "application/json; charset=utf-16",
      "application/json; charset=latin1",
      "application/vnd.api+json",
      "",
    ),
    weight: 2,
  },
);

/** A request: body text, headers, and whether to send it gzip-compressed or with a bogus encoding. */
const request = fc.record({
  body: anyBody,
  contentType,
  encoding: fc.oneof(
    { arbitrary: fc.constant<"identity" | "gzip" | "bad-gzip" | "x-zip">("identity"), weight: 12 },
    {
      arbitrary: fc.constantFrom<"gzip" | "bad-gzip" | "x-zip">("gzip", "bad-gzip", "x-zip"),
      weight: 1,
    },
  ),
  token: fc.oneof(
    { arbitrary: fc.constant<"valid" | "none" | "garbage">("valid"), weight: 8 },
    { arbitrary: fc.constantFrom<"none" | "garbage">("none", "garbage"), weight: 1 },
  ),
});
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

describe("hardening: HTTP fuzzing of every POST route", function () {
  this.timeout(60_000);
  let game: TestGame;
  let ids: Ids;
  let token: string;
  const tally = { requests: 0, byStatus: new Map<number, number>() };

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
    const me = await newPlayer(game.url);
    const other = await newPlayer(game.url);
    token = me.token;
    ids = { own: me.characterId, foreign: other.characterId };
  });
  after(async () => {
    await game?.stop();
    const statuses = [...tally.byStatus].sort(([a], [b]) => a - b);
    // One line for the report: how many bodies were tried and how they were answered.
    process.stdout.write(
      `      http fuzz: ${tally.requests} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
    );
  });

  async function send(route: Route, req: FuzzRequest): Promise<number | undefined> {
    const headers: Headers = {};
    if (req.contentType) headers["content-type"] = req.contentType;
    if (route.auth && req.token === "valid") headers.authorization = `Bearer ${token}`;
    if (route.auth && req.token === "garbage")
      headers.authorization = `Bearer eyJ${Buffer.from(req.body).toString("base64url").slice(0, 60)}`;
    let body: string | Uint8Array = req.body;
    if (req.encoding === "gzip") {
      headers["content-encoding"] = "gzip";
      body = gzipSync(req.body);
    } else if (req.encoding === "bad-gzip") {
      headers["content-encoding"] = "gzip";
    } else if (req.encoding === "x-zip") {
      headers["content-encoding"] = "x-zip";
    }
    let res: Response;
    try {
      res = await fetch(`${game.url}${route.path(ids)}`, {
        method: "POST",
        headers,
        body: body as BodyInit,
      });
    } catch (error) {
      // Header values fetch itself refuses (e.g. control characters) never reach the server.
      if (error instanceof TypeError && /header/i.test(String(error.cause ?? error.message)))
        return undefined;
      throw error;
    }
    const text = await res.text();
    tally.requests += 1;
    tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
    const what = `${route.name} ${JSON.stringify({ ...req, body: req.body.slice(0, 200) })} → ${res.status} ${text.slice(0, 300)}`;
    assert.ok(res.status < 500, `server error: ${what}`);
    if (SUCCESS.has(res.status)) return res.status;
    assert.ok(ALLOWED_ERRORS.has(res.status), `unexpected status: ${what}`);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/, what);
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    assert.equal(typeof parsed.error?.code, "string", what);
    assert.equal(typeof parsed.error?.message, "string", what);
    return res.status;
  }

  for (const route of ROUTES) {
    it(`answers ${route.name} with a client error or success, never a 500`, async () => {
      await fc.assert(
        fc.asyncProperty(request, async (req) => {
          await send(route, req);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    });
  }

  // Found by this fuzzer: body-parser's zlib error has no `type`, so it used to answer 500.
  it("answers a gzip body that is not gzip with 400, an unknown content encoding with 415", async () => {
    for (const route of ROUTES) {
      const base = { body: '{"a":1}', contentType: "application/json", token: "valid" } as const;
      assert.equal(await send(route, { ...base, encoding: "bad-gzip" }), 400, route.name);
      assert.equal(await send(route, { ...base, encoding: "x-zip" }), 415, route.name);
    }
  });

  it("stays healthy and unpolluted after the fuzzing", async () => {
    const health = await fetch(`${game.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${game.url}/readyz`);
    assert.equal(ready.status, 200);
    const probe = {} as Record<string, unknown>;
    for (const key of ["polluted", "isAdmin", "level", "gold"]) {
      assert.equal(probe[key], undefined, `Object.prototype.${key} was polluted`);
    }
    // The account still works normally.
    const list = await fetch(`${game.url}/v1/characters`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(list.status, 200);
    assert.ok(tally.requests >= ROUTES.length * RUNS_PER_ROUTE * 0.9, `${tally.requests} requests`);
  });
});
