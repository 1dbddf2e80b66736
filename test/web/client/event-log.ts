import type { LoginClient, LoginEvents } from '../../../web/src/client';

type Entry = { [K in keyof LoginEvents]: { type: K; event: LoginEvents[K] } }[keyof LoginEvents];

const TYPES: (keyof LoginEvents)[] = ['resumable', 'ticket', 'status', 'transport', 'reachability', 'confirmed', 'error'];

/** Records everything a LoginClient emits, in order, and waits for what is yet to come. */
export class EventLog {
  readonly entries: Entry[] = [];
  private waiters: (() => void)[] = [];

  constructor(client: LoginClient) {
    for (const type of TYPES) {
      client.on(type, (event) => {
        this.entries.push({ type, event } as Entry);
        for (const wake of this.waiters) wake();
      });
    }
  }

  /** The events of one type, in order. */
  of<K extends keyof LoginEvents>(type: K): LoginEvents[K][] {
    return this.entries.filter((entry) => entry.type === type).map((entry) => entry.event as LoginEvents[K]);
  }

  statuses(): string[] {
    return this.of('status').map((event) => event.status);
  }

  /** The first event of `type` that matches, already emitted or still to come. */
  async waitFor<K extends keyof LoginEvents>(
    type: K,
    matches: (event: LoginEvents[K]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<LoginEvents[K]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.of(type).find(matches);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching '${String(type)}' event within ${timeoutMs} ms; saw ${JSON.stringify(this.entries.map((e) => e.type))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
      };
      const wake = () => void check();
      if (!check()) this.waiters.push(wake);
    });
  }
}
