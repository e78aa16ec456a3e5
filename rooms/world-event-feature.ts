/**
 * World events in zone rooms (src/world-events/zone-event-runner.ts): checks the schedule about
 * once a second and serves operators' `worldEventStart` commands. Instance rooms run none.
 */
import { handleRoomCommand } from "./room-commands.ts";
import type { RoomFeatureFactory } from "./room-feature.ts";
import { ZoneEventRunner } from "../src/world-events/zone-event-runner.ts";
import type { WorldEvents } from "../src/world-events/world-events.service.ts";

const CHECK_EVERY_MS = 1_000;

export function worldEventFeature(events: WorldEvents): RoomFeatureFactory {
  return (host) => {
    const runner = new ZoneEventRunner(
      {
        roomId: host.roomId,
        zoneId: host.zone.id,
        sim: host.sim,
        log: host.log,
        send(characterId, type, payload) {
          const session = host.session(characterId);
          if (session && !session.handedOff) session.send(type, payload);
        },
      },
      events,
    );
    if (host.roomName !== "zone" || !runner.hasEvents) return {};
    handleRoomCommand(host, "worldEventStart", (command) =>
      runner.startNow(command.eventId, Date.now()),
    );
    let checkedAt = 0;
    return {
      tick() {
        const now = Date.now();
        if (now - checkedAt < CHECK_EVERY_MS) return;
        checkedAt = now;
        runner.check(now);
      },
      dispose: () => runner.dispose(),
    };
  };
}
