/**
 * The last `capacity` message ids delivered to one session: a set with ring eviction. A message
 * can reach a room twice (straight from its channel and from the held list after a portal).
 */
export class RecentIds {
  private readonly ring: (string | undefined)[];
  private readonly present = new Set<string>();
  private next = 0;

  constructor(capacity = 256) {
    this.ring = new Array<string | undefined>(capacity);
  }

  /** Records `id`; false when it was already recorded (a duplicate). */
  add(id: string): boolean {
    if (this.present.has(id)) return false;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.present.delete(evicted);
    this.ring[this.next] = id;
    this.present.add(id);
    this.next = (this.next + 1) % this.ring.length;
    return true;
  }

  has(id: string): boolean {
    return this.present.has(id);
  }
}
