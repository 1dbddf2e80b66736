import { ManualClock } from '../../../server/core/clock';
import { startTestServer, TestServer } from '../../support/test-server';

describe('rateLimit', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '3' }, clock);
  });

  afterAll(async () => {
    await server.close();
  });

  const create = () => fetch(`${server.url}/api/login/tickets`, { method: 'POST' });

  it('answers 429 RATE_LIMITED with Retry-After past the per-IP budget, and resets after a minute', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await create()).status);
    expect(statuses).toEqual([201, 201, 201]);

    const refused = await create();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });

    clock.advance(60_000);
    expect((await create()).status).toBe(201);
  });

  it('does not count polling, which a waiting page does every few seconds', async () => {
    clock.advance(60_000);
    const { ticketId, secret } = await (await create()).json();
    for (let i = 0; i < 5; i++) {
      const poll = await fetch(`${server.url}/api/login/tickets/${ticketId}`, { headers: { authorization: `Bearer ${secret}` } });
      expect(poll.status).toBe(200);
    }
  });
});
