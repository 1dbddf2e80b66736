import Database from 'better-sqlite3';
import jwt from 'jsonwebtoken';
import { join } from 'node:path';
import { ManualClock } from '../../../server/core/clock';
import { DATABASE_FILE } from '../../../server/server';
import { startTestServer, TestServer } from '../../support/test-server';

interface Answer {
  status: number;
  body: any;
}

/**
 * Bad input, table-driven: each case gets its 4xx and stable code, the server stays up,
 * and no user row is half-written.
 */
describe('ticket routes', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let confirmedLogins = 0;

  beforeAll(async () => {
    server = await startTestServer({}, clock);
  });

  afterAll(async () => {
    await server.close();
  });

  async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const json = (value: unknown) => JSON.stringify(value);

  async function ticket() {
    const { body } = await send('POST', '/api/login/tickets');
    return { id: body.ticketId as string, secret: body.secret as string, path: `/api/login/tickets/${body.ticketId}` };
  }

  async function scanned() {
    const t = await ticket();
    const { body } = await send('POST', `${t.path}/scan`, '{}');
    return { ...t, scanToken: body.scanToken as string };
  }

  async function code(user = 'alice'): Promise<string> {
    return (await send('POST', '/__wechat__/sim/login', json({ user }))).body.code;
  }

  async function confirmed() {
    const t = await scanned();
    const answer = await send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: await code() }));
    expect(answer.status).toBe(200);
    confirmedLogins++;
    return t;
  }

  type Case = [name: string, request: () => Promise<Answer>, status: number, code: string];

  const cases: Case[] = [
    ['malformed JSON', async () => send('POST', `${(await ticket()).path}/scan`, '{bad'), 400, 'INVALID_JSON'],
    ['a wrong type', async () => send('POST', `${(await ticket()).path}/scan`, json({ launchScene: '1047' })), 400, 'INVALID_REQUEST'],
    ['an array body', async () => send('POST', `${(await scanned()).path}/confirm`, '[1,2]'), 400, 'INVALID_REQUEST'],
    ['a confirm without code', async () => {
      const t = await scanned();
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken }));
    }, 400, 'INVALID_REQUEST'],
    ['a numeric scanToken', async () => send('POST', `${(await scanned()).path}/confirm`, json({ scanToken: 5, code: 'x' })), 400, 'INVALID_REQUEST'],
    ['a javascript: avatar', async () => {
      const t = await scanned();
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: 'x', profile: { avatarUrl: 'javascript:alert(1)' } }));
    }, 400, 'INVALID_REQUEST'],
    ['a nickname with a NUL in it', async () => {
      const t = await scanned();
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: 'x', profile: { nickname: 'al\u0000ice' } }));
    }, 400, 'INVALID_REQUEST'],
    ['a body over 16 KB', async () => {
      const t = await scanned();
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: 'x'.repeat(17 * 1024) }));
    }, 413, 'PAYLOAD_TOO_LARGE'],
    ['a malformed body on a ticket in the wrong state', async () => {
      const t = await confirmed();
      return send('POST', `${t.path}/cancel`, '{bad');
    }, 400, 'INVALID_JSON'],
    ['an unknown ticket', async () => send('POST', '/api/login/tickets/AAAAAAAAAAAAAAAAAAAAAA/scan', '{}'), 404, 'TICKET_NOT_FOUND'],
    ['a scene with bad characters', async () => send('POST', '/api/login/tickets/abc%25def!/scan', '{}'), 404, 'TICKET_NOT_FOUND'],
    ['polling without the secret', async () => send('GET', (await ticket()).path), 401, 'SECRET_INVALID'],
    ['polling with a wrong secret', async () => send('GET', (await ticket()).path, undefined, { authorization: 'Bearer nope' }), 401, 'SECRET_INVALID'],
    ['a missing scanToken', async () => send('POST', `${(await scanned()).path}/confirm`, json({ code: 'x' })), 403, 'SCAN_TOKEN_INVALID'],
    ['a wrong scanToken', async () => send('POST', `${(await scanned()).path}/cancel`, json({ scanToken: 'wrong' })), 403, 'SCAN_TOKEN_INVALID'],
    ['a second scanner', async () => send('POST', `${(await scanned()).path}/scan`, '{}'), 409, 'TICKET_ALREADY_SCANNED'],
    ['a confirm before any scan', async () => send('POST', `${(await ticket()).path}/confirm`, json({ scanToken: 'x', code: 'x' })), 409, 'TICKET_NOT_SCANNED'],
    ['a second confirm', async () => {
      const t = await confirmed();
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: await code() }));
    }, 409, 'TICKET_ALREADY_CONFIRMED'],
    ['a confirm after cancel', async () => {
      const t = await scanned();
      await send('POST', `${t.path}/cancel`, json({ scanToken: t.scanToken }));
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: await code() }));
    }, 409, 'TICKET_CANCELLED'],
    ['a scan of a used ticket', async () => {
      const t = await confirmed();
      await send('GET', t.path, undefined, { authorization: `Bearer ${t.secret}` });
      return send('POST', `${t.path}/scan`, '{}');
    }, 410, 'TICKET_CONSUMED'],
    ['an expired ticket', async () => {
      const t = await scanned();
      clock.advance(121_000);
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: await code() }));
    }, 410, 'TICKET_EXPIRED'],
    ['a replayed WeChat code', async () => {
      const spent = await code();
      const first = await scanned();
      await send('POST', `${first.path}/confirm`, json({ scanToken: first.scanToken, code: spent }));
      confirmedLogins++;
      const second = await scanned();
      return send('POST', `${second.path}/confirm`, json({ scanToken: second.scanToken, code: spent }));
    }, 400, 'WECHAT_CODE_INVALID'],
    ['a made-up WeChat code', async () => {
      const t = await scanned();
      return send('POST', `${t.path}/confirm`, json({ scanToken: t.scanToken, code: 'made-up' }));
    }, 400, 'WECHAT_CODE_INVALID'],
    ['/api/me without a token', async () => send('GET', '/api/me'), 401, 'TOKEN_INVALID'],
    ['/api/me with a token of another key', async () => {
      const forged = jwt.sign({}, 'another-secret-entirely-of-enough-length', { subject: 'x', algorithm: 'HS256' });
      return send('GET', '/api/me', undefined, { authorization: `Bearer ${forged}` });
    }, 401, 'TOKEN_INVALID'],
    ['/api/me with an unsigned ("alg": "none") token', async () => {
      const unsigned = jwt.sign({ sub: 'x' }, '', { algorithm: 'none' });
      return send('GET', '/api/me', undefined, { authorization: `Bearer ${unsigned}` });
    }, 401, 'TOKEN_INVALID'],
    ['an unknown path', async () => send('GET', '/api/nothing-here'), 404, 'NOT_FOUND'],
    ['a wrong method', async () => send('DELETE', '/api/login/tickets'), 405, 'METHOD_NOT_ALLOWED'],
  ];

  it.each(cases)('answers %s with %i %s', async (_, request, status, code) => {
    const answer = await request();
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
    expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('names the methods a path takes in `Allow` when it refuses one', async () => {
    const response = await fetch(`${server.url}/api/login/tickets`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    const unknown = await fetch(`${server.url}/healthz`, { method: 'PROPFIND' });
    expect(unknown.status).toBe(405);
    expect(unknown.headers.get('allow')).toMatch(/GET/);
  });

  it('is still up afterwards, with exactly one user row per successful confirm and nothing else', async () => {
    expect((await send('GET', '/healthz')).status).toBe(200);
    const db = new Database(join(server.dataDir, DATABASE_FILE), { readonly: true });
    try {
      const audit = db.prepare('SELECT COUNT(*) AS n FROM login_audit').get() as { n: number };
      const users = db.prepare('SELECT COUNT(*) AS n FROM users WHERE openid IS NULL OR id IS NULL').get() as { n: number };
      expect(audit.n).toBe(confirmedLogins);
      expect(users.n).toBe(0);
    } finally {
      db.close();
    }
  });
});
