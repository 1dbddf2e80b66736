import pino from 'pino';
import { systemClock } from '../../../server/core/clock';
import type { EventBus } from '../../../server/core/event-bus';
import { LoginService } from '../../../server/core/login-service';
import { cryptoRandom } from '../../../server/core/random';
import { PushHub, type PushSocket, type StatusMessage } from '../../../server/push/push-hub';
import { MemoryTicketStore } from '../../../server/stores/memory-ticket-store';
import type { UserStore } from '../../../server/stores/user-store';

/** A page's socket as the hub sees it, recording what it was sent and how it was closed. */
export class RecordingSocket implements PushSocket {
  readonly messages: StatusMessage[] = [];
  closed?: { code: number; reason: string };
  get isOpen(): boolean {
    return this.closed === undefined;
  }
  send(message: StatusMessage): void {
    this.messages.push(message);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  statuses(): string[] {
    return this.messages.map((message) => message.status);
  }
}

const noUsers: UserStore = {
  upsert: () => Promise.reject(new Error('no confirms in these tests')),
  findById: async () => undefined,
  recordLogin: async () => undefined,
};

/**
 * Two instances as far as pushing goes: each its own LoginService and PushHub on its own
 * bus, both on one shared ticket store (what Redis is to real instances). Scans and
 * cancels need no WeChat, so they drive the changes.
 */
export function twoInstances(busA: EventBus, busB: EventBus) {
  const tickets = new MemoryTicketStore(systemClock);
  const log = pino({ level: 'silent' });
  const instance = (bus: EventBus) => {
    const service = new LoginService({
      tickets,
      users: noUsers,
      wechat: { code2Session: () => Promise.reject(new Error('unused')) },
      issueToken: async () => 'unused',
      bus,
      clock: systemClock,
      random: cryptoRandom,
      ticketTtlMs: 60_000,
      retainMs: 60_000,
      redeliveryMs: 0,
    });
    return { service, hub: new PushHub(service, bus, systemClock, log) };
  };
  const a = instance(busA);
  const b = instance(busB);
  return {
    a,
    b,
    requester: { ip: '203.0.113.9', userAgent: 'test' },
    async close() {
      a.hub.close();
      b.hub.close();
      await tickets.close();
    },
  };
}
