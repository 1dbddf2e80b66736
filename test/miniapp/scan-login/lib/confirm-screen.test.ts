import type { ScanResult } from '../../../../miniapp/src/scan-login/lib/api';
import { ConfirmScreen, ScreenDeps } from '../../../../miniapp/src/scan-login/lib/confirm-screen';
import type { ConfirmView } from '../../../../miniapp/src/scan-login/lib/confirm-view';
import { LoginError } from '../../../../miniapp/src/scan-login/lib/login-error';

const NOW = Date.parse('2025-11-25T04:00:00.000Z');

function scanAt(secondsLeft: number, wechat?: 'simulator' | 'real'): ScanResult {
  const expiresAt = new Date(NOW + secondsLeft * 1000).toISOString();
  return {
    scanToken: 'scan-token',
    requester: { ip: '203.0.113.7', browser: 'Chrome 131', os: 'macOS 15', createdAt: new Date(NOW).toISOString() },
    expiresAt,
    deadline: Date.parse(expiresAt),
    ...(wechat && { wechat }),
  };
}

/** The screen's collaborators: each call takes the next scripted outcome. */
function phone(scans: Array<() => Promise<ScanResult>>, confirms: Array<() => Promise<void>> = []) {
  const forgotten: string[] = [];
  const deps: ScreenDeps = {
    ticketId: 'ticket-1',
    language: 'en',
    services: {
      simulatorOnly: false,
      login: async () => 'code',
      scanTokens: { get: () => undefined, remember: () => undefined, forget: (id) => void forgotten.push(id) },
      api: {
        scan: () => scans.shift()!(),
        confirm: () => confirms.shift()!(),
        cancel: () => Promise.resolve(),
      } as unknown as ScreenDeps['services']['api'],
    },
  };
  return { deps, forgotten };
}

function screenOf(deps: ScreenDeps) {
  const views: ConfirmView[] = [];
  const screen = new ConfirmScreen(deps, (view) => views.push(view));
  return { screen, views, last: () => views[views.length - 1] };
}

const ok = <T>(value: T) => () => Promise.resolve(value);

describe('ConfirmScreen', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows the request once scanned, and redraws the time left as each second passes', async () => {
    const { screen, last } = screenOf(phone([ok(scanAt(65))]).deps);
    expect(screen.view).toEqual({ scanning: 'Reading the login request…' });
    await screen.start();
    expect(last().request?.timeLeft).toEqual({ state: 'counting', text: 'The code expires in 1:05' });
    await jest.advanceTimersByTimeAsync(1000);
    expect(last().request?.timeLeft).toEqual({ state: 'counting', text: 'The code expires in 1:04' });
    screen.stop();
  });

  it('says "expired" by itself the moment the time is up, and forgets the scan token', async () => {
    const { deps, forgotten } = phone([ok(scanAt(2))]);
    const { screen, last } = screenOf(deps);
    await screen.start();
    await jest.advanceTimersByTimeAsync(1999);
    expect(last().request?.timeLeft?.state).toBe('counting');
    await jest.advanceTimersByTimeAsync(1);
    expect(last().request?.timeLeft?.state).toBe('expired');
    expect(last().request?.confirm.disabled).toBe(true);
    expect(forgotten).toEqual(['ticket-1']);
    // Nothing left to count.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('says "expired" when a confirm sent in time fails after the time ran out', async () => {
    let fail!: (error: unknown) => void;
    const { screen, last } = screenOf(phone([ok(scanAt(2))], [() => new Promise((_resolve, reject) => (fail = reject))]).deps);
    await screen.start();
    const confirming = screen.confirm('');
    await jest.advanceTimersByTimeAsync(3000);
    // The confirm is in flight: the server's answer decides.
    expect(last().request?.confirm.busy).toBe(true);
    fail(new LoginError('NETWORK_ERROR', 'offline'));
    await confirming;
    expect(last().request?.timeLeft?.state).toBe('expired');
  });

  it('remembers that WeChat is simulated, and where the code comes from, to the end of the flow', async () => {
    const { screen, last } = screenOf(phone([ok(scanAt(60, 'simulator'))], [ok(undefined)]).deps);
    expect(screen.view.simulatorLogin).toBeUndefined();
    await screen.start();
    expect(last().simulatorLogin).toMatch(/from the simulator/);
    await screen.confirm('');
    expect(last()).toMatchObject({ outcome: { outcome: 'confirmed' }, simulatorNotice: expect.any(String), simulatorLogin: expect.any(String) });
  });

  it('names the simulated user from the start on a build without wx.login (H5)', () => {
    const { deps } = phone([]);
    const { screen } = screenOf({ ...deps, services: { ...deps.services, simulatorOnly: true } });
    expect(screen.view.simulatorLogin).toMatch(/from the simulator/);
  });

  it('counts again after a failed scan is retried', async () => {
    const { screen, last } = screenOf(phone([() => Promise.reject(new LoginError('NETWORK_ERROR', 'offline')), ok(scanAt(30))]).deps);
    await screen.start();
    expect(last().outcome).toMatchObject({ code: 'NETWORK_ERROR', retry: 'Retry' });
    expect(jest.getTimerCount()).toBe(0);
    await screen.retry();
    expect(last().request?.timeLeft).toEqual({ state: 'counting', text: 'The code expires in 0:30' });
    await jest.advanceTimersByTimeAsync(1000);
    expect(last().request?.timeLeft).toEqual({ state: 'counting', text: 'The code expires in 0:29' });
    screen.stop();
  });

  it('shows nothing more and leaves no timer once the page stopped it', async () => {
    const { screen, views } = screenOf(phone([ok(scanAt(60))]).deps);
    await screen.start();
    const shown = views.length;
    screen.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(views).toHaveLength(shown);
    expect(jest.getTimerCount()).toBe(0);
  });
});
