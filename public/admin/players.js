/* global document, window, fetch, FormData, setInterval */
// The operator page: players online with kick, mute, ban and teleport, a ban lift, and the audit
// log. Plain script (no build step). The browser sends the admin Basic credentials it was asked
// for when it loaded this page; every call goes to /admin/api (see the README, Operator tools).

const status = document.getElementById("status");
const players = document.querySelector("#players tbody");
const audit = document.querySelector("#audit tbody");

function say(text, isError = false) {
  status.textContent = text;
  status.className = isError ? "error" : "";
}

async function call(path, method = "GET", body) {
  const res = await fetch(`/admin/api${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.error?.message ?? `HTTP ${res.status}`);
  return answer;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function button(td, label, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.dataset.action = label.toLowerCase();
  b.addEventListener("click", () => {
    action().then(
      (done) => done && (say(done), refresh()),
      (error) => say(error.message, true),
    );
  });
  td.append(b);
}

const ask = (question, fallback = "") => {
  const answer = window.prompt(question, fallback);
  return answer === null ? undefined : answer.trim();
};

function actionsFor(td, p) {
  const on = `/players/${p.characterId}`;
  button(td, "Kick", async () => {
    const reason = ask(`Kick ${p.name}: reason`, "kicked by an operator");
    if (reason === undefined) return;
    await call(`${on}/kick`, "POST", { reason });
    return `${p.name} kicked`;
  });
  button(td, "Mute", async () => {
    const minutes = Number(ask(`Mute ${p.name}: minutes`, "60"));
    const reason = ask(`Mute ${p.name}: reason`);
    if (!minutes || !reason) return;
    const { mute } = await call(`${on}/mute`, "POST", { durationSec: minutes * 60, reason });
    return `${p.name} muted until ${mute.expiresAt}`;
  });
  button(td, "Unmute", async () => {
    await call(`${on}/mute`, "DELETE", {});
    return `${p.name} unmuted`;
  });
  button(td, "Ban", async () => {
    const reason = ask(`Ban ${p.name}'s account: reason`);
    if (!reason) return;
    const hours = ask("Hours (empty: until lifted)");
    if (hours === undefined) return;
    const body = hours ? { reason, durationSec: Math.round(Number(hours) * 3600) } : { reason };
    const { ban } = await call(`${on}/ban`, "POST", body);
    return `${p.name}'s account banned ${ban.expiresAt ? `until ${ban.expiresAt}` : "until lifted"}`;
  });
  button(td, "Teleport", async () => {
    const where = ask(`Teleport ${p.name} to "zone x y" (or "x y" in ${p.zone})`);
    if (!where) return;
    const parts = where.split(/\s+/);
    const [x, y] = parts.slice(-2).map(Number);
    const zone = parts.length > 2 ? parts[0] : undefined;
    const moved = await call(`${on}/teleport`, "POST", { zone, x, y });
    return `${p.name} sent to ${moved.zone} (${x}, ${y})`;
  });
}

async function refresh() {
  try {
    const [{ players: online }, { entries }] = await Promise.all([
      call("/players"),
      call("/audit?limit=20"),
    ]);
    players.replaceChildren();
    for (const p of online) {
      const row = players.insertRow();
      row.dataset.characterId = p.characterId;
      cell(row, p.name);
      cell(row, p.zone);
      cell(row, new Date(p.since).toLocaleTimeString());
      cell(row, `${p.characterId} / ${p.accountId}`, "ids");
      actionsFor(row.insertCell(), p);
    }
    audit.replaceChildren();
    for (const e of entries) {
      const row = audit.insertRow();
      cell(row, new Date(e.at).toLocaleString());
      cell(row, e.admin);
      cell(row, e.action);
      cell(row, e.targetId ? `${e.targetType} ${e.targetId}` : "", "ids");
      cell(row, e.reason ?? "");
      cell(row, `${e.status} ${e.result}`);
    }
  } catch (error) {
    say(error.message, true);
  }
}

document.getElementById("unban").addEventListener("submit", (event) => {
  event.preventDefault();
  const accountId = new FormData(event.target).get("accountId").trim();
  call(`/accounts/${accountId}/ban`, "DELETE", {}).then(
    ({ lifted }) => (say(lifted ? "Ban lifted" : "No ban was in force"), refresh()),
    (error) => say(error.message, true),
  );
});

refresh();
setInterval(refresh, 5000);
