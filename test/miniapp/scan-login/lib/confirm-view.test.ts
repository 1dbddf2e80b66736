import type { ScanResult } from '../../../../miniapp/src/scan-login/lib/api';
import { confirmView, ViewInput } from '../../../../miniapp/src/scan-login/lib/confirm-view';
import { LoginError } from '../../../../miniapp/src/scan-login/lib/login-error';

const SCAN: ScanResult = {
  scanToken: 'scan-token',
  requester: { ip: '203.0.113.7', browser: 'Chrome 131', os: 'macOS 15', createdAt: 'not a date' },
  expiresAt: '2025-11-25T04:02:00.000Z',
  deadline: Date.parse('2025-11-25T04:02:00.000Z'),
  site: { name: 'Example' },
};

const input = (overrides: Partial<ViewInput>): ViewInput => ({
  state: { step: 'scanning' },
  language: 'en',
  simulated: false,
  ...overrides,
});

describe('confirmView', () => {
  it('says it is reading the request while the scan is under way, and nothing else', () => {
    expect(confirmView(input({}))).toEqual({ scanning: 'Reading the login request…' });
  });

  it('shows who asks, the time left and both buttons once the scan answered', () => {
    const view = confirmView(input({ state: { step: 'ready', scan: SCAN }, secondsLeft: 65 }));
    expect(view).toEqual({
      request: {
        title: 'Example wants to log in with your WeChat',
        rows: [
          { label: 'Browser', value: 'Chrome 131' },
          { label: 'OS', value: 'macOS 15' },
          { label: 'IP', value: '203.0.113.7' },
          { label: 'Time', value: 'not a date' },
        ],
        nicknameLabel: 'Nickname (optional)',
        nicknamePlaceholder: 'Type or pick your WeChat nickname',
        timeLeft: { state: 'counting', text: 'The code expires in 1:05' },
        confirm: { label: 'Confirm', disabled: false, busy: false },
        cancel: { label: 'Cancel', disabled: false, busy: false },
      },
    });
  });

  it('disables both buttons while one request is in flight, and marks that one busy', () => {
    const confirming = confirmView(input({ state: { step: 'confirming', scan: SCAN } })).request;
    expect([confirming?.confirm, confirming?.cancel]).toEqual([
      { label: 'Confirm', disabled: true, busy: true },
      { label: 'Cancel', disabled: true, busy: false },
    ]);
    const cancelling = confirmView(input({ state: { step: 'cancelling', scan: SCAN } })).request;
    expect([cancelling?.confirm.busy, cancelling?.cancel.busy]).toEqual([false, true]);
  });

  it('keeps the buttons after a retryable failure, naming the button that tries again', () => {
    const failure = { action: 'confirm' as const, error: new LoginError('WECHAT_CODE_INVALID', 'refused') };
    const view = confirmView(input({ state: { step: 'ready', scan: SCAN, failure } }));
    expect(view.request?.failure).toEqual({
      code: 'WECHAT_CODE_INVALID',
      title: 'WeChat did not accept the login',
      hint: 'The login code expired or was used; tap "Confirm" again to get a new one.',
    });
    expect(view.request?.confirm.disabled).toBe(false);
  });

  it('says the code expired, its buttons disabled, once the time is up', () => {
    const request = confirmView(input({ state: { step: 'expired', scan: SCAN }, secondsLeft: 0 })).request;
    expect(request?.timeLeft).toEqual({
      state: 'expired',
      title: 'This code has expired',
      hint: 'Refresh the code on your computer and scan it again.',
    });
    expect([request?.confirm.disabled, request?.cancel.disabled]).toEqual([true, true]);
  });

  it.each([
    ['confirmed', { step: 'confirmed' as const }, { outcome: 'confirmed', title: 'Logged in on your computer', hint: 'You can close this page.' }],
    ['cancelled', { step: 'cancelled' as const }, { outcome: 'cancelled', title: 'Login cancelled', hint: 'The computer will not be logged in.' }],
  ])('ends %s without the request or its buttons', (_name, state, outcome) => {
    expect(confirmView(input({ state }))).toEqual({ outcome });
  });

  it('ends a failed scan with its code, and a Retry only when retrying can help', () => {
    const offline = confirmView(input({ state: { step: 'failed', error: new LoginError('NETWORK_ERROR', 'x'), retryable: true } }));
    expect(offline.outcome).toMatchObject({ outcome: 'failed', code: 'NETWORK_ERROR', retry: 'Retry' });
    expect(offline.outcome?.hint).toContain('"Retry"');
    const taken = confirmView(input({ state: { step: 'failed', error: new LoginError('TICKET_ALREADY_SCANNED', 'x'), retryable: false } }));
    expect(taken.outcome).toEqual({
      outcome: 'failed',
      code: 'TICKET_ALREADY_SCANNED',
      title: 'Someone has already scanned this code',
      hint: 'Only one person can confirm a code. Refresh the code on your computer and scan it again.',
    });
  });

  it('warns about a forwarded code, says when WeChat is simulated, and where the login code comes from', () => {
    const view = confirmView(input({ launchScene: 1048, simulated: true, source: 'simulator' }));
    expect(view.forwardedWarning).toMatch(/^Careful: this code was read from an image/);
    expect(view.simulatorNotice).toMatch(/^WeChat is simulated — demo only/);
    expect(view.simulatorLogin).toMatch(/gets its login code from the simulator/);
    expect(confirmView(input({ launchScene: 1047, source: 'wechat' }))).toEqual({ scanning: 'Reading the login request…' });
  });

  it('speaks Chinese to a Chinese phone', () => {
    const view = confirmView(input({ language: 'zh', state: { step: 'ready', scan: SCAN }, secondsLeft: 5 }));
    expect(view.request?.confirm.label).toBe('确认');
    expect(view.request?.timeLeft).toEqual({ state: 'counting', text: '二维码 0:05 后过期' });
  });
});
