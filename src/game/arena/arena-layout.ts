/** Where arena teams stand when a match begins. */

/** Distance (units) between the two teams' lines: a few steps apart, out of melee range. */
export const TEAM_GAP = 256;
/** Distance (units) between team mates. */
const MATE_GAP = 80;

/** The start point of member `index` of `team` in `teamSize`, around the arena's spawn point. */
export function startPointOf(
  arena: { spawn: { x: number; y: number } },
  team: number,
  index: number,
  teamSize: number,
): { x: number; y: number } {
  const side = team === 0 ? -1 : 1;
  const offset = (index - (teamSize - 1) / 2) * MATE_GAP;
  return { x: arena.spawn.x + (side * TEAM_GAP) / 2, y: arena.spawn.y + offset };
}
