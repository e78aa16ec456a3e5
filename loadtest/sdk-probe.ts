/**
 * What the sampled full `@colyseus/sdk` bots check beside thin bots (loadtest/generator.ts): the
 * time from sending a `move` input to seeing it acknowledged in a `self` message's `ackSeq`
 * (input-to-echo latency; it follows the patch with the position it goes with), and the own position in every patch (present, finite, moving).
 * `refId` decode errors are only printed by the SDK: `bench/capacity.ts` counts them from the
 * console (loadtest/soak-watch.ts `captureConsole`).
 */
import type { Room } from "@colyseus/sdk";
import { extrapolate, type Motion, type Point } from "../clients/js/dead-reckoning.ts";
import { ClientMessage } from "../clients/js/message-names.ts";
import { trackSelf } from "../clients/js/self-state.ts";
import { MsHistogram } from "./bot.ts";

/** Inputs remembered per room: 6.4 s at 10 Hz, longer than any gap between two corrections. */
const RING = 64;
/** Own-position samples are compared this far apart to tell a moving bot from a stuck one. */
const MOVE_SAMPLE_MS = 1000;
/** After asking for a portal, the hand-over takes the own entity out of this room's state. */
const HAND_OVER_MS = 10_000;

export class SdkProbe {
  /** Input-to-echo latency: `move` sent → the `self` message acknowledging that input's `seq`. */
  readonly echo = new MsHistogram();
  /** Patches checked for the own entity. */
  positionChecks = 0;
  /**
   * Patches without the own entity once it had been seen (outside a portal hand-over), or with a
   * non-finite position.
   */
  positionErrors = 0;
  /** One-second samples of the own position: moved, or not (blocked by a wall, dead, …). */
  movedSamples = 0;
  stillSamples = 0;

  /** Watches one room (pass as the generator's `onRoom`). */
  attach(room: Room): void {
    const seqs = new Int32Array(RING).fill(-1);
    const sentAt = new Float64Array(RING);
    let portalAskedAt = -Infinity;
    const send = room.send.bind(room) as (type: string, payload?: unknown) => void;
    (room as { send: (type: string, payload?: unknown) => void }).send = (type, payload) => {
      const seq = (payload as { seq?: unknown } | undefined)?.seq;
      if (type === ClientMessage.move && typeof seq === "number") {
        seqs[seq % RING] = seq;
        sentAt[seq % RING] = performance.now();
      } else if (type === ClientMessage.portal) portalAskedAt = performance.now();
      send(type, payload);
    };
    let lastAck = -1;
    trackSelf(room, (self) => {
      const ack = self.ackSeq;
      if (ack <= lastAck) return;
      if (seqs[ack % RING] === ack) this.echo.add(performance.now() - sentAt[ack % RING]!);
      lastAck = ack;
    });
    let seen = false;
    let sample: { at: number; x: number; y: number } | undefined;
    const at: Point = { x: 0, y: 0 };
    room.onStateChange(() => {
      const state = room.state as { tick?: number; entities?: Map<string, Motion> } | undefined;
      const own = state?.entities?.get(room.sessionId);
      this.positionChecks += 1;
      if (!own) {
        if (seen && performance.now() - portalAskedAt > HAND_OVER_MS) this.positionErrors += 1;
        return;
      }
      seen = true;
      const now = performance.now();
      extrapolate(own, state?.tick ?? 0, at);
      if (!Number.isFinite(at.x) || !Number.isFinite(at.y)) {
        this.positionErrors += 1;
        return;
      }
      if (!sample) sample = { at: now, x: at.x, y: at.y };
      else if (now - sample.at >= MOVE_SAMPLE_MS) {
        if (Math.hypot(at.x - sample.x, at.y - sample.y) > 1) this.movedSamples += 1;
        else this.stillSamples += 1;
        sample = { at: now, x: at.x, y: at.y };
      }
    });
  }

  /** Figures since the last reset. */
  report() {
    const samples = this.movedSamples + this.stillSamples;
    return {
      echoP50Ms: this.echo.quantile(0.5),
      echoP99Ms: this.echo.quantile(0.99),
      echoSamples: this.echo.total,
      positionChecks: this.positionChecks,
      positionErrors: this.positionErrors,
      movingFraction: samples > 0 ? Math.round((this.movedSamples / samples) * 100) / 100 : null,
    };
  }

  reset(): void {
    this.echo.reset();
    this.positionChecks = 0;
    this.positionErrors = 0;
    this.movedSamples = 0;
    this.stillSamples = 0;
  }
}
