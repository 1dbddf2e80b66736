import type { LoginApi, ScanResult } from './api';
import { asLoginError, ClientCode, LoginError } from './login-error';
import type { TicketLogin } from './login-source';
import type { ScanTokens } from './scan-tokens';

/** What the visitor asked for with a button once the requester is on screen. */
export type Action = 'confirm' | 'cancel';

/** A confirm or cancel that failed in a way that another tap of the same button can fix. */
export interface Failure {
  action: Action;
  error: LoginError;
}

/**
 * What the confirm page shows. `ready` may carry the failure of a confirm or cancel that
 * can be tried again, so the requester and both buttons stay on screen. `expired`: the
 * countdown ran out on the phone; the requester stays, the buttons can do nothing.
 */
export type FlowState =
  | { step: 'scanning' }
  | { step: 'ready'; scan: ScanResult; failure?: Failure }
  | { step: 'confirming'; scan: ScanResult }
  | { step: 'cancelling'; scan: ScanResult }
  | { step: 'expired'; scan: ScanResult }
  | { step: 'confirmed' }
  | { step: 'cancelled' }
  | { step: 'failed'; error: LoginError; retryable: boolean };

export interface FlowDeps {
  api: Pick<LoginApi, 'scan' | 'confirm' | 'cancel'>;
  login: TicketLogin;
  /** This phone's scan tokens: a reload resumes the scan it made before. */
  scanTokens: ScanTokens;
  /** The decoded scene; null when the page was opened without one. */
  ticketId: string | null;
  launchScene?: number;
}

/**
 * Failures that another attempt can fix: the network, WeChat or the server having a bad
 * moment, or a WeChat code that was refused (a retry fetches a new one). A ticket in the
 * wrong state never recovers, so those end the flow.
 */
const RETRYABLE: ReadonlySet<string> = new Set([
  ClientCode.NetworkError,
  ClientCode.HttpError,
  ClientCode.BadResponse,
  ClientCode.LoginFailed,
  'WECHAT_CODE_INVALID',
  'WECHAT_ERROR',
  'WECHAT_BAD_RESPONSE',
  'WECHAT_UNAVAILABLE',
  'WECHAT_TIMEOUT',
  'WECHAT_QUOTA_EXCEEDED',
  // Another confirm holds the ticket: if it fails, this one can still go through.
  'TICKET_CONFIRMING',
  'RATE_LIMITED',
  // The server's shared store (Redis, PostgreSQL) is away for a moment; the step is safe to try again.
  'STORE_UNAVAILABLE',
  'INTERNAL_ERROR',
]);

export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code);
}

/**
 * The confirm page's state machine: scan on load (resuming this phone's earlier scan of the
 * ticket, if it kept the token), then confirm or cancel once. Each action checks the
 * current step synchronously before doing anything, so a double tap (two taps before React
 * re-renders) starts one request, never two.
 */
export class ConfirmFlow {
  private current: FlowState = { step: 'scanning' };
  private started = false;

  constructor(
    private readonly deps: FlowDeps,
    private readonly onChange: (state: FlowState) => void,
  ) {}

  get state(): FlowState {
    return this.current;
  }

  /** Posts the scan. Runs once; afterwards only `retry` scans again. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.scan();
  }

  /** Scans again after a scan that failed in a retryable way; ignored otherwise. */
  async retry(): Promise<void> {
    if (this.current.step !== 'failed' || !this.current.retryable) return;
    await this.scan();
  }

  async confirm(nickname?: string): Promise<void> {
    const { ticketId } = this.deps;
    if (this.current.step !== 'ready' || ticketId === null) return;
    const { scan } = this.current;
    this.set({ step: 'confirming', scan });
    try {
      const code = await this.deps.login(scan);
      const profile = nickname?.trim() ? { nickname: nickname.trim() } : undefined;
      await this.deps.api.confirm(ticketId, { scanToken: scan.scanToken, code, ...(profile && { profile }) });
      this.set({ step: 'confirmed' });
    } catch (error) {
      this.failAfterScan('confirm', scan, error);
    }
  }

  async cancel(): Promise<void> {
    const { ticketId } = this.deps;
    if (this.current.step !== 'ready' || ticketId === null) return;
    const { scan } = this.current;
    this.set({ step: 'cancelling', scan });
    try {
      await this.deps.api.cancel(ticketId, scan.scanToken);
      this.set({ step: 'cancelled' });
    } catch (error) {
      this.failAfterScan('cancel', scan, error);
    }
  }

  /**
   * The ticket's time ran out on the phone's clock: the page says so at once, not at the
   * next tap. Only from `ready`: a confirm or cancel already sent gets the server's answer.
   */
  expire(): void {
    if (this.current.step !== 'ready') return;
    this.set({ step: 'expired', scan: this.current.scan });
  }

  private async scan(): Promise<void> {
    const { ticketId, launchScene, scanTokens } = this.deps;
    if (ticketId === null) {
      this.fail(new LoginError(ClientCode.SceneMissing, 'The page was opened without a scene.'));
      return;
    }
    this.set({ step: 'scanning' });
    try {
      const scan = await this.deps.api.scan(ticketId, { launchScene, scanToken: scanTokens.get(ticketId) });
      scanTokens.remember(ticketId, scan.scanToken, scan.deadline);
      this.set({ step: 'ready', scan });
    } catch (error) {
      this.fail(asLoginError(error, ClientCode.Unexpected));
    }
  }

  private failAfterScan(action: Action, scan: ScanResult, error: unknown): void {
    const loginError = asLoginError(error, ClientCode.Unexpected);
    if (isRetryable(loginError.code)) this.set({ step: 'ready', scan, failure: { action, error: loginError } });
    else this.fail(loginError);
  }

  private fail(error: LoginError): void {
    this.set({ step: 'failed', error, retryable: isRetryable(error.code) });
  }

  private set(state: FlowState): void {
    this.current = state;
    // A token of a flow that ended can only resume an end: drop it rather than keep it to expiry.
    if (isEnd(state) && this.deps.ticketId !== null) this.deps.scanTokens.forget(this.deps.ticketId);
    this.onChange(state);
  }
}

/** A state nothing on this page leads out of (a retryable failure still can: Retry). */
function isEnd(state: FlowState): boolean {
  return (
    state.step === 'confirmed' ||
    state.step === 'cancelled' ||
    state.step === 'expired' ||
    (state.step === 'failed' && !state.retryable)
  );
}
