import supertest from "supertest";

type Scenario = { status: number; run(app: string): Promise<supertest.Response> };

/** Requests for test/http/openapi.test.ts covering the world event operations it documents. */
export function worldEventScenarios(): Record<string, Scenario[]> {
  return {
    "get /v1/world/events": [{ status: 200, run: (app) => supertest(app).get("/v1/world/events") }],
  };
}
