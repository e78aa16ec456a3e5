/**
 * Where the REST API and the game server live. By default the page's own origin (the server
 * serves the client at `/`). `?server=http://host:port` points the page at another server, but
 * only on the same host name or when the page itself is served from loopback: a link must not be
 * able to send someone's credentials to a foreign server (the server's CSP blocks that as well).
 */
export function resolveApiBase(location: Pick<Location, "origin" | "hostname" | "search">): {
  url: string;
  overridden: boolean;
} {
  const requested = new URLSearchParams(location.search).get("server");
  if (!requested) return { url: location.origin, overridden: false };
  let target: URL;
  try {
    target = new URL(requested);
  } catch {
    return { url: location.origin, overridden: false };
  }
  const httpish = target.protocol === "http:" || target.protocol === "https:";
  const sameHost = target.hostname === location.hostname;
  if (!httpish || !(sameHost || isLoopback(location.hostname))) {
    return { url: location.origin, overridden: false };
  }
  return { url: target.origin, overridden: target.origin !== location.origin };
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname === "[::1]" ||
    hostname === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}
