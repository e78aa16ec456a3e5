/**
 * The REST API typed from its OpenAPI document: `api-types.ts` is generated from the server's
 * (`npm run codegen:openapi`), and these helpers read a route's body, parameters and answer from
 * it, so a client call that no longer matches the server fails to compile. `restCall` is a plain
 * fetch with those types; clients that refresh tokens (client/api.ts) keep their own loop and
 * take the types.
 */
import type { components, paths } from "./api-types.ts";

/** The API's named schemas (`Character`, `Session`, `WorldJoin`, `ZoneMap`, …). */
export type Schemas = components["schemas"];

export type RestPath = keyof paths;
export type RestMethod = "get" | "put" | "post" | "delete" | "patch";

/** The methods a route has. */
export type MethodsOf<P extends RestPath> = {
  [M in RestMethod]-?: undefined extends paths[P][M] ? never : M;
}[RestMethod];

type Operation<P extends RestPath, M extends RestMethod> = NonNullable<paths[P][M]>;

/** The JSON body a route takes (undefined: none). */
export type RestBody<P extends RestPath, M extends MethodsOf<P>> =
  Operation<P, M> extends { requestBody?: { content: { "application/json": infer B } } }
    ? B
    : undefined;

/** A route's path parameters (`{ id }` for `/v1/characters/{id}`). */
export type RestParams<P extends RestPath, M extends MethodsOf<P>> =
  Operation<P, M> extends { parameters: { path?: infer Q } } ? NonNullable<Q> : never;

/** A route's query parameters. */
export type RestQuery<P extends RestPath, M extends MethodsOf<P>> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type Success = 200 | 201 | 202 | 204;
/** The JSON a route answers on success (undefined for 204). */
export type RestResult<P extends RestPath, M extends MethodsOf<P>> =
  Operation<P, M> extends { responses: infer R }
    ? {
        [S in keyof R & Success]: R[S] extends { content: { "application/json": infer J } }
          ? J
          : undefined;
      }[keyof R & Success]
    : never;

export type RestRequest<P extends RestPath, M extends MethodsOf<P>> = {
  params?: RestParams<P, M>;
  query?: RestQuery<P, M>;
  body?: RestBody<P, M>;
  /** The access token (`Authorization: Bearer`). */
  token?: string | null;
  headers?: Record<string, string>;
};

/** A refusal: `code` from the server's error catalogue, `message` safe to show. */
export class RestError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "RestError";
    this.status = status;
    this.code = code;
  }
}

/** `path` with its `{name}` parameters filled in (encoded). */
export function restUrl(
  path: string,
  params: Record<string, unknown> = {},
  query: Record<string, unknown> = {},
): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

/** Calls one route of the API at `baseUrl`; a non-2xx answer throws a RestError. */
export async function restCall<P extends RestPath, M extends MethodsOf<P>>(
  baseUrl: string,
  method: M,
  path: P,
  request: RestRequest<P, M> = {},
): Promise<RestResult<P, M>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const url = restUrl(path, request.params ?? {}, request.query ?? {});
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${url}`, {
      method: method.toUpperCase(),
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch {
    throw new RestError(0, "UNREACHABLE", "The server cannot be reached.");
  }
  if (res.status === 204) return undefined as RestResult<P, M>;
  const payload = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const error = (payload as Schemas["Error"] | null)?.error;
    throw new RestError(
      res.status,
      error?.code ?? "HTTP_ERROR",
      error?.message ?? `Request failed (${res.status}).`,
    );
  }
  return payload as RestResult<P, M>;
}
