import { requestJson, isRecord } from './http-json';
import { LoginError } from './login-error';
import { parseUser } from './status-update';
import type { FetchLike, LoginUser } from './types';

/** `GET /api/me`: the user a token belongs to. A stale token fails with `TOKEN_INVALID`. */
export async function fetchCurrentUser(
  baseUrl: string,
  token: string,
  fetchImpl: FetchLike = (url, init) => globalThis.fetch(url, init),
): Promise<LoginUser> {
  const response = await requestJson(fetchImpl, `${baseUrl.replace(/\/+$/, '')}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const user = isRecord(response.body) ? parseUser(response.body.user) : null;
  if (!user) throw new LoginError(LoginError.BAD_RESPONSE, 'The answer of /api/me has no user.', response.status);
  return user;
}
