import { isRecord, requestJson } from '../client/http-json';
import { parseHttpUrl } from '../client/http-url';
import { LoginError } from '../client/login-error';
import type { FetchLike } from '../client/types';

/** What the provider's interaction asks of the visitor, from `GET /oidc/interaction/:uid/details`. */
export interface InteractionDetails {
  uid: string;
  /** `login`: scan the code; `consent`: let the client have the scopes. */
  prompt: 'login' | 'consent';
  /** The relying party; `name` is its id when it has no name of its own. */
  client: { id: string; name: string };
  scopes: string[];
  /** Where the interaction's tickets are followed (status, ws), e.g. `/api/login`. */
  loginPrefix: string;
}

/** Why the visitor leaves the interaction without logging in. */
export type AbortReason = 'cancelled' | 'denied';

/** An answer of the interaction's routes: the value, or the error code it failed with. */
export type OidcResult<T> = { ok: true; value: T } | { ok: false; code: string };

/** The routes of one interaction. Each finishing call answers the URL to send the browser to. */
export interface InteractionApi {
  /** Where its tickets are created (ScanLogin's `ticketsUrl`). */
  ticketsUrl: string;
  details(): Promise<OidcResult<InteractionDetails>>;
  logIn(token: string): Promise<OidcResult<string>>;
  consent(): Promise<OidcResult<string>>;
  abort(reason: AbortReason): Promise<OidcResult<string>>;
}

/** The interaction's uid from the page's path `/oidc/interaction/:uid`; null on any other path. */
export function interactionUid(pathname: string): string | null {
  const match = /^\/oidc\/interaction\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * The interaction `uid` on the server at `baseUrl` (the page's own origin: the interaction
 * cookie is sent only there). Failures are values: the server's error code, or the client's
 * `NETWORK_ERROR` / `BAD_RESPONSE`, so the page shows every one the same way.
 */
export function interactionApi(
  baseUrl: string,
  uid: string,
  fetchImpl: FetchLike = (url, init) => globalThis.fetch(url, init),
): InteractionApi {
  const server = baseUrl.replace(/\/+$/, '');
  const base = `${server}/oidc/interaction/${encodeURIComponent(uid)}`;
  const post = (action: string, body: object) =>
    call(async () => {
      const response = await requestJson(fetchImpl, `${base}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return redirectTarget(response.body, server, response.status);
    });
  return {
    ticketsUrl: `${base}/tickets`,
    details: () =>
      call(async () => {
        const response = await requestJson(fetchImpl, `${base}/details`);
        return parseDetails(response.body, response.status);
      }),
    logIn: (token) => post('login', { token }),
    consent: () => post('consent', {}),
    abort: (reason) => post('abort', { reason }),
  };
}

async function call<T>(request: () => Promise<T>): Promise<OidcResult<T>> {
  try {
    return { ok: true, value: await request() };
  } catch (error) {
    if (error instanceof LoginError) return { ok: false, code: error.code };
    throw error;
  }
}

function parseDetails(body: unknown, status: number): InteractionDetails {
  const client = isRecord(body) && isRecord(body.client) ? body.client : null;
  if (
    !isRecord(body) ||
    typeof body.uid !== 'string' ||
    (body.prompt !== 'login' && body.prompt !== 'consent') ||
    !client ||
    typeof client.id !== 'string' ||
    !Array.isArray(body.scopes) ||
    typeof body.loginPrefix !== 'string' ||
    !body.loginPrefix.startsWith('/')
  ) {
    throw new LoginError(LoginError.BAD_RESPONSE, 'The interaction details lack a field.', status);
  }
  const name = typeof client.name === 'string' && client.name.trim() !== '' ? client.name : client.id;
  return {
    uid: body.uid,
    prompt: body.prompt,
    client: { id: client.id, name },
    scopes: body.scopes.filter((scope): scope is string => typeof scope === 'string'),
    loginPrefix: body.loginPrefix,
  };
}

/**
 * The `redirectTo` of a finished step, absolute. Only http(s): the page navigates there, and
 * a `javascript:` URL would run in it.
 */
function redirectTarget(body: unknown, server: string, status: number): string {
  const target = isRecord(body) ? body.redirectTo : undefined;
  const base = `${server}/`;
  const url =
    typeof target === 'string' && target !== '' && URL.canParse(target, base)
      ? parseHttpUrl(new URL(target, base).toString())
      : undefined;
  if (!url) throw new LoginError(LoginError.BAD_RESPONSE, 'The interaction answered no place to go.', status);
  return url;
}
