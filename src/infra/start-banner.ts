/**
 * The plain lines printed at start when stdout is a terminal (issue 14): where to point a
 * browser, a client and the dashboard, without reading JSON logs.
 */
export function startBanner(options: {
  url: string;
  database: string;
  /** Whether ADMIN_USER/ADMIN_PASSWORD are set (the monitor and /metrics exist only then). */
  admin: boolean;
}): string {
  const { url } = options;
  const ws = url.replace(/^http/, "ws");
  const monitor = options.admin
    ? `${url}/admin/monitor (ADMIN_USER / ADMIN_PASSWORD)`
    : "off (set ADMIN_USER and ADMIN_PASSWORD)";
  return [
    `MMO server ready (database: ${options.database})`,
    `  Game client  ${url}/`,
    `  API          ${url}/v1  (OpenAPI: ${url}/v1/openapi.json)`,
    `  WebSocket    ${ws}`,
    `  Monitor      ${monitor}`,
    "",
  ].join("\n");
}
