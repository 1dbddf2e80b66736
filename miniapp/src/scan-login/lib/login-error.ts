/**
 * An error the confirm page can explain to the visitor. `code` is either one of the
 * server's stable codes (server/errors.ts) or one of the mini-program's own below.
 */
export class LoginError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/** Codes the mini-program raises itself; they never come from the server. */
export const ClientCode = {
  /** The request never got an HTTP answer: offline, DNS, refused, timed out. */
  NetworkError: 'NETWORK_ERROR',
  /** An HTTP error without the contract's error body, e.g. a proxy's error page. */
  HttpError: 'HTTP_ERROR',
  /** A success answer that is not what the contract promises. */
  BadResponse: 'BAD_RESPONSE',
  /** The page was opened without a usable scene, i.e. not from a login code. */
  SceneMissing: 'SCENE_MISSING',
  /** wx.login (or the simulator's stand-in) gave no code. */
  LoginFailed: 'LOGIN_FAILED',
  /** Anything else: a bug in the mini-program. */
  Unexpected: 'UNEXPECTED_ERROR',
} as const;

/** Any failure as a LoginError, so the page has one kind of error to show. */
export function asLoginError(error: unknown, fallbackCode: string): LoginError {
  if (error instanceof LoginError) return error;
  const message = error instanceof Error ? error.message : errMsgOf(error);
  return new LoginError(fallbackCode, message);
}

/** Mini-program APIs reject with `{errMsg}` objects rather than Errors. */
function errMsgOf(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'errMsg' in value) return String(value.errMsg);
  return String(value);
}
