import assert from "node:assert/strict";
import { pickGuildHeir } from "./guild-succession.ts";

describe("pickGuildHeir", () => {
  it("picks the longest-serving officer over older members", () => {
    const heir = pickGuildHeir([
      { characterId: "m1", rank: "member", joinedAtMs: 1 },
      { characterId: "o2", rank: "officer", joinedAtMs: 30 },
      { characterId: "o1", rank: "officer", joinedAtMs: 20 },
    ]);
    assert.equal(heir, "o1");
  });

  it("picks the longest-serving member when there is no officer, the lower id on a tie", () => {
    const heir = pickGuildHeir([
      { characterId: "b", rank: "member", joinedAtMs: 5 },
      { characterId: "a", rank: "member", joinedAtMs: 5 },
      { characterId: "c", rank: "member", joinedAtMs: 9 },
    ]);
    assert.equal(heir, "a");
  });

  it("returns null when nobody but a leader is left", () => {
    assert.equal(pickGuildHeir([]), null);
    assert.equal(pickGuildHeir([{ characterId: "x", rank: "leader", joinedAtMs: 1 }]), null);
  });
});
