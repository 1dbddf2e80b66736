/** How often the pinger wakes at most; each wake handles one of the interval's slices. */
const TICK_MS = 250;

/**
 * Calls `ping` for every member once per `intervalMs`, spread over the interval.
 *
 * Pinging 10,000 sockets in one sweep blocked the event loop for 370 ms. Members are
 * instead dealt round-robin into one slice per tick, and each tick handles one slice, so
 * a member is visited exactly once an interval (never more often, however few there
 * are) and the work is spread a few ms at a time.
 */
export class Pinger<T> {
  private readonly slices: Set<T>[];
  private readonly sliceOf = new Map<T, Set<T>>();
  private next = 0;
  private dealt = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number, ping: (member: T) => void) {
    // The ticks must add up to the interval exactly, or a member is visited too often.
    const count = Math.ceil(intervalMs / TICK_MS);
    const tickMs = intervalMs / count;
    this.slices = Array.from({ length: count }, () => new Set<T>());
    this.timer = setInterval(() => {
      const slice = this.slices[this.next];
      this.next = (this.next + 1) % count;
      for (const member of [...slice]) ping(member);
    }, tickMs);
    this.timer.unref();
  }

  add(member: T): void {
    const slice = this.slices[this.dealt++ % this.slices.length];
    slice.add(member);
    this.sliceOf.set(member, slice);
  }

  delete(member: T): void {
    this.sliceOf.get(member)?.delete(member);
    this.sliceOf.delete(member);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
