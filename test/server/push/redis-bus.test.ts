import type { RedisClientType } from 'redis';
import type { Ticket } from '../../../server/core/ticket';
import { RedisBus, type RedisBusOptions } from '../../../server/push/redis-bus';
import { CLOSE_REPLACED } from '../../../server/push/push-hub';
import type { RedisConnection } from '../../../server/stores/redis-connection';
import { until } from '../../support/server-process';
import { describeWithRedis, openTestRedis, silentLog, uniquePrefix } from '../../support/redis';
import { RecordingSocket, twoInstances } from './two-instances';

describeWithRedis('RedisBus', () => {
  const prefix = uniquePrefix();
  let connection: RedisConnection;
  const subscribers: RedisClientType[] = [];

  /** An instance's bus: its own subscriber connection, the shared publisher. */
  async function bus(options?: RedisBusOptions): Promise<RedisBus> {
    const subscriber = connection.client.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    subscribers.push(subscriber);
    return RedisBus.start(connection.client, subscriber, prefix, silentLog, options);
  }

  /** What crosses the channel of ticket changes, as a third party subscribed to it hears it. */
  async function listen(): Promise<{ seen: string[]; quit: () => Promise<unknown> }> {
    const listener = connection.client.duplicate();
    await listener.connect();
    const seen: string[] = [];
    await listener.subscribe(`${prefix}ticket-events`, (message) => seen.push(message));
    return { seen, quit: () => listener.quit() };
  }

  beforeAll(async () => {
    connection = await openTestRedis(prefix);
  });

  afterAll(async () => {
    await Promise.all(subscribers.map((subscriber) => subscriber.quit()));
    await connection.close();
  });

  it('carries a change made on one instance to the socket waiting on the other', async () => {
    const instances = twoInstances(await bus(), await bus());
    const { ticket } = await instances.a.service.create(instances.requester);
    const page = new RecordingSocket();
    await instances.a.hub.subscribe(page, ticket);
    await instances.b.service.scan(ticket.id);
    await until(() => page.statuses().includes('scanned'), 5000);
    expect(page.statuses()).toEqual(['pending', 'scanned']);
    await instances.close();
  });

  it('replaces the socket on the other instance (4409) when the ticket is subscribed again', async () => {
    const instances = twoInstances(await bus(), await bus());
    const { ticket } = await instances.a.service.create(instances.requester);
    const first = new RecordingSocket();
    await instances.a.hub.subscribe(first, ticket);
    await instances.b.hub.subscribe(new RecordingSocket(), ticket);
    await until(() => first.closed !== undefined, 5000);
    expect(first.closed).toEqual({ code: CLOSE_REPLACED, reason: 'replaced' });
    await instances.close();
  });

  it('tells its own subscribers at once, carries only the ticket id and status, and ignores what is not its message', async () => {
    const { seen, quit } = await listen();
    const receiver = await bus();
    const received: unknown[] = [];
    receiver.subscribe((event) => received.push(event));
    await connection.client.publish(`${prefix}ticket-events`, 'not json');
    await connection.client.publish(`${prefix}ticket-events`, JSON.stringify({ ticketId: 'x', status: 'owned' }));
    const ticket = { id: 'abc' } as Ticket;
    await receiver.publish({ ticketId: 'abc', status: 'confirmed', ticket });
    await until(() => received.length === 2 && seen.length === 3, 5000);
    // Its own subscribers first, with the ticket; then the echo, which carries only what crossed.
    expect(received).toEqual([
      { ticketId: 'abc', status: 'confirmed', ticket },
      { ticketId: 'abc', status: 'confirmed' },
    ]);
    expect(JSON.parse(seen[2])).toEqual({ ticketId: 'abc', status: 'confirmed' });
    await quit();
  });

  it('with a store that announces changes, tells only its own subscribers and sends nothing itself', async () => {
    const { seen, quit } = await listen();
    const quiet = await bus({ storeAnnounces: true });
    const received: unknown[] = [];
    quiet.subscribe((event) => received.push(event));
    const ticket = { id: 'def' } as Ticket;
    await quiet.publish({ ticketId: 'def', status: 'scanned', ticket });
    await connection.client.publish(`${prefix}ticket-events`, JSON.stringify({ ticketId: 'def', status: 'confirmed' }));
    await until(() => seen.length === 1 && received.length === 2, 5000);
    expect(received).toEqual([
      { ticketId: 'def', status: 'scanned', ticket },
      { ticketId: 'def', status: 'confirmed' },
    ]);
    expect(JSON.parse(seen[0])).toEqual({ ticketId: 'def', status: 'confirmed' });
    await quit();
  });
});
