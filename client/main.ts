/**
 * The browser client: log in, pick or create a character, then play in a canvas view of the zone.
 * Everything goes through the public API (`/v1/...`) and the Colyseus zone rooms.
 */
import { Api, ApiError, type Character } from "./api.ts";
import { ChannelPicker } from "./channel-picker.ts";
import { resolveApiBase } from "./config.ts";
import { JOBS, RACES } from "./content.ts";
import { installDebugHook } from "./debug.ts";
import { InputController } from "./input.ts";
import { Renderer } from "./render.ts";
import { GameSession, type LogKind } from "./session.ts";
import { PlayerMenu } from "./player-menu.ts";
import { SocialUi } from "./social-ui.ts";
import {
  BagPanel,
  byId,
  EventLog,
  fillChoices,
  Hud,
  NpcDialog,
  renderCharacterList,
  showScreen,
  SkillBar,
} from "./ui.ts";

const server = resolveApiBase(window.location);
const api = new Api(server.url);
const renderer = new Renderer(byId<HTMLCanvasElement>("view"));
const eventLog = new EventLog(byId<HTMLOListElement>("log"));
const hud = new Hud();
const channelPicker = new ChannelPicker(api, () => session);
const skillBar = new SkillBar(byId("skills"));
let session: GameSession | null = null;
const log = (kind: LogKind, text: string) => eventLog.add(kind, text);
const npcDialog = new NpcDialog();
const bagPanel = new BagPanel();
const social = new SocialUi(api, () => byId("view").focus());
const playerMenu = new PlayerMenu(renderer, () => session, social.playerActions());
const input = new InputController(renderer, () => session, log, {
  KeyI: () => toggleBags(),
  // After this keydown: its Enter must not reach (and submit) the chat form.
  Enter: () => setTimeout(() => social.chat.focus(), 0),
  Escape: () => {
    npcDialog.hide();
    bagPanel.hide();
    social.closePanels();
    playerMenu.hide();
  },
});

installDebugHook(() => session);

// ---- Log in / register -------------------------------------------------------------------

const authForm = byId<HTMLFormElement>("auth-form");
const authError = byId("auth-error");
if (server.overridden) byId("auth-server").textContent = `Server: ${server.url}`;

authForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const mode = (event.submitter as HTMLButtonElement | null)?.value ?? "login";
  const email = byId<HTMLInputElement>("auth-email").value.trim();
  const password = byId<HTMLInputElement>("auth-password").value;
  void busy(authForm, authError, async () => {
    if (mode === "register") await api.register(email, password);
    else await api.login(email, password);
    byId<HTMLInputElement>("auth-password").value = "";
    await showCharacters();
  });
});

// ---- Characters ------------------------------------------------------------------------------

const createForm = byId<HTMLFormElement>("create-form");
const createError = byId("create-error");
const raceSelect = byId<HTMLSelectElement>("create-race");
const jobSelect = byId<HTMLSelectElement>("create-job");
fillChoices(raceSelect, RACES);
fillChoices(jobSelect, JOBS);
const describeChoice = () => {
  const race = RACES.find((r) => r.id === raceSelect.value);
  const job = JOBS.find((j) => j.id === jobSelect.value);
  byId("create-description").textContent = [race?.description, job?.description]
    .filter(Boolean)
    .join(" ");
};
raceSelect.addEventListener("change", describeChoice);
jobSelect.addEventListener("change", describeChoice);
describeChoice();

createForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = byId<HTMLInputElement>("create-name");
  void busy(createForm, createError, async () => {
    await api.createCharacter({ name: name.value, race: raceSelect.value, job: jobSelect.value });
    name.value = "";
    await showCharacters();
  });
});

byId("logout").addEventListener("click", () => {
  void api.logout().then(() => showScreen("auth"));
});

async function showCharacters(message?: string): Promise<void> {
  const characters = await api.listCharacters();
  renderCharacterList(byId("character-list"), characters, (c) => void play(c));
  byId("character-empty").hidden = characters.length > 0;
  createError.textContent = message ?? "";
  showScreen("characters");
}

// ---- Playing ---------------------------------------------------------------------------------

async function play(character: Character): Promise<void> {
  if (session) return;
  eventLog.clear();
  renderer.clearEffects();
  const current = new GameSession(
    api,
    character,
    {
      log,
      floatText: (x, y, text, kind) => renderer.floatText(x, y, text, kind),
      zoneEntered: () => {
        input.reset();
        renderer.clearEffects();
      },
      ended: (reason) => void endSession(current, reason),
      npcMenu: (menu) =>
        npcDialog.show(menu, {
          accept: (id) => current.acceptQuest(id),
          turnIn: (id) => current.turnInQuest(id),
        }),
      progressChanged: () => {
        // Refresh the open menu from the room, the bags from the saved state (written behind).
        if (npcDialog.npcId) current.interact(npcDialog.npcId);
        if (bagPanel.isOpen) refreshBagsSoon();
      },
      social: (type, message) => social.receive(type, message),
    },
    window.location.origin,
  );
  session = current;
  social.start(current);
  skillBar.show(current.skills, (index) => input.castSlot(index));
  showScreen("game");
  renderer.resize();
  try {
    await current.start();
  } catch (error) {
    await endSession(current, `Could not enter the world: ${messageOf(error)}`);
    return;
  }
  input.start();
  byId("view").focus();
}

async function endSession(ended: GameSession, reason?: string): Promise<void> {
  if (session !== ended) return;
  session = null;
  input.stop();
  npcDialog.hide();
  bagPanel.hide();
  social.stop();
  await ended.leave();
  await showCharacters(reason).catch(() => showScreen("auth"));
}

/** The room saves progress within about a second: read the bags a little after a change. */
const BAG_REFRESH_DELAY_MS = 1500;
let bagTimer: ReturnType<typeof setTimeout> | undefined;

function refreshBagsSoon(): void {
  clearTimeout(bagTimer);
  bagTimer = setTimeout(() => void refreshBags(), BAG_REFRESH_DELAY_MS);
}

async function refreshBags(): Promise<void> {
  const current = session;
  if (!current) return;
  try {
    const id = current.character.id;
    const [inventory, quests] = await Promise.all([api.inventory(id), api.questLog(id)]);
    if (session === current) {
      bagPanel.render(inventory, quests, (slot) => {
        current.useItem(slot);
      });
    }
  } catch (error) {
    log("error", `Bags unavailable: ${messageOf(error)}`);
  }
}

function toggleBags(): void {
  if (bagPanel.isOpen) return bagPanel.hide();
  bagPanel.show();
  void refreshBags();
  refreshBagsSoon(); // and once more, for anything the room has not saved yet
}

byId("bags").addEventListener("click", () => toggleBags());

byId("leave").addEventListener("click", () => {
  if (session) void endSession(session);
});

window.addEventListener("resize", () => renderer.resize());
window.addEventListener("pagehide", () => void session?.leave());

function frame(now: number): void {
  if (session) {
    renderer.draw(session, now, input.overlay());
    hud.update(session);
    channelPicker.update(session);
    closeDistantNpc(session);
    skillBar.update(session);
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

/** The quest menu closes once one walks away from its NPC. */
function closeDistantNpc(current: GameSession): void {
  if (!npcDialog.npcId) return;
  const npc = current.entity(npcDialog.npcId);
  const own = current.own();
  if (!npc || !own) return npcDialog.hide();
  const a = current.where(npc);
  const b = current.where(own);
  if (Math.hypot(a.x - b.x, a.y - b.y) > NPC_DIALOG_RANGE) npcDialog.hide();
}
const NPC_DIALOG_RANGE = 160;

// ---- Helpers -------------------------------------------------------------------------------

/** Runs a form action with its buttons disabled, showing a refusal in `errorEl`. */
async function busy(form: HTMLFormElement, errorEl: HTMLElement, action: () => Promise<void>) {
  const buttons = [...form.querySelectorAll("button")];
  for (const b of buttons) b.disabled = true;
  errorEl.textContent = "";
  try {
    await action();
  } catch (error) {
    errorEl.textContent = messageOf(error);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

// A stored login (same tab) skips the form.
void (async () => {
  if (await api.resume()) await showCharacters().catch(() => showScreen("auth"));
  else showScreen("auth");
})();
