/**
 * Why a login could not go on. `code` is the server's stable error code
 * (`RATE_LIMITED`, `WECHAT_UNAVAILABLE`, …) or one of the client's own below;
 * callers switch on it, never on the message.
 */
export class LoginError extends Error {
  /** The server could not be reached at all. */
  static readonly NETWORK_ERROR = 'NETWORK_ERROR';
  /** The server answered with something outside the contract. */
  static readonly BAD_RESPONSE = 'BAD_RESPONSE';
  /** Another subscriber holding the same secret took over the ticket (ws close 4409). */
  static readonly SUBSCRIPTION_REPLACED = 'SUBSCRIPTION_REPLACED';
  /** The login was confirmed but the token went to a connection that is gone. */
  static readonly TOKEN_ALREADY_DELIVERED = 'TOKEN_ALREADY_DELIVERED';

  readonly code: string;
  /** The HTTP status that carried the error; 0 when there was no HTTP answer. */
  readonly httpStatus: number;

  constructor(code: string, message: string, httpStatus = 0) {
    super(message);
    this.name = 'LoginError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}
