import type { ConfirmInput, ScanResult } from '../../../../miniapp/src/scan-login/lib/api';
import { ConfirmFlow, FlowDeps, FlowState } from '../../../../miniapp/src/scan-login/lib/confirm-flow';
import { LoginError } from '../../../../miniapp/src/scan-login/lib/login-error';
import type { ScanTokens } from '../../../../miniapp/src/scan-login/lib/scan-tokens';

const SCAN: ScanResult = {
  scanToken: 'scan-token',
  requester: { ip: '203.0.113.7', browser: 'Chrome 131', os: 'macOS 15', createdAt: '2025-11-25T04:00:00.000Z' },
  expiresAt: '2025-11-25T04:02:00.000Z',
  deadline: Date.parse('2025-11-25T04:02:00.000Z'),
};

/** A promise the test settles by hand, to hold a request in flight. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The page's collaborators, recording each call; each call takes the next scripted outcome. */
class Phone {
  readonly calls: string[] = [];
  readonly confirmed: ConfirmInput[] = [];
  /** The phone's stored scan tokens by ticket id, with their expiry. */
  readonly tokens = new Map<string, { scanToken: string; until: number }>();
  scans: Array<() => Promise<ScanResult>> = [];
  logins: Array<() => Promise<string>> = [];
  /** The `wechat` of the scan answer each login was asked for. */
  loginsFor: Array<string | undefined> = [];
  confirms: Array<() => Promise<void>> = [];
  cancels: Array<() => Promise<void>> = [];

  deps(ticketId: string | null = 'ticket-1', launchScene?: number): FlowDeps {
    return {
      ticketId,
      launchScene,
      login: (scan) => {
        this.loginsFor.push(scan.wechat);
        return this.next('login', this.logins);
      },
      scanTokens: this.scanTokens(),
      api: {
        scan: (id, { launchScene, scanToken } = {}) =>
          this.next(`scan ${id} ${launchScene}${scanToken ? ` with ${scanToken}` : ''}`, this.scans),
        confirm: (id, input) => {
          this.confirmed.push(input);
          return this.next(`confirm ${id}`, this.confirms);
        },
        cancel: (id, token) => this.next(`cancel ${id} ${token}`, this.cancels),
      },
    };
  }

  private scanTokens(): ScanTokens {
    return {
      get: (id) => this.tokens.get(id)?.scanToken,
      remember: (id, scanToken, until) => void this.tokens.set(id, { scanToken, until }),
      forget: (id) => void this.tokens.delete(id),
    };
  }

  private next<T>(call: string, outcomes: Array<() => Promise<T>>): Promise<T> {
    this.calls.push(call);
    const outcome = outcomes.shift();
    if (!outcome) throw new Error(`unexpected call: ${call}`);
    return outcome();
  }
}

const ok = <T>(value: T) => () => Promise.resolve(value);
const fail = (code: string) => () => Promise.reject(new LoginError(code, code));

function flowOf(phone: Phone, deps = phone.deps()) {
  const states: FlowState[] = [];
  const flow = new ConfirmFlow(deps, (state) => states.push(state));
  return { flow, steps: () => states.map((state) => state.step) };
}

describe('ConfirmFlow', () => {
  let phone: Phone;
  beforeEach(() => {
    phone = new Phone();
  });

  it('scans on start, with the launch scene, and shows the requester', async () => {
    phone.scans.push(ok(SCAN));
    const { flow, steps } = flowOf(phone, phone.deps('ticket-1', 1047));
    await flow.start();
    expect(flow.state).toEqual({ step: 'ready', scan: SCAN });
    expect(steps()).toEqual(['scanning', 'ready']);
    expect(phone.calls).toEqual(['scan ticket-1 1047']);
  });

  it('scans only once however often the page starts it', async () => {
    phone.scans.push(ok(SCAN));
    const { flow } = flowOf(phone);
    await Promise.all([flow.start(), flow.start()]);
    await flow.start();
    expect(phone.calls).toEqual(['scan ticket-1 undefined']);
  });

  it('confirms with a fresh login code, the scan token and the trimmed nickname', async () => {
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(ok(undefined));
    const { flow, steps } = flowOf(phone);
    await flow.start();
    await flow.confirm('  Ann ');
    expect(steps()).toEqual(['scanning', 'ready', 'confirming', 'confirmed']);
    expect(phone.confirmed).toEqual([{ scanToken: 'scan-token', code: 'wx-code', profile: { nickname: 'Ann' } }]);
  });

  it("asks for the login code with the scan's answer, which says whom the server asks about logins", async () => {
    phone.scans.push(ok({ ...SCAN, wechat: 'simulator' as const }));
    phone.logins.push(ok('sim-code'));
    phone.confirms.push(ok(undefined));
    const { flow } = flowOf(phone);
    await flow.start();
    await flow.confirm();
    expect(phone.loginsFor).toEqual(['simulator']);
    expect(phone.confirmed).toEqual([{ scanToken: 'scan-token', code: 'sim-code' }]);
  });

  it('sends no profile when the nickname is blank', async () => {
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(ok(undefined));
    const { flow } = flowOf(phone);
    await flow.start();
    await flow.confirm('   ');
    expect(phone.confirmed).toEqual([{ scanToken: 'scan-token', code: 'wx-code' }]);
  });

  it('confirms once when the button is tapped twice before the first tap is answered', async () => {
    const answer = deferred<void>();
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(() => answer.promise);
    const { flow } = flowOf(phone);
    await flow.start();
    const first = flow.confirm();
    const second = flow.confirm();
    const cancel = flow.cancel();
    await second;
    await cancel;
    expect(flow.state.step).toBe('confirming');
    answer.resolve();
    await first;
    await flow.confirm();
    expect(flow.state.step).toBe('confirmed');
    expect(phone.calls).toEqual(['scan ticket-1 undefined', 'login', 'confirm ticket-1']);
  });

  it('does nothing on confirm or cancel before the scan is answered', async () => {
    const scan = deferred<ScanResult>();
    phone.scans.push(() => scan.promise);
    const { flow } = flowOf(phone);
    const started = flow.start();
    await flow.confirm();
    await flow.cancel();
    scan.resolve(SCAN);
    await started;
    expect(phone.calls).toEqual(['scan ticket-1 undefined']);
    expect(flow.state.step).toBe('ready');
  });

  it('cancels once with the scan token', async () => {
    phone.scans.push(ok(SCAN));
    phone.cancels.push(ok(undefined));
    const { flow, steps } = flowOf(phone);
    await flow.start();
    await Promise.all([flow.cancel(), flow.cancel(), flow.confirm()]);
    expect(steps()).toEqual(['scanning', 'ready', 'cancelling', 'cancelled']);
    expect(phone.calls).toEqual(['scan ticket-1 undefined', 'cancel ticket-1 scan-token']);
  });

  it('fails without a request when the page has no scene', async () => {
    const { flow } = flowOf(phone, phone.deps(null));
    await flow.start();
    await flow.retry();
    expect(flow.state).toMatchObject({ step: 'failed', retryable: false, error: { code: 'SCENE_MISSING' } });
    expect(phone.calls).toEqual([]);
  });

  it.each(['TICKET_EXPIRED', 'TICKET_CONSUMED', 'TICKET_CANCELLED', 'TICKET_ALREADY_SCANNED', 'TICKET_NOT_FOUND'])(
    'ends the flow when the scan answers %s, offering no retry',
    async (code) => {
      phone.scans.push(fail(code));
      const { flow } = flowOf(phone);
      await flow.start();
      await flow.retry();
      expect(flow.state).toMatchObject({ step: 'failed', retryable: false, error: { code } });
      expect(phone.calls).toHaveLength(1);
    },
  );

  it('scans again on retry after a network error', async () => {
    phone.scans.push(fail('NETWORK_ERROR'), ok(SCAN));
    const { flow, steps } = flowOf(phone);
    await flow.start();
    expect(flow.state).toMatchObject({ step: 'failed', retryable: true, error: { code: 'NETWORK_ERROR' } });
    await flow.retry();
    expect(steps()).toEqual(['scanning', 'failed', 'scanning', 'ready']);
  });

  it.each(['WECHAT_CODE_INVALID', 'WECHAT_UNAVAILABLE', 'WECHAT_TIMEOUT', 'WECHAT_QUOTA_EXCEEDED', 'NETWORK_ERROR'])(
    'keeps the requester and both buttons after a confirm that fails with %s, and retries with a new code',
    async (code) => {
      phone.scans.push(ok(SCAN));
      phone.logins.push(ok('first-code'), ok('second-code'));
      phone.confirms.push(fail(code), ok(undefined));
      const { flow } = flowOf(phone);
      await flow.start();
      await flow.confirm();
      expect(flow.state).toMatchObject({ step: 'ready', scan: SCAN, failure: { action: 'confirm', error: { code } } });
      await flow.confirm();
      expect(flow.state).toEqual({ step: 'confirmed' });
      expect(phone.confirmed.map((input) => input.code)).toEqual(['first-code', 'second-code']);
    },
  );

  it('turns a failed wx.login into a retryable state without calling confirm', async () => {
    phone.scans.push(ok(SCAN));
    phone.logins.push(fail('LOGIN_FAILED'));
    const { flow } = flowOf(phone);
    await flow.start();
    await flow.confirm();
    expect(flow.state).toMatchObject({ step: 'ready', failure: { action: 'confirm', error: { code: 'LOGIN_FAILED' } } });
    expect(phone.confirmed).toEqual([]);
  });

  it('ends the flow when the code expires before the confirm', async () => {
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(fail('TICKET_EXPIRED'));
    const { flow } = flowOf(phone);
    await flow.start();
    await flow.confirm();
    expect(flow.state).toMatchObject({ step: 'failed', retryable: false, error: { code: 'TICKET_EXPIRED' } });
  });

  it('reports a thrown non-LoginError as UNEXPECTED_ERROR, not as a network problem', async () => {
    phone.scans.push(() => Promise.reject(new TypeError('boom')));
    const { flow } = flowOf(phone);
    await flow.start();
    expect(flow.state).toMatchObject({ step: 'failed', retryable: false, error: { code: 'UNEXPECTED_ERROR' } });
  });
  it('keeps the scan token until the ticket expires, so a reload can resume', async () => {
    phone.scans.push(ok(SCAN));
    const { flow } = flowOf(phone);
    await flow.start();
    expect(phone.tokens.get('ticket-1')).toEqual({ scanToken: 'scan-token', until: SCAN.deadline });
  });

  it('resumes with the stored scan token after a reload, and confirms with it', async () => {
    phone.tokens.set('ticket-1', { scanToken: 'scan-token', until: SCAN.deadline });
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(ok(undefined));
    const { flow } = flowOf(phone, phone.deps('ticket-1', 1047));
    await flow.start();
    await flow.confirm();
    expect(phone.calls).toEqual(['scan ticket-1 1047 with scan-token', 'login', 'confirm ticket-1']);
    expect(phone.confirmed[0].scanToken).toBe('scan-token');
  });

  it.each([
    ['confirmed', (flow: ConfirmFlow) => flow.confirm()],
    ['cancelled', (flow: ConfirmFlow) => flow.cancel()],
  ])('forgets the scan token once %s', async (step, act) => {
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(ok(undefined));
    phone.cancels.push(ok(undefined));
    const { flow } = flowOf(phone);
    await flow.start();
    await act(flow);
    expect(flow.state.step).toBe(step);
    expect(phone.tokens.size).toBe(0);
  });

  it('forgets a stored token the server no longer takes, and keeps one across a retryable failure', async () => {
    phone.tokens.set('ticket-1', { scanToken: 'stale', until: SCAN.deadline });
    phone.scans.push(fail('NETWORK_ERROR'), fail('TICKET_ALREADY_SCANNED'));
    const { flow } = flowOf(phone);
    await flow.start();
    expect(phone.tokens.has('ticket-1')).toBe(true);
    await flow.retry();
    expect(flow.state).toMatchObject({ step: 'failed', retryable: false, error: { code: 'TICKET_ALREADY_SCANNED' } });
    expect(phone.tokens.size).toBe(0);
  });

  it('names the failed action, so the page can name the button that retries it', async () => {
    phone.scans.push(ok(SCAN));
    phone.cancels.push(fail('TICKET_CONFIRMING'));
    const { flow } = flowOf(phone);
    await flow.start();
    await flow.cancel();
    expect(flow.state).toMatchObject({ step: 'ready', failure: { action: 'cancel', error: { code: 'TICKET_CONFIRMING' } } });
  });

  it('expires from ready: the requester stays, confirm and cancel do nothing, the token goes', async () => {
    phone.scans.push(ok(SCAN));
    const { flow, steps } = flowOf(phone);
    await flow.start();
    flow.expire();
    expect(flow.state).toEqual({ step: 'expired', scan: SCAN });
    await flow.confirm();
    await flow.cancel();
    await flow.retry();
    flow.expire();
    expect(steps()).toEqual(['scanning', 'ready', 'expired']);
    expect(phone.calls).toEqual(['scan ticket-1 undefined']);
    expect(phone.tokens.size).toBe(0);
  });

  it('lets a confirm already sent finish when the time runs out, and takes its answer', async () => {
    const answer = deferred<void>();
    phone.scans.push(ok(SCAN));
    phone.logins.push(ok('wx-code'));
    phone.confirms.push(() => answer.promise);
    const { flow } = flowOf(phone);
    await flow.start();
    const confirming = flow.confirm();
    flow.expire();
    expect(flow.state.step).toBe('confirming');
    answer.resolve();
    await confirming;
    expect(flow.state).toEqual({ step: 'confirmed' });
  });

  it('does not expire before the scan is answered or after the flow ended', async () => {
    const scan = deferred<ScanResult>();
    phone.scans.push(() => scan.promise);
    phone.cancels.push(ok(undefined));
    const { flow } = flowOf(phone);
    const started = flow.start();
    flow.expire();
    scan.resolve(SCAN);
    await started;
    await flow.cancel();
    flow.expire();
    expect(flow.state).toEqual({ step: 'cancelled' });
  });
});
