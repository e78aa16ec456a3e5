/**
 * The REST API (`/v1/...`, see /v1/openapi.json): accounts, characters, world join, zone maps.
 * Shapes come from the OpenAPI document through the client kit (clients/js/rest.ts).
 */
import type { RestBody, RestResult, Schemas } from "../clients/js/rest.ts";

export type AuthSession = Schemas["Session"];
export type Character = Schemas["Character"];
export type ZoneMap = Schemas["ZoneMap"];
export type Portal = ZoneMap["portals"][number];
export type Inventory = Schemas["CharacterInventory"];
export type QuestLog = Schemas["CharacterQuests"];
export type ZoneSummary = Schemas["WorldZones"]["zones"][number];
export type WorldJoin = RestResult<"/v1/world/join", "post">;

/** An API refusal: `code` from the server's error catalogue, `message` safe to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

const REFRESH_KEY = "mmo.refreshToken";

/**
 * REST client holding the account's tokens. An expired access token is refreshed once and the
 * request retried; refreshes are serialised because the server rotates refresh tokens and treats
 * a reused one as theft. The refresh token lives in sessionStorage: a reload keeps the login,
 * closing the tab ends it.
 */
export class Api {
  readonly baseUrl: string;
  private accessToken: string | null = null;
  private refreshToken: string | null;
  private refreshing: Promise<void> | null = null;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
    this.refreshToken = readStorage(this.storageKey);
  }

  private get storageKey(): string {
    return `${REFRESH_KEY}@${this.baseUrl}`;
  }

  get hasStoredLogin(): boolean {
    return this.refreshToken !== null;
  }

  /** The current access token (for the game server's seat reservations). */
  get token(): string | null {
    return this.accessToken;
  }

  async register(email: string, password: string): Promise<void> {
    this.adopt(await this.send<AuthSession>("POST", "/v1/auth/register", { email, password }));
  }

  async login(email: string, password: string): Promise<void> {
    this.adopt(await this.send<AuthSession>("POST", "/v1/auth/login", { email, password }));
  }

  /** Resumes a stored login; false when there is none or it has expired. */
  async resume(): Promise<boolean> {
    if (!this.refreshToken) return false;
    try {
      await this.refresh();
      return true;
    } catch {
      return false;
    }
  }

  async logout(): Promise<void> {
    const refreshToken = this.refreshToken;
    this.forget();
    if (refreshToken) {
      await this.send("POST", "/v1/auth/logout", { refreshToken }).catch(() => undefined);
    }
  }

  async listCharacters(): Promise<Character[]> {
    return (await this.authed<{ characters: Character[] }>("GET", "/v1/characters")).characters;
  }

  createCharacter(body: RestBody<"/v1/characters", "post">): Promise<Character> {
    return this.authed<Character>("POST", "/v1/characters", body);
  }

  /** Server-side matchmaking into the character's zone: a seat reservation for the SDK. */
  joinWorld(characterId: string): Promise<WorldJoin> {
    return this.authed("POST", "/v1/world/join", { characterId });
  }

  /** Bags as last saved (the room writes behind within about a second). */
  inventory(characterId: string): Promise<Inventory> {
    return this.authed("GET", `/v1/characters/${encodeURIComponent(characterId)}/inventory`);
  }

  questLog(characterId: string): Promise<QuestLog> {
    return this.authed("GET", `/v1/characters/${encodeURIComponent(characterId)}/quests`);
  }

  async listZones(): Promise<ZoneSummary[]> {
    return (await this.send<{ zones: ZoneSummary[] }>("GET", "/v1/world/zones")).zones;
  }

  /**
   * A zone's geometry from `GET /v1/world/zones/:id/map`: first from the API server, then from
   * the page's own origin (when the client is hosted apart from the API); null when neither has it.
   */
  async zoneMap(zoneId: string, pageOrigin: string): Promise<ZoneMap | null> {
    const path = `/v1/world/zones/${encodeURIComponent(zoneId)}/map`;
    for (const base of new Set([this.baseUrl, pageOrigin])) {
      try {
        const res = await fetch(`${base}${path}`);
        if (res.ok) return (await res.json()) as ZoneMap;
      } catch {
        // Unreachable or blocked by CSP: try the next origin.
      }
    }
    return null;
  }

  /** An authenticated call to any API route (client/social-api.ts builds on it). */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.authed<T>(method, path, body);
  }

  /** A call to a public route (no token). */
  publicRequest<T>(method: string, path: string): Promise<T> {
    return this.send<T>(method, path);
  }

  private adopt(session: AuthSession): void {
    this.accessToken = session.accessToken;
    this.refreshToken = session.refreshToken;
    writeStorage(this.storageKey, session.refreshToken);
  }

  private forget(): void {
    this.accessToken = null;
    this.refreshToken = null;
    writeStorage(this.storageKey, null);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const refreshToken = this.refreshToken;
      if (!refreshToken) throw new ApiError(401, "INVALID_TOKEN", "Please log in again.");
      try {
        this.adopt(await this.send<AuthSession>("POST", "/v1/auth/refresh", { refreshToken }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) this.forget();
        throw error;
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async authed<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.accessToken) await this.refresh();
    try {
      return await this.send<T>(method, path, body, this.accessToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !this.refreshToken) throw error;
      await this.refresh();
      return this.send<T>(method, path, body, this.accessToken);
    }
  }

  private async send<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "UNREACHABLE", "The server cannot be reached.");
    }
    if (res.status === 204) return undefined as T;
    const payload = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(
        res.status,
        error?.code ?? "HTTP_ERROR",
        error?.message ?? `Request failed (${res.status}).`,
      );
    }
    return payload as T;
  }
}

function readStorage(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Storage disabled (private mode): the login simply does not survive a reload.
  }
}
