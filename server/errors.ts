/**
 * Every error a client can see, each with a stable wire `code` and an HTTP status.
 *
 * Clients (web pages, mini-programs, scripts) switch on `code`, never on the message,
 * so a code, once shipped, keeps its meaning. README lists them all.
 * HTTP and ws map these to responses in one place each (http/error-handler.ts,
 * ws/ws-server.ts); anything that is not an AppError becomes INTERNAL_ERROR.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Extra fields for the error body, e.g. the WeChat errcode. Never secrets. */
  readonly details?: Record<string, unknown>;
  /** Sent as `Retry-After` (seconds) with a refusal that passes with time: limits, quotas. */
  retryAfterSeconds?: number;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

function defineError<C extends string>(code: C, status: number, defaultMessage: string) {
  return class extends AppError {
    static readonly code = code;
    readonly code = code;
    readonly status = status;
    constructor(message: string = defaultMessage, details?: Record<string, unknown>) {
      super(message, details);
    }
  };
}

// 400: the request itself is wrong.
export const InvalidJson = defineError('INVALID_JSON', 400, 'The request body is not valid JSON.');
export const InvalidRequest = defineError('INVALID_REQUEST', 400, 'The request is not valid.');
// The client went away or sent a body that does not frame (a broken chunked encoding):
// its fault, not ours, so it is never a 500 in the log.
export const RequestAborted = defineError('REQUEST_ABORTED', 400, 'The request body was cut off or malformed.');
export const WeChatCodeInvalid = defineError(
  'WECHAT_CODE_INVALID',
  400,
  'WeChat rejected the login code: it is invalid, expired or already used. Call wx.login again.',
);

// 401 / 403: who is asking.
export const SecretInvalid = defineError('SECRET_INVALID', 401, 'The ticket secret is missing or wrong.');
export const TokenInvalid = defineError('TOKEN_INVALID', 401, 'The access token is missing, invalid or expired.');
export const MetricsTokenInvalid = defineError('METRICS_TOKEN_INVALID', 401, 'The metrics token is missing or wrong.');
export const ScanTokenInvalid = defineError('SCAN_TOKEN_INVALID', 403, 'The scan token is missing or wrong.');
export const WeChatUserBlocked = defineError(
  'WECHAT_USER_BLOCKED',
  403,
  'WeChat blocked this account as high-risk (40226).',
);

// 404 / 405 / 413: routing and size.
export const TicketNotFound = defineError('TICKET_NOT_FOUND', 404, 'No login ticket has this id.');
export const RouteNotFound = defineError('NOT_FOUND', 404, 'No such endpoint.');
export const MethodNotAllowed = defineError('METHOD_NOT_ALLOWED', 405, 'This endpoint does not accept this method.');
// The OpenID Connect interaction is over, or this browser is not the one it belongs to
// (its interaction cookie is missing): the visitor goes back to the site and starts again.
export const InteractionNotFound = defineError(
  'INTERACTION_NOT_FOUND',
  404,
  'This login attempt is over or belongs to another browser. Go back to the site and start again.',
);
export const PayloadTooLarge = defineError('PAYLOAD_TOO_LARGE', 413, 'The request body is larger than 16 KB.');

// 409 / 410: the ticket is in the wrong state for this step.
export const TicketNotScanned = defineError('TICKET_NOT_SCANNED', 409, 'The ticket has not been scanned yet.');
export const TicketAlreadyScanned = defineError(
  'TICKET_ALREADY_SCANNED',
  409,
  'Someone else has already scanned this code.',
);
export const TicketAlreadyConfirmed = defineError(
  'TICKET_ALREADY_CONFIRMED',
  409,
  'This login has already been confirmed.',
);
export const TicketConfirming = defineError(
  'TICKET_CONFIRMING',
  409,
  'Another confirm of this login is under way. Your WeChat code was not used; try again in a moment.',
);
export const TicketCancelled = defineError('TICKET_CANCELLED', 409, 'This login was cancelled.');
export const TicketExpired = defineError('TICKET_EXPIRED', 410, 'This code has expired. Ask for a fresh one.');
export const TicketConsumed = defineError('TICKET_CONSUMED', 410, 'This code has already been used to log in.');

// 429: a limit that protects the server.
export const RateLimited = defineError('RATE_LIMITED', 429, 'Too many requests. Try again shortly.');

// 5xx: WeChat or us.
export const InternalError = defineError('INTERNAL_ERROR', 500, 'Something went wrong on our side.');
export const WeChatError = defineError('WECHAT_ERROR', 502, 'WeChat answered with an error.');
export const WeChatBadResponse = defineError('WECHAT_BAD_RESPONSE', 502, 'WeChat answered with something unexpected.');
export const WeChatUnavailable = defineError('WECHAT_UNAVAILABLE', 503, 'WeChat could not be reached. Try again.');
export const WeChatTimeout = defineError('WECHAT_TIMEOUT', 503, 'WeChat did not answer in time. Try again.');
export const WeChatQuotaProtected = defineError(
  'WECHAT_QUOTA_PROTECTED',
  503,
  "This site is fetching as many codes as WeChat's quota allows. Try again shortly.",
);
// The drop-in script is served from the package's dist/browser, which `npm run build:browser`
// (or `npm start`) writes: a deployment without it is misbuilt, not asked for something absent.
export const BrowserScriptNotBuilt = defineError(
  'BROWSER_SCRIPT_NOT_BUILT',
  503,
  'The scan-login.js drop-in is not built on this server (npm run build:browser).',
);
export const OidcPageNotBuilt = defineError(
  'OIDC_PAGE_NOT_BUILT',
  503,
  'The OpenID Connect login page is not built on this server (npm run build:browser).',
);
// A shared store (Redis, PostgreSQL) cannot be reached or cannot serve right now. The
// instance stays up and serves again by itself once the store is back.
export const StoreUnavailable = defineError(
  'STORE_UNAVAILABLE',
  503,
  'The login service cannot reach its storage right now. Try again in a moment.',
);
export const WeChatQuotaExceeded = defineError(
  'WECHAT_QUOTA_EXCEEDED',
  503,
  'The WeChat API quota is used up for now. Try again later.',
);

export type AppErrorClass = ReturnType<typeof defineError>;
