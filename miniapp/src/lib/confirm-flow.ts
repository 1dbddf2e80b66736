import type { LoginApi, ScanResult } from './api';
import type { LoginAdapter } from './login-adapter';
import { asLoginError, ClientCode, LoginError } from './login-error';

/**
 * What the confirm page shows. `ready` may carry the error of a failed confirm or cancel
 * that can be tried again, so the requester and both buttons stay on screen.
 */
export type FlowState =
  | { step: 'scanning' }
  | { step: 'ready'; scan: ScanResult; error?: LoginError }
  | { step: 'confirming'; scan: ScanResult }
  | { step: 'cancelling'; scan: ScanResult }
  | { step: 'confirmed' }
  | { step: 'cancelled' }
  | { step: 'failed'; error: LoginError; retryable: boolean };

export interface FlowDeps {
  api: Pick<LoginApi, 'scan' | 'confirm' | 'cancel'>;
  login: LoginAdapter;
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
  'INTERNAL_ERROR',
]);

export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code);
}

/**
 * The confirm page's state machine: scan on load, then confirm or cancel once.
 * Each action checks the current step synchronously before doing anything, so a double
 * tap (two taps before React re-renders) starts one request, never two.
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
      const code = await this.deps.login();
      const profile = nickname?.trim() ? { nickname: nickname.trim() } : undefined;
      await this.deps.api.confirm(ticketId, { scanToken: scan.scanToken, code, ...(profile && { profile }) });
      this.set({ step: 'confirmed' });
    } catch (error) {
      this.failAfterScan(scan, error);
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
      this.failAfterScan(scan, error);
    }
  }

  private async scan(): Promise<void> {
    const { ticketId, launchScene } = this.deps;
    if (ticketId === null) {
      this.fail(new LoginError(ClientCode.SceneMissing, 'The page was opened without a scene.'));
      return;
    }
    this.set({ step: 'scanning' });
    try {
      this.set({ step: 'ready', scan: await this.deps.api.scan(ticketId, launchScene) });
    } catch (error) {
      this.fail(asLoginError(error, ClientCode.Unexpected));
    }
  }

  private failAfterScan(scan: ScanResult, error: unknown): void {
    const failure = asLoginError(error, ClientCode.Unexpected);
    if (isRetryable(failure.code)) this.set({ step: 'ready', scan, error: failure });
    else this.fail(failure);
  }

  private fail(error: LoginError): void {
    this.set({ step: 'failed', error, retryable: isRetryable(error.code) });
  }

  private set(state: FlowState): void {
    this.current = state;
    this.onChange(state);
  }
}
