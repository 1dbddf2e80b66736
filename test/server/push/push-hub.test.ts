import type { TicketEvent } from '../../../server/core/event-bus';
import { InProcessBus } from '../../../server/push/in-process-bus';
import { CLOSE_REPLACED } from '../../../server/push/push-hub';
import { until } from '../../support/server-process';
import { RecordingSocket, twoInstances } from './two-instances';

/** A bus carrying what a shared one carries between instances: the id and the status, never the ticket. */
class WireBus extends InProcessBus {
  override publish(event: TicketEvent): Promise<void> {
    return super.publish({ ticketId: event.ticketId, status: event.status });
  }
}

describe('PushHub', () => {
  let bus: InProcessBus;
  let instances: ReturnType<typeof twoInstances>;

  beforeEach(() => {
    bus = new InProcessBus();
    instances = twoInstances(bus, bus);
  });

  afterEach(() => instances.close());

  it('sends the snapshot at once, then each change, to the socket waiting for the ticket', async () => {
    const { a, requester } = instances;
    const { ticket } = await a.service.create(requester);
    const page = new RecordingSocket();
    await a.hub.subscribe(page, ticket);
    const { scanToken } = await a.service.scan(ticket.id);
    await a.service.cancel(ticket.id, scanToken);
    await until(() => page.statuses().length === 3, 5000);
    expect(page.statuses()).toEqual(['pending', 'scanned', 'cancelled']);
  });

  it('pushes a change made through another instance to the instance holding the socket', async () => {
    const { a, b, requester } = instances;
    const { ticket } = await a.service.create(requester);
    const page = new RecordingSocket();
    await a.hub.subscribe(page, ticket);
    await b.service.scan(ticket.id);
    await until(() => page.statuses().includes('scanned'), 5000);
  });

  it("sends another instance's scan as heard on the bus, without reading the ticket", async () => {
    await instances.close();
    const wire = new WireBus();
    instances = twoInstances(wire, wire);
    const { a, b, requester } = instances;
    const { ticket } = await a.service.create(requester);
    const page = new RecordingSocket();
    await a.hub.subscribe(page, ticket);
    const reads = jest.spyOn(a.service, 'find');
    await b.service.scan(ticket.id);
    await until(() => page.statuses().includes('scanned'), 5000);
    expect(reads).not.toHaveBeenCalled();
    expect(page.messages[1]).toEqual({ type: 'status', status: 'scanned', expiresAt: new Date(ticket.expiresAt).toISOString() });
  });

  it('closes the socket on one instance with 4409 when the ticket is subscribed on another', async () => {
    const { a, b, requester } = instances;
    const { ticket } = await a.service.create(requester);
    const first = new RecordingSocket();
    await a.hub.subscribe(first, ticket);
    const second = new RecordingSocket();
    await b.hub.subscribe(second, ticket);
    expect(first.closed).toEqual({ code: CLOSE_REPLACED, reason: 'replaced' });
    expect(second.closed).toBeUndefined();
    await b.service.scan(ticket.id);
    await until(() => second.statuses().includes('scanned'), 5000);
    expect(first.statuses()).toEqual(['pending']);
    expect(a.hub.size).toBe(0);
  });
});
