import { join } from 'node:path';
import { JwtSigner } from '../../../server/auth/token-signer';
import { LoginService, LoginServiceDeps } from '../../../server/core/login-service';
import { cryptoRandom } from '../../../server/core/random';
import { AppError } from '../../../server/errors';
import type { TicketEvent } from '../../../server/core/event-bus';
import { InProcessBus } from '../../../server/push/in-process-bus';
import { MemoryTicketStore } from '../../../server/stores/memory-ticket-store';
import { SqliteAccessTokenStore } from '../../../server/stores/sqlite-access-token-store';
import { openSqlite, SqliteDatabase } from '../../../server/stores/sqlite-database';
import { SqliteUserStore } from '../../../server/stores/sqlite-user-store';
import { tempDir } from '../../support/temp-dir';
import { SimulatorHarness } from '../wechat/simulator/simulator-harness';

const TTL_MS = 120_000;
const requester = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (Macintosh) Chrome/120.0.0.0' };

/** The error code a promise rejects with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('LoginService', () => {
  let harness: SimulatorHarness;
  let dir: ReturnType<typeof tempDir>;
  let db: SqliteDatabase;
  let tickets: MemoryTicketStore;
  let service: LoginService;
  let signer: JwtSigner;
  let events: TicketEvent[];
  let deps: LoginServiceDeps;

  beforeEach(async () => {
    harness = new SimulatorHarness();
    dir = tempDir();
    db = openSqlite(join(dir.path, 'test.db'));
    tickets = new MemoryTicketStore(harness.clock);
    signer = new JwtSigner('a-test-secret-long-enough-for-hs256-signing', 3600);
    const bus = new InProcessBus();
    events = [];
    bus.subscribe((event) => events.push(event));
    const wechat = await harness.client(new SqliteAccessTokenStore(db));
    deps = {
      tickets,
      users: new SqliteUserStore(db),
      wechat,
      issueToken: async ({ user }) => signer.sign(user.id),
      bus,
      clock: harness.clock,
      random: cryptoRandom,
      ticketTtlMs: TTL_MS,
      retainMs: 600_000,
      // Strictly once unless a test is about the redelivery window.
      redeliveryMs: 0,
    };
    service = new LoginService(deps);
  });

  afterEach(async () => {
    await harness.close();
    await tickets.close();
    db.close();
    dir.remove();
  });

  async function scanned() {
    const { ticket, secret } = await service.create(requester);
    const { scanToken } = await service.scan(ticket.id, 1047);
    return { id: ticket.id, secret, scanToken };
  }

  it('creates a pending ticket whose secret is kept only as a hash', async () => {
    const { ticket, secret } = await service.create(requester);
    expect(ticket).toMatchObject({ state: 'pending', expiresAt: harness.clock.now() + TTL_MS, requester });
    expect(JSON.stringify(await tickets.get(ticket.id))).not.toContain(secret);
    await expect(service.poll(ticket.id, secret)).resolves.toEqual({ status: 'pending', expiresAt: ticket.expiresAt });
  });

  it('runs scan → confirm → token delivered exactly once, publishing each change', async () => {
    const { id, secret, scanToken } = await scanned();
    const user = await service.confirm(id, scanToken, harness.simulator.login('alice'), { nickname: 'Alice' });
    expect(user).toMatchObject({ nickname: 'Alice', avatarUrl: null });

    const first = await service.poll(id, secret);
    expect(first).toMatchObject({ status: 'confirmed', user });
    expect('token' in first && signer.verify(first.token)?.userId).toBe(user.id);
    expect(await service.poll(id, secret)).toEqual({ status: 'confirmed', expiresAt: first.expiresAt });
    expect(events.map((e) => e.status)).toEqual(['scanned', 'confirmed']);
  });

  it('hands the token to exactly one of many concurrent pollers', async () => {
    const { id, secret, scanToken } = await scanned();
    await service.confirm(id, scanToken, harness.simulator.login('bob'));
    const views = await Promise.all(Array.from({ length: 20 }, () => service.poll(id, secret)));
    expect(views.filter((view) => 'token' in view)).toHaveLength(1);
  });

  it('gives the same user to the same WeChat user on every login', async () => {
    const a = await scanned();
    const b = await scanned();
    const first = await service.confirm(a.id, a.scanToken, harness.simulator.login('carol'));
    const second = await service.confirm(b.id, b.scanToken, harness.simulator.login('carol'));
    expect(second.id).toBe(first.id);
  });

  it('lets only the first scanner own the ticket', async () => {
    const { id } = await scanned();
    expect(await codeOf(service.scan(id))).toBe('TICKET_ALREADY_SCANNED');
  });

  it('refuses confirm and cancel without the scan token, and confirm before a scan', async () => {
    const { id } = await scanned();
    expect(await codeOf(service.confirm(id, 'wrong', harness.simulator.login('alice')))).toBe('SCAN_TOKEN_INVALID');
    expect(await codeOf(service.cancel(id, 'wrong'))).toBe('SCAN_TOKEN_INVALID');
    const { ticket } = await service.create(requester);
    expect(await codeOf(service.confirm(ticket.id, 'any', 'code'))).toBe('TICKET_NOT_SCANNED');
  });

  it('refuses a second confirm without spending its WeChat code', async () => {
    const { id, scanToken } = await scanned();
    await service.confirm(id, scanToken, harness.simulator.login('alice'));
    const unspent = harness.simulator.login('alice');
    expect(await codeOf(service.confirm(id, scanToken, unspent))).toBe('TICKET_ALREADY_CONFIRMED');
    expect((await harness.jscode2session(unspent)).body.openid).toBe(harness.simulator.openidOf('alice'));
  });

  it('lets one of 20 racing confirms spend its code and write a user; the 19 other codes stay unspent', async () => {
    const { id, scanToken } = await scanned();
    const users = Array.from({ length: 20 }, (_, i) => `racer-${i}`);
    const codes = users.map((user) => harness.simulator.login(user));
    const before = harness.simulator.callCount('jscode2session');
    const results = await Promise.all(
      codes.map((code, i) => codeOf(service.confirm(id, scanToken, code, { nickname: users[i] }))),
    );
    expect(results.filter((result) => result === 'resolved')).toHaveLength(1);
    expect(new Set(results.filter((result) => result !== 'resolved'))).toEqual(new Set(['TICKET_CONFIRMING']));
    expect(harness.simulator.callCount('jscode2session') - before).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 1 });
    const winner = users[results.indexOf('resolved')];
    expect(db.prepare('SELECT nickname FROM users').get()).toEqual({ nickname: winner });
    for (const [i, code] of codes.entries()) {
      if (users[i] === winner) continue;
      expect((await harness.jscode2session(code)).body.openid).toBe(harness.simulator.openidOf(users[i]));
    }
  });

  it('refuses a cancel while a confirm holds the ticket, and lets the confirm finish past expiresAt', async () => {
    const { id, secret, scanToken } = await scanned();
    harness.clock.advance(TTL_MS - 5_000);
    harness.simulator.injectFault({ api: 'jscode2session', delayMs: 200 });
    const confirming = service.confirm(id, scanToken, harness.simulator.login('alice'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await codeOf(service.cancel(id, scanToken))).toBe('TICKET_CONFIRMING');
    harness.clock.advance(10_000);
    await expect(confirming).resolves.toMatchObject({ id: expect.any(String) });
    expect(await service.poll(id, secret)).toMatchObject({ status: 'confirmed', token: expect.any(String) });
  });

  it('lets another confirm take a reservation that lapsed (a confirm that crashed)', async () => {
    const { id, scanToken } = await scanned();
    const stale = (await tickets.get(id))!;
    await tickets.compareAndSet(
      { ...stale, version: stale.version + 1, confirming: { by: 'crashed', until: harness.clock.now() + 1000 } },
      stale.version,
      stale.expiresAt + 600_000,
    );
    expect(await codeOf(service.confirm(id, scanToken, harness.simulator.login('alice')))).toBe('TICKET_CONFIRMING');
    harness.clock.advance(1000);
    await expect(service.confirm(id, scanToken, harness.simulator.login('alice'))).resolves.toBeDefined();
  });

  it('gives the scan token owner the same ticket again when it scans with it (a reload of the confirm page)', async () => {
    const { id, scanToken } = await scanned();
    const again = await service.scan(id, 1047, scanToken);
    expect(again.scanToken).toBe(scanToken);
    expect(again.ticket.state).toBe('scanned');
    expect(await codeOf(service.scan(id, 1047, 'not-the-owner'))).toBe('TICKET_ALREADY_SCANNED');
  });

  describe('redelivery window', () => {
    beforeEach(() => {
      service = new LoginService({ ...deps, redeliveryMs: 60_000 });
    });

    it('hands the secret holder the same token again until the window has passed, then none', async () => {
      const { id, secret, scanToken } = await scanned();
      await service.confirm(id, scanToken, harness.simulator.login('alice'));
      const first = await service.poll(id, secret);
      harness.clock.advance(59_000);
      const again = await service.poll(id, secret);
      expect('token' in first && 'token' in again && again.token).toBe('token' in first && first.token);
      harness.clock.advance(1_000);
      expect(await service.poll(id, secret)).toEqual({ status: 'confirmed', expiresAt: first.expiresAt });
      expect(JSON.stringify(await tickets.get(id))).not.toContain('token" ');
      expect((await tickets.get(id))?.token).toBeUndefined();
    });

    it('measures the window from the first delivery, not from the confirm', async () => {
      const { id, secret, scanToken } = await scanned();
      await service.confirm(id, scanToken, harness.simulator.login('alice'));
      harness.clock.advance(50_000);
      await service.poll(id, secret);
      harness.clock.advance(50_000);
      expect(await service.poll(id, secret)).toHaveProperty('token');
    });

    it('never hands the token to anyone without the secret', async () => {
      const { id, secret, scanToken } = await scanned();
      await service.confirm(id, scanToken, harness.simulator.login('alice'));
      expect(await codeOf(service.poll(id, 'wrong'))).toBe('SECRET_INVALID');
      expect(await codeOf(service.poll(id, undefined))).toBe('SECRET_INVALID');
      await service.poll(id, secret);
      expect(await codeOf(service.poll(id, 'wrong'))).toBe('SECRET_INVALID');
    });

    it('gives every concurrent poller of the secret holder the same token', async () => {
      const { id, secret, scanToken } = await scanned();
      await service.confirm(id, scanToken, harness.simulator.login('bob'));
      const views = await Promise.all(Array.from({ length: 20 }, () => service.poll(id, secret)));
      const tokens = new Set(views.map((view) => ('token' in view ? view.token : 'none')));
      expect(tokens.size).toBe(1);
      expect(tokens.has('none')).toBe(false);
    });
  });

  describe('redeem', () => {
    const relyingParty = { clientId: 'shop', name: 'Example Shop', interaction: 'uid-1' };

    async function delivered() {
      const { ticket, secret } = await service.create(requester, relyingParty);
      const { scanToken } = await service.scan(ticket.id);
      await service.confirm(ticket.id, scanToken, harness.simulator.login('carol'));
      const view = await service.poll(ticket.id, secret);
      return { id: ticket.id, token: 'token' in view ? view.token : '' };
    }

    it('keeps the relying party on the ticket it logs into', async () => {
      const { ticket } = await service.create(requester, relyingParty);
      expect((await service.find(ticket.id)).relyingParty).toEqual(relyingParty);
    });

    it('gives the ticket, with its user, to the first who hands back the delivered token, and nothing after', async () => {
      const { id, token } = await delivered();
      const results = await Promise.all(Array.from({ length: 10 }, () => service.redeem(id, token)));
      const won = results.filter((ticket) => ticket !== undefined);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ id, relyingParty, userId: expect.any(String) });
      expect(await service.redeem(id, token)).toBeUndefined();
    });

    it('refuses a wrong token, an unknown ticket and a token not yet delivered, as values', async () => {
      const { id } = await delivered();
      expect(await service.redeem(id, 'not-the-token')).toBeUndefined();
      expect(await service.redeem('AAAAAAAAAAAAAAAAAAAAAA', 'x')).toBeUndefined();
      expect(await service.redeem('../etc', 'x')).toBeUndefined();
      const { ticket } = await service.create(requester, relyingParty);
      const { scanToken } = await service.scan(ticket.id);
      await service.confirm(ticket.id, scanToken, harness.simulator.login('dan'));
      const stored = await tickets.get(ticket.id);
      expect(await service.redeem(ticket.id, stored!.token!)).toBeUndefined();
    });
  });

  it('refuses confirm after cancel', async () => {
    const { id, secret, scanToken } = await scanned();
    await service.cancel(id, scanToken);
    expect(await codeOf(service.confirm(id, scanToken, harness.simulator.login('alice')))).toBe('TICKET_CANCELLED');
    expect(await service.poll(id, secret)).toMatchObject({ status: 'cancelled' });
    expect(events.map((e) => e.status)).toEqual(['scanned', 'cancelled']);
  });

  it('expires an open ticket at expiresAt, once, and says so to late callers', async () => {
    const { id, secret, scanToken } = await scanned();
    harness.clock.advance(TTL_MS);
    expect(await service.poll(id, secret)).toMatchObject({ status: 'expired' });
    expect(await codeOf(service.confirm(id, scanToken, harness.simulator.login('alice')))).toBe('TICKET_EXPIRED');
    expect(await codeOf(service.scan(id))).toBe('TICKET_EXPIRED');
    expect(events.map((e) => e.status)).toEqual(['scanned', 'expired']);
  });

  it('keeps a scanned ticket usable when WeChat rejects the code', async () => {
    const { id, scanToken } = await scanned();
    expect(await codeOf(service.confirm(id, scanToken, 'not-a-real-code'))).toBe('WECHAT_CODE_INVALID');
    await expect(service.confirm(id, scanToken, harness.simulator.login('alice'))).resolves.toBeDefined();
  });

  it('answers unknown and malformed ids with TICKET_NOT_FOUND and a wrong secret with SECRET_INVALID', async () => {
    const { id } = await scanned();
    expect(await codeOf(service.poll('AAAAAAAAAAAAAAAAAAAAAA', 'x'))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(service.poll('../../etc/passwd', 'x'))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(service.poll(id, 'wrong'))).toBe('SECRET_INVALID');
    expect(await codeOf(service.poll(id, undefined))).toBe('SECRET_INVALID');
  });

  it('records each login in the audit table with the requesting browser', async () => {
    const { id, scanToken } = await scanned();
    const user = await service.confirm(id, scanToken, harness.simulator.login('dave'));
    const rows = db.prepare('SELECT ticket_id, user_id, ip, user_agent, launch_scene FROM login_audit').all();
    expect(rows).toEqual([
      { ticket_id: id, user_id: user.id, ip: requester.ip, user_agent: requester.userAgent, launch_scene: 1047 },
    ]);
  });
});
