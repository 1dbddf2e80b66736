import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { type LoginClientOptions, type WebSocketLike } from '../../../web/src/client';
import { startTestServer, type TestServer } from '../../support/test-server';
import { PhoneSide } from '../../support/phone-side';
import { tempDir } from '../../support/temp-dir';
import type { EventLog } from './event-log';
import { TestClients } from './test-clients';
import { waitUntil } from './wait-until';

/**
 * The client against a server that stops (closing every socket with 1012, as on SIGTERM)
 * and comes back on the same port and DATA_DIR, where the ticket survived.
 */
describe('LoginClient across a server restart', () => {
  let dataDir: ReturnType<typeof tempDir>;
  let server: TestServer | null;
  let port: string;
  const clients = new TestClients();

  beforeEach(async () => {
    dataDir = tempDir('mp-scan-login-restart-');
    server = await startTestServer({ DATA_DIR: dataDir.path });
    port = new URL(server.url).port;
  });
  afterEach(async () => {
    clients.stopAll();
    await server?.close();
    dataDir.remove();
  });

  function started(options: Partial<LoginClientOptions> = {}): EventLog {
    const { client, log } = clients.create(server!.url, options);
    client.start();
    return log;
  }

  async function stop(): Promise<void> {
    await server!.close();
    server = null;
  }

  /** A new server on the same port, over the same DATA_DIR (or an empty one: a lost store). */
  async function restart(env: Record<string, string> = { DATA_DIR: dataDir.path }): Promise<TestServer> {
    server = await startTestServer({ PORT: port, ...env });
    return server;
  }

  it('says the server is away within a second, keeps trying, and logs in once it is back', async () => {
    const log = started();
    const { ticketId } = await log.waitFor('ticket');
    const scanToken = await new PhoneSide(server!.url).scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');

    const stoppedAt = Date.now();
    await stop();
    await log.waitFor('reachability', (e) => !e.reachable);
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    // Far more failed tries than any give-up limit; the ticket's expiry is the only bound.
    await sleep(2000);
    expect(log.of('error')).toEqual([]);

    const back = await restart();
    await log.waitFor('reachability', (e) => e.reachable);
    await new PhoneSide(back.url).confirm(ticketId, { scanToken });
    await log.waitFor('confirmed');
    expect(log.statuses()).toEqual(['pending', 'scanned', 'confirmed']);
    // Polling carried it through the outage; the server's return brought ws back.
    expect(log.of('transport').map((e) => e.transport)).toEqual(['websocket', 'polling', 'websocket']);
    expect(log.of('reachability')).toEqual([{ reachable: false }, { reachable: true }]);
  });

  it('does not count the restart close (1012) toward switching to polling', async () => {
    // One failed connection would switch to polling; the restart's own close must not.
    const log = started({ webSocketFailureLimit: 1, reconnectDelayMs: 600, maxReconnectDelayMs: 600 });
    const { ticketId } = await log.waitFor('ticket');
    // `scanned` comes over the socket: it is subscribed when the server stops.
    const scanToken = await new PhoneSide(server!.url).scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');
    await stop();
    const back = await restart();
    // Past the reconnect (at most 600 ms), so the login comes over the new socket.
    await sleep(800);
    await new PhoneSide(back.url).confirm(ticketId, { scanToken });
    await log.waitFor('confirmed');
    expect(log.of('transport')).toEqual([{ transport: 'websocket' }]);
    expect(log.of('reachability')).toEqual([]);
  });

  it('polls through the outage where there is no WebSocket', async () => {
    const log = started({ WebSocket: null });
    const { ticketId } = await log.waitFor('ticket');
    await stop();
    await log.waitFor('reachability', (e) => !e.reachable);
    await sleep(1500);
    const back = await restart();
    await log.waitFor('reachability', (e) => e.reachable);
    await new PhoneSide(back.url).confirm(ticketId);
    await log.waitFor('confirmed');
    expect(log.of('error')).toEqual([]);
  });

  it('takes a 4404 as final once polling says 404 too (the restarted server lost the ticket)', async () => {
    const log = started();
    const { ticketId } = await log.waitFor('ticket');
    await new PhoneSide(server!.url).scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');
    const emptyDir = tempDir('mp-scan-login-empty-');
    try {
      await stop();
      await restart({ DATA_DIR: emptyDir.path });
      const error = await log.waitFor('error');
      expect(error.code).toBe('TICKET_NOT_FOUND');
      expect(log.of('transport').map((e) => e.transport)).toContain('polling');
    } finally {
      await stop();
      emptyDir.remove();
    }
  });

  it('goes on after a 4404 that polling contradicts', async () => {
    const log = started({ WebSocket: OneSpuriousUnknownTicket });
    const { ticketId } = await log.waitFor('ticket');
    // Polling finds the ticket, and ws gets its chance back.
    await waitUntil(() => log.of('transport').length === 3);
    await new PhoneSide(server!.url).confirm(ticketId);
    await log.waitFor('confirmed');
    expect(log.of('error')).toEqual([]);
    expect(log.of('transport').map((e) => e.transport)).toEqual(['websocket', 'polling', 'websocket']);
  });
});

let spuriousCloses = 0;

/**
 * A WebSocket whose first connection is closed with 4404, as by a server (a fresh
 * instance, say) that does not have the ticket yet; every later one is real.
 */
class OneSpuriousUnknownTicket implements WebSocketLike {
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;

  constructor(url: string) {
    // A constructor may hand back another object: from the second call on, the real one.
    if (spuriousCloses++ > 0) return new WebSocket(url) as unknown as OneSpuriousUnknownTicket;
    setTimeout(() => this.onclose?.({ code: 4404, reason: 'unknown ticket' }), 10);
  }

  send(): void {}

  close(): void {}
}
