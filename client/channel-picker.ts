/**
 * The zone channel picker in the HUD: shows the channel one is in (the room's `welcome`) and,
 * when opened, the zone's channels with their players (`GET /v1/world/zones`). Picking one sends
 * `switchChannel`; the server answers with a `transfer` (followed like a portal's) or an `error`
 * the event log shows. Hidden in zones without channels (dungeons, arenas).
 */
import type { Api, ZoneSummary } from "./api.ts";
import type { GameSession } from "./session.ts";
import { byId } from "./ui.ts";

type Channel = ZoneSummary["channels"][number];

export class ChannelPicker {
  private readonly select = byId<HTMLSelectElement>("hud-channel");
  private readonly api: Api;
  private readonly session: () => GameSession | null;
  /** Zone and channel the options were last built for. */
  private shown = "";

  constructor(api: Api, session: () => GameSession | null) {
    this.api = api;
    this.session = session;
    this.select.addEventListener("focus", () => void this.refresh());
    this.select.addEventListener("change", () => {
      const current = this.session();
      const channel = Number(this.select.value);
      if (!current || current.channel === undefined) return;
      if (channel !== current.channel) current.switchChannel(channel);
      // Stays on the current channel until the new room's welcome says otherwise.
      this.select.value = String(current.channel);
    });
  }

  /** Called every frame: touches the DOM only when the zone or the channel changed. */
  update(session: GameSession): void {
    const channel = session.channel;
    const key = channel === undefined ? "" : `${session.zoneId}#${channel}`;
    if (key === this.shown) return;
    this.shown = key;
    this.select.hidden = channel === undefined;
    if (channel === undefined) return;
    this.fill([{ channel, players: 0, capacity: 0 }], channel);
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const session = this.session();
    if (!session || session.channel === undefined) return;
    const zoneId = session.zoneId;
    const zones = await this.api.listZones().catch(() => undefined);
    const channels = zones?.find((z) => z.id === zoneId)?.channels;
    if (!channels || session.zoneId !== zoneId || session.channel === undefined) return;
    this.fill(channels, session.channel);
  }

  private fill(channels: readonly Channel[], current: number): void {
    const list = channels.some((c) => c.channel === current)
      ? channels
      : [{ channel: current, players: 0, capacity: 0 }, ...channels];
    this.select.replaceChildren(
      ...list.map((c) => {
        const option = document.createElement("option");
        option.value = String(c.channel);
        option.textContent =
          c.capacity > 0 ? `Ch ${c.channel} (${c.players}/${c.capacity})` : `Ch ${c.channel}`;
        return option;
      }),
    );
    this.select.value = String(current);
  }
}
