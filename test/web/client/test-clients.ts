import WebSocket from 'ws';
import { LoginClient, type LoginClientOptions } from '../../../web/src/client';
import { EventLog } from './event-log';

/**
 * The LoginClients a test file makes, with retries fast enough for tests, each with an
 * EventLog; `stopAll()` in afterEach stops what a test left running.
 */
export class TestClients {
  private readonly clients: LoginClient[] = [];

  create(baseUrl: string, options: Partial<LoginClientOptions> = {}): { client: LoginClient; log: EventLog } {
    const client = new LoginClient({
      baseUrl,
      WebSocket,
      pollIntervalMs: 100,
      reconnectDelayMs: 50,
      maxReconnectDelayMs: 200,
      ...options,
    });
    this.clients.push(client);
    return { client, log: new EventLog(client) };
  }

  stopAll(): void {
    for (const client of this.clients.splice(0)) client.stop();
  }
}
