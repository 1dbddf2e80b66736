import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';

/**
 * A relying party as a site would write one with panva's openid-client: discovery, an
 * authorization URL with PKCE, state and nonce, the code exchange, the ID token checked
 * against the provider's JWKS, userinfo. Its redirect URI is a real page of its own, so
 * the browser lands on another origin as it would on the site.
 */
export class RelyingParty {
  private config!: oidc.Configuration;

  private constructor(
    readonly clientId: string,
    readonly clientSecret: string | undefined,
    readonly redirectUri: string,
    private readonly server: Server,
  ) {}

  /** Its callback page listens first: the provider's client list needs the redirect URI. */
  static async listen(clientId: string, clientSecret?: string): Promise<RelyingParty> {
    const server = createServer((req, res) => res.end(req.url?.startsWith('/logged-out') ? 'relying party: logged out' : 'relying party callback'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
    return new RelyingParty(clientId, clientSecret, redirectUri, server);
  }

  /** Its entry of OIDC_CLIENTS. */
  get registration() {
    return {
      client_id: this.clientId,
      client_secret: this.clientSecret,
      redirect_uris: [this.redirectUri],
      post_logout_redirect_uris: [this.postLogoutRedirectUri],
    };
  }

  get postLogoutRedirectUri(): string {
    return new URL('/logged-out', this.redirectUri).href;
  }

  /** RP-initiated logout: where to send the browser to end its session at the provider. */
  endSessionUrl(idToken: string): string {
    return oidc.buildEndSessionUrl(this.config, { id_token_hint: idToken, post_logout_redirect_uri: this.postLogoutRedirectUri }).href;
  }

  async discover(issuer: string): Promise<this> {
    this.config = await oidc.discovery(
      new URL(issuer),
      this.clientId,
      this.clientSecret,
      this.clientSecret ? oidc.ClientSecretBasic(this.clientSecret) : oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    return this;
  }

  /** A fresh authorization request and what the callback is checked against. */
  async authorization(params: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...params,
    });
    return { url: url.href, verifier, state, nonce };
  }

  /** The code exchange for the URL the browser landed on; throws as openid-client does. */
  async exchange(callback: string, expected: { verifier: string; state: string; nonce: string }) {
    return oidc.authorizationCodeGrant(this.config, new URL(callback), {
      pkceCodeVerifier: expected.verifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
    });
  }

  /** The ID token's claims, its signature checked against the provider's published keys. */
  async verifyIdToken(idToken: string): Promise<JWTPayload> {
    const metadata = this.config.serverMetadata();
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri!));
    const { payload } = await jwtVerify(idToken, jwks, { issuer: metadata.issuer, audience: this.config.clientMetadata().client_id });
    return payload;
  }

  userinfo(accessToken: string, sub: string) {
    return oidc.fetchUserInfo(this.config, accessToken, sub);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
