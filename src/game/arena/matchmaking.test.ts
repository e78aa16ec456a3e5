import { strict as assert } from "node:assert";
import { canPair, pairTickets, ratingWindow, type QueueTicket } from "./matchmaking.ts";

const t = (id: string, rating: number, queuedAtMs = 0): QueueTicket => ({ id, rating, queuedAtMs });
const ids = (pairs: [QueueTicket, QueueTicket][]) => pairs.map(([a, b]) => `${a.id}-${b.id}`);

describe("arena matchmaking", () => {
  it("accepts ±100 at once, 50 more every 5 s waited, at most ±500", () => {
    assert.equal(ratingWindow(0), 100);
    assert.equal(ratingWindow(4_999), 100);
    assert.equal(ratingWindow(5_000), 150);
    assert.equal(ratingWindow(20_000), 300);
    assert.equal(ratingWindow(40_000), 500);
    assert.equal(ratingWindow(3_600_000), 500);
    assert.equal(ratingWindow(-5), 100);
  });

  it("judges a pair by the window of the ticket that waited longer", () => {
    const old = t("old", 1500, 0);
    const fresh = t("fresh", 1720, 19_000);
    // 220 apart: the fresh ticket alone accepts ±100, the old one ±250 after 19 s.
    assert.equal(canPair(old, fresh, 19_000), true);
    assert.equal(canPair(fresh, old, 19_000), true);
    assert.equal(canPair(old, fresh, 14_999), false);
  });

  it("pairs the closest ratings first", () => {
    const pairs = pairTickets([t("a", 1500), t("b", 1590), t("c", 1610)], 0);
    assert.deepEqual(ids(pairs), ["b-c"]);
  });

  it("leaves a ticket waiting until its window reaches the nearest rating", () => {
    const tickets = [t("a", 1500, 0), t("b", 1800, 0)];
    assert.deepEqual(pairTickets(tickets, 0), []);
    assert.deepEqual(pairTickets(tickets, 19_999), []);
    assert.deepEqual(ids(pairTickets(tickets, 20_000)), ["a-b"]);
  });

  it("never pairs beyond the cap and pairs every ticket at most once", () => {
    const far = [t("a", 1000), t("b", 1501)];
    assert.deepEqual(pairTickets(far, 3_600_000), []);
    const many = Array.from({ length: 9 }, (_, i) => t(`p${i}`, 1500 + i * 10));
    const pairs = pairTickets(many, 0);
    assert.equal(pairs.length, 4);
    const seen = pairs.flat().map((x) => x.id);
    assert.equal(new Set(seen).size, seen.length);
  });

  it("puts the longer waiter first in a pair", () => {
    const pairs = pairTickets([t("late", 1500, 9), t("early", 1500, 1)], 10);
    assert.deepEqual(ids(pairs), ["early-late"]);
  });
});
