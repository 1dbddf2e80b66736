import type { FetchLike, RequestInitLike } from '../../../web/src/client';
import { interactionApi, interactionUid, type InteractionApi } from '../../../web/src/oidc/oidc-api';

const BASE = 'https://login.example.com';
const UID = 'kV3x_9-Qa';
const INTERACTION = `${BASE}/oidc/interaction/${UID}`;
const DETAILS = {
  uid: UID,
  prompt: 'login',
  client: { id: 'blog', name: 'The Blog' },
  scopes: ['openid', 'profile'],
  loginPrefix: '/api/login',
};

/** A server that answers every request with `status` and `body`, recording the requests. */
function answering(status: number, body: unknown) {
  const calls: { url: string; init?: RequestInitLike }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return { status, headers: { get: () => null }, text: async () => text };
  };
  return { calls, api: interactionApi(`${BASE}/`, UID, fetch) };
}

describe('interactionUid', () => {
  it.each([
    ['/oidc/interaction/kV3x_9-Qa', 'kV3x_9-Qa'],
    ['/oidc/interaction/kV3x_9-Qa/', 'kV3x_9-Qa'],
    ['/oidc/interaction/a%20b', 'a b'],
  ])('reads %s', (path, uid) => {
    expect(interactionUid(path)).toBe(uid);
  });

  it.each(['/', '/oidc/interaction/', '/oidc/interaction/a/details', '/x/oidc/interaction/a', '/oidc/interaction/%E0'])(
    'finds no interaction in %s',
    (path) => {
      expect(interactionUid(path)).toBeNull();
    },
  );
});

describe('interactionApi', () => {
  it("creates tickets at the interaction's own endpoint", () => {
    expect(answering(201, {}).api.ticketsUrl).toBe(`${INTERACTION}/tickets`);
    expect(interactionApi(BASE, 'a/b').ticketsUrl).toBe(`${BASE}/oidc/interaction/a%2Fb/tickets`);
  });

  it('reads the details with a GET', async () => {
    const { calls, api } = answering(200, DETAILS);
    expect(await api.details()).toEqual({ ok: true, value: DETAILS });
    expect(calls.map(({ url, init }) => [init?.method ?? 'GET', url])).toEqual([['GET', `${INTERACTION}/details`]]);
  });

  it("names a client without a name by its id, and keeps only the scopes' strings", async () => {
    const nameless = { ...DETAILS, prompt: 'consent', client: { id: 'blog', name: null }, scopes: ['openid', 7] };
    const { api } = answering(200, nameless);
    expect(await api.details()).toEqual({
      ok: true,
      value: { ...DETAILS, prompt: 'consent', client: { id: 'blog', name: 'blog' }, scopes: ['openid'] },
    });
  });

  it.each([
    ['an unknown prompt', { ...DETAILS, prompt: 'select_account' }],
    ['no client id', { ...DETAILS, client: { name: 'The Blog' } }],
    ['no scopes', { ...DETAILS, scopes: 'openid' }],
    ['a login prefix that is not a path', { ...DETAILS, loginPrefix: 'https://evil.example/api/login' }],
    ['no JSON', '<html>'],
  ])('takes details with %s for a BAD_RESPONSE', async (_what, body) => {
    expect(await answering(200, body).api.details()).toEqual({ ok: false, code: 'BAD_RESPONSE' });
  });

  it("gives the server's error code as a value: an interaction that is over is INTERACTION_NOT_FOUND", async () => {
    const { api } = answering(404, { error: { code: 'INTERACTION_NOT_FOUND', message: 'no such interaction' } });
    expect(await api.details()).toEqual({ ok: false, code: 'INTERACTION_NOT_FOUND' });
    expect(await api.logIn('t')).toEqual({ ok: false, code: 'INTERACTION_NOT_FOUND' });
  });

  it('gives NETWORK_ERROR when the server cannot be reached', async () => {
    const api = interactionApi(BASE, UID, async () => {
      throw new TypeError('fetch failed');
    });
    expect(await api.consent()).toEqual({ ok: false, code: 'NETWORK_ERROR' });
  });

  it.each([
    ['logIn', { token: 'jwt' }, 'login', (api: InteractionApi) => api.logIn('jwt')],
    ['consent', {}, 'consent', (api: InteractionApi) => api.consent()],
    ['abort', { reason: 'denied' }, 'abort', (api: InteractionApi) => api.abort('denied')],
  ])('%s posts %j as JSON to its route and answers where to go', async (_name, body, route, step) => {
    const { calls, api } = answering(200, { redirectTo: `${BASE}/oidc/auth/${UID}` });
    expect(await step(api)).toEqual({ ok: true, value: `${BASE}/oidc/auth/${UID}` });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`${INTERACTION}/${route}`);
    expect(calls[0].init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(calls[0].init!.body!)).toEqual(body);
  });

  it('resolves a redirect given as a path against the server', async () => {
    expect(await answering(200, { redirectTo: `/oidc/auth/${UID}` }).api.abort('cancelled')).toEqual({
      ok: true,
      value: `${BASE}/oidc/auth/${UID}`,
    });
  });

  it.each([
    ['a javascript: URL', { redirectTo: 'javascript:alert(1)' }],
    ['an empty one', { redirectTo: '' }],
    ['none', {}],
  ])('refuses %s to go to, as a BAD_RESPONSE', async (_what, body) => {
    expect(await answering(200, body).api.consent()).toEqual({ ok: false, code: 'BAD_RESPONSE' });
  });
});
