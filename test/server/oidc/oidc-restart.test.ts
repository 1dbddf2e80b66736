import { createServer } from 'node:net';
import { tempDir } from '../../support/temp-dir';
import { startTestServer } from '../../support/test-server';
import { RelyingParty } from '../../e2e/relying-party';
import { BrowserlessLogin } from './browserless-login';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('the OpenID Connect provider across a restart', () => {
  it('keeps its signing key in DATA_DIR: an ID token issued before verifies against the JWKS after', async () => {
    const data = tempDir('mp-scan-login-oidc-');
    const rp = await RelyingParty.listen('shop', 'shop-secret-that-is-long-enough-0123456789');
    const env = { PORT: String(await freePort()), DATA_DIR: data.path, OIDC_CLIENTS: JSON.stringify([rp.registration]) };
    try {
      const before = await startTestServer(env);
      await rp.discover(`${before.publicUrl}/oidc`);
      const request = await rp.authorization();
      const callback = await new BrowserlessLogin(before.url, before.publicUrl).logIn(request.url, 'grace');
      const tokens = await rp.exchange(callback, request);
      const jwksBefore = await (await fetch(`${before.url}/oidc/jwks`)).json();
      await before.close();
      // fetch's pool may still hold a socket the old server closed; let it notice.
      await new Promise((resolve) => setTimeout(resolve, 200));

      const after = await startTestServer(env);
      try {
        expect(await (await fetch(`${after.url}/oidc/jwks`)).json()).toEqual(jwksBefore);
        expect(jwksBefore.keys[0]).not.toHaveProperty('d');
        await rp.discover(`${after.publicUrl}/oidc`);
        expect(await rp.verifyIdToken(tokens.id_token!)).toMatchObject({ nickname: 'grace', aud: 'shop' });
      } finally {
        await after.close();
      }
    } finally {
      await rp.close();
      data.remove();
    }
  });
});
