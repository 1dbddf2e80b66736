import { LoginError } from './login-error';
import type { FetchLike, RequestInitLike, ResponseLike } from './types';

export interface JsonResponse {
  status: number;
  body: unknown;
  /** The server's clock from the `Date` header, in ms, when it sent one. */
  serverDate: number | null;
}

/**
 * Calls the login server and returns the parsed JSON of a 2xx answer.
 * Anything else becomes a LoginError carrying the server's error code, so callers
 * handle one kind of failure.
 */
export async function requestJson(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInitLike = {},
  timeoutMs = 10_000,
): Promise<JsonResponse> {
  const { response, body: text } = await fetchWithin(fetchImpl, url, init, (answer) => answer.text(), timeoutMs);
  const body = parseJson(text);
  if (response.status >= 200 && response.status < 300) {
    if (body === undefined) throw new LoginError(LoginError.BAD_RESPONSE, 'The server answered without JSON.', response.status);
    const date = Date.parse(response.headers.get('date') ?? '');
    return { status: response.status, body, serverDate: Number.isNaN(date) ? null : date };
  }
  throw errorFromBody(body, response.status);
}

/**
 * Fetches `url` and reads its body with `read`, both within `timeoutMs`. No answer at all
 * (refused, reset, blocked by CORS, silent) is `NETWORK_ERROR`; an abort by the caller's
 * signal is passed on as it came.
 */
export async function fetchWithin<T>(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInitLike,
  read: (response: ResponseLike) => Promise<T>,
  timeoutMs = 10_000,
): Promise<{ response: ResponseLike; body: T }> {
  // A server that accepts the connection and never answers must not leave a spinner forever.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const forward = () => timeout.abort();
  init.signal?.addEventListener('abort', forward);
  try {
    const response = await fetchImpl(url, { ...init, signal: timeout.signal });
    return { response, body: await read(response) };
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    if (cause instanceof LoginError) throw cause;
    const why = timeout.signal.aborted ? `no answer within ${timeoutMs / 1000} s` : describe(cause);
    throw new LoginError(LoginError.NETWORK_ERROR, `Cannot reach the login server (${why}).`);
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', forward);
  }
}

/** The LoginError a non-2xx answer stands for, from the contract's error body when it has one. */
export function errorFromBody(body: unknown, status: number): LoginError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error && typeof error.code === 'string') {
    return new LoginError(error.code, typeof error.message === 'string' ? error.message : error.code, status);
  }
  // A gateway in front of the server answers these when the server itself is down.
  if (status === 502 || status === 503 || status === 504) {
    return new LoginError(LoginError.NETWORK_ERROR, `The login server is unreachable (HTTP ${status}).`, status);
  }
  return new LoginError(LoginError.BAD_RESPONSE, `The server answered HTTP ${status}.`, status);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
