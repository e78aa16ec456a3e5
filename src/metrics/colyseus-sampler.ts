import { matchMaker } from "@colyseus/core";

/**
 * Scrape-time readers of this process's Colyseus state, for `createMetrics({ sample })`:
 * CCU from the matchmaker's local stats, rooms counted by room name from the driver.
 */
export function colyseusSampler() {
  return {
    ccu: () => matchMaker.stats.local.ccu,
    roomsByType: async () => {
      const rooms = await matchMaker.query({ processId: matchMaker.processId });
      const counts: Record<string, number> = {};
      for (const room of rooms) counts[room.name] = (counts[room.name] ?? 0) + 1;
      return counts;
    },
  };
}
