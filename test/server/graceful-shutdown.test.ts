import { PhoneSide } from '../support/phone-side';
import { startServerProcess, ServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp-dir';
import { WsClient } from '../support/ws-client';

/**
 * SIGTERM over real processes: the contract's drain, then a new process on the same
 * DATA_DIR and port picks up every waiting login.
 */
describe('graceful shutdown', () => {
  let dir: ReturnType<typeof tempDir>;
  const running: ServerProcess[] = [];

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    for (const run of running.splice(0)) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    dir.remove();
  });

  const env = (port: string) => ({
    PORT: port,
    DATA_DIR: dir.path,
    LOG_LEVEL: 'info',
    JWT_SECRET: 'x'.repeat(48),
    SHUTDOWN_TIMEOUT_MS: '5000',
  });

  async function start(port = '0'): Promise<{ run: ServerProcess; url: string }> {
    const run = startServerProcess(env(port));
    running.push(run);
    return { run, url: await run.ready() };
  }

  async function post(url: string, body: object = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  it('closes a waiting page with 1012, exits 0, and a new process on the same DATA_DIR finishes its login', async () => {
    const first = await start();
    const port = new URL(first.url).port;
    const ticket = (await post(`${first.url}/api/login/tickets`)).body;
    const scan = (await post(`${first.url}/api/login/tickets/${ticket.ticketId}/scan`)).body;
    const page = await new WsClient(first.url.replace(/^http/, 'ws')).open();
    page.subscribe(ticket.ticketId, ticket.secret);
    expect(await page.message(0)).toMatchObject({ status: 'scanned' });

    first.run.child.kill('SIGTERM');
    expect(await page.closed).toEqual({ code: 1012, reason: 'service restart' });
    expect(await first.run.exited).toBe(0);

    const second = await start(port);
    const resumed = await new WsClient(second.url.replace(/^http/, 'ws')).open();
    resumed.subscribe(ticket.ticketId, ticket.secret);
    expect(await resumed.message(0)).toMatchObject({ status: 'scanned' });
    await new PhoneSide(second.url).confirm(ticket.ticketId, { scanToken: scan.scanToken });
    expect(await resumed.message(1)).toMatchObject({ status: 'confirmed', token: expect.any(String) });
    resumed.close();
  }, 120_000);

  it('lets a confirm in flight finish while /healthz says draining, and the login reaches the page after the restart', async () => {
    const first = await start();
    const port = new URL(first.url).port;
    const ticket = (await post(`${first.url}/api/login/tickets`)).body;
    const scan = (await post(`${first.url}/api/login/tickets/${ticket.ticketId}/scan`)).body;
    const { code } = (await post(`${first.url}/__wechat__/sim/login`, { user: 'grace' })).body;
    await post(`${first.url}/__wechat__/sim/faults`, { api: 'jscode2session', delayMs: 1500 });

    // A keep-alive connection opened before SIGTERM is still served while draining.
    const { Agent, request } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const health = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${first.url}/healthz`, { agent }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    expect((await health()).status).toBe(200);

    const confirming = post(`${first.url}/api/login/tickets/${ticket.ticketId}/confirm`, {
      scanToken: scan.scanToken,
      code,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.run.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const draining = await health();
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body)).toMatchObject({ status: 'draining' });

    const confirmed = await confirming;
    expect(confirmed).toMatchObject({ status: 200, body: { status: 'confirmed' } });
    expect(await first.run.exited).toBe(0);
    agent.destroy();

    const second = await start(port);
    const page = await new WsClient(second.url.replace(/^http/, 'ws')).open();
    page.subscribe(ticket.ticketId, ticket.secret);
    expect(await page.message(0)).toMatchObject({ status: 'confirmed', token: expect.any(String) });
    page.close();
  }, 120_000);
});
