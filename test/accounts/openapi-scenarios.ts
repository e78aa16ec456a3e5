import supertest from "supertest";
import { registerAccount } from "../helpers/http-app.ts";

type Scenario = { status: number; run(app: string): Promise<supertest.Response> };

/** Requests for test/http/openapi.test.ts covering DELETE /v1/account (issue 14). */
export async function accountScenarios(app: string): Promise<Record<string, Scenario[]>> {
  const kept = await registerAccount(app);
  const doomed = await registerAccount(app);
  const remove = (account: typeof kept, body: object) =>
    supertest(app)
      .delete("/v1/account")
      .set({ Authorization: `Bearer ${account.accessToken}` })
      .send(body);
  return {
    "delete /v1/account": [
      { status: 400, run: () => remove(kept, {}) },
      { status: 401, run: () => supertest(app).delete("/v1/account").send({ password: "x" }) },
      { status: 403, run: () => remove(kept, { password: "not the password" }) },
      { status: 204, run: () => remove(doomed, { password: doomed.password }) },
    ],
  };
}
