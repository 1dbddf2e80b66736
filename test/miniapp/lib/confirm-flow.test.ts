import type { ConfirmInput, ScanResult } from '../../../miniapp/src/lib/api';
import { ConfirmFlow, FlowDeps, FlowState } from '../../../miniapp/src/lib/confirm-flow';
import { LoginError } from '../../../miniapp/src/lib/login-error';

const SCAN: ScanResult = {
  scanToken: 'scan-token',
  requester: { ip: '203.0.113.7', browser: 'Chrome 131', os: 'macOS 15', createdAt: '2025-11-25T04:00:00.000Z' },
  expiresAt: '2025-11-25T04:02:00.000Z',
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
  scans: Array<() => Promise<ScanResult>> = [];
  logins: Array<() => Promise<string>> = [];
  confirms: Array<() => Promise<void>> = [];
  cancels: Array<() => Promise<void>> = [];

  deps(ticketId: string | null = 'ticket-1', launchScene?: number): FlowDeps {
    return {
      ticketId,
      launchScene,
      login: () => this.next('login', this.logins),
      api: {
        scan: (id, scene) => this.next(`scan ${id} ${scene}`, this.scans),
        confirm: (id, input) => {
          this.confirmed.push(input);
          return this.next(`confirm ${id}`, this.confirms);
        },
        cancel: (id, token) => this.next(`cancel ${id} ${token}`, this.cancels),
      },
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
      expect(flow.state).toMatchObject({ step: 'ready', scan: SCAN, error: { code } });
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
    expect(flow.state).toMatchObject({ step: 'ready', error: { code: 'LOGIN_FAILED' } });
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
});
