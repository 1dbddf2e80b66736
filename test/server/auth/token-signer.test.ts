import jwt from 'jsonwebtoken';
import { JwtSigner } from '../../../server/auth/token-signer';

describe('JwtSigner', () => {
  const secret = 'a-test-secret-long-enough-for-hs256-signing';
  const signer = new JwtSigner(secret, 600);

  it('signs HS256 tokens with sub, iat, exp and a jti of their own', () => {
    const token = signer.sign('user-1');
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header.alg).toBe('HS256');
    expect(decoded?.payload).toEqual({
      sub: 'user-1',
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
    });
    const payload = decoded?.payload as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(signer.verify(token)).toEqual({ userId: 'user-1', tokenId: payload.jti, expiresAt: payload.exp! * 1000 });
    expect(signer.verify(signer.sign('user-1'))?.tokenId).not.toBe(payload.jti);
  });

  it('returns undefined for expired, tampered, foreign and algorithm-swapped tokens', () => {
    const withoutId = jwt.sign({ sub: 'u' }, secret, { algorithm: 'HS256' });
    const expired = jwt.sign({ sub: 'u', exp: Math.floor(Date.now() / 1000) - 10 }, secret, { algorithm: 'HS256' });
    const foreign = jwt.sign({ sub: 'u' }, 'some-other-secret-of-sufficient-length', { algorithm: 'HS256' });
    const hs512 = jwt.sign({ sub: 'u' }, secret, { algorithm: 'HS512' });
    const unsigned = jwt.sign({ sub: 'u' }, '', { algorithm: 'none' });
    const tampered = signer.sign('u').replace(/\.[^.]+\./, `.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`);
    for (const token of [withoutId, expired, foreign, hs512, unsigned, tampered, 'garbage']) {
      expect(signer.verify(token)).toBeUndefined();
    }
  });
});
