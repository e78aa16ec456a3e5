/**
 * The JS client kit's REST types (clients/js/api-types.ts) are what openapi-typescript makes of
 * the server's OpenAPI document today: a route or schema change without `npm run codegen:openapi`
 * fails here (and in CI).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_TYPES_FILE, openApiTypes } from "../../scripts/codegen/openapi.ts";
import { restUrl } from "../../clients/js/rest.ts";
import { buildOpenApiDocument } from "../../src/http/openapi.ts";

describe("JS client kit REST types (clients/js/api-types.ts)", function () {
  this.timeout(120_000);

  it("equal a fresh generation from the OpenAPI document (run `npm run codegen:openapi` if not)", async () => {
    const fresh = await openApiTypes();
    const committed = readFileSync(API_TYPES_FILE, "utf8");
    assert.ok(committed === fresh, "clients/js/api-types.ts is stale: npm run codegen:openapi");
  });

  it("name every route of the document", () => {
    const committed = readFileSync(API_TYPES_FILE, "utf8");
    const routes = Object.keys((buildOpenApiDocument() as { paths: object }).paths);
    assert.ok(routes.length > 10);
    for (const route of routes) assert.ok(committed.includes(`"${route}": {`), `${route} missing`);
  });

  it("fills path parameters and the query when building a URL", () => {
    assert.equal(
      restUrl("/v1/characters/{id}/mail/{mailId}", { id: "a b", mailId: "m/1" }, { limit: 5 }),
      "/v1/characters/a%20b/mail/m%2F1?limit=5",
    );
    assert.throws(() => restUrl("/v1/characters/{id}", {}), /no value for \{id\}/);
  });
});
