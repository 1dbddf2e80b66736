/** A model as oidc-provider stores it: a JSON-serialisable object. */
export type OidcPayload = Record<string, unknown>;

/**
 * oidc-provider's storage adapter contract, declared here rather than imported so the
 * adapters load from CommonJS (and jest) without pulling in the ESM-only package.
 */
export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** The provider constructs the class itself, once per model name, hence a class made by a factory. */
export type OidcAdapterClass = new (model: string) => OidcAdapter;

/**
 * A second use of a one-time model (code, rotated refresh token, request_uri) that lost
 * the race to `consume`. Shaped like oidc-provider's own errors (`expose`, `statusCode`,
 * the code as `message`) so the client gets the 400 a reuse the provider sees itself gets,
 * not a 500. Never carries the id: for codes and tokens the id is the credential itself.
 *
 * The loser also revokes the grant, as the provider does for a reuse it sees (RFC 6749
 * §4.1.2: a reused code may be a stolen one, so nothing issued from it may stay valid).
 */
export class AlreadyConsumedError extends Error {
  readonly expose = true;
  readonly status = 400;
  readonly statusCode = 400;
  readonly error_description: string;
  /** For the provider's debug log only, as in its own errors. */
  readonly error_detail: string;

  constructor(model: string) {
    const requestUri = model === 'PushedAuthorizationRequest';
    super(requestUri ? 'invalid_request_uri' : 'invalid_grant');
    this.name = 'AlreadyConsumedError';
    this.error_description = requestUri
      ? 'request_uri is invalid, expired, or was already used'
      : 'grant request is invalid';
    this.error_detail = `${model} already consumed, expired or revoked`;
  }
}
