import { backoffDelay } from './backoff';
import { requestJson } from './http-json';
import { LoginError } from './login-error';
import { parseStatusUpdate, type StatusUpdate } from './status-update';
import type { FetchLike } from './types';

export interface StatusPollerOptions {
  fetch: FetchLike;
  url: string;
  secret: string;
  intervalMs: number;
  /** The longest wait between two polls while they fail. */
  maxDelayMs: number;
  onUpdate(update: StatusUpdate): void;
  /** A poll failed in a way that may pass (network down, rate limited, 5xx); polling goes on. */
  onFailure(error: LoginError): void;
  /** Called once when the server's answer ends polling (404, 410, …); polling has stopped. */
  onError(error: LoginError): void;
}

/**
 * The fallback channel: asks for the ticket's status until stopped. Failures that may
 * pass never end it (a restarting server comes back); the ticket's expiry, which its
 * owner watches, bounds how long it tries.
 */
export class StatusPoller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly abort = new AbortController();
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: StatusPollerOptions) {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
  }

  private async poll(): Promise<void> {
    const { options } = this;
    let update: StatusUpdate | null;
    try {
      const response = await requestJson(options.fetch, options.url, {
        headers: { authorization: `Bearer ${options.secret}` },
        signal: this.abort.signal,
      });
      update = parseStatusUpdate(response.body);
      if (!update) throw new LoginError(LoginError.BAD_RESPONSE, 'The status answer has no status.', response.status);
    } catch (error) {
      if (this.stopped) return;
      const failure = error instanceof LoginError ? error : new LoginError(LoginError.BAD_RESPONSE, String(error));
      if (!isTransient(failure)) {
        this.stop();
        options.onError(failure);
        return;
      }
      this.failures += 1;
      options.onFailure(failure);
      if (!this.stopped) this.schedule(backoffDelay(this.failures - 1, options.intervalMs, options.maxDelayMs));
      return;
    }
    if (this.stopped) return;
    this.failures = 0;
    options.onUpdate(update);
    if (!this.stopped) this.schedule(options.intervalMs);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }
}

function isTransient(error: LoginError): boolean {
  return error.code === LoginError.NETWORK_ERROR || error.code === 'RATE_LIMITED' || error.httpStatus >= 500;
}
