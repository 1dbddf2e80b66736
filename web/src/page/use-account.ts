import { useCallback, useEffect, useState } from 'react';
import { fetchCurrentUser, LoginError, type LoginUser } from '../client';

export type AccountView = { phase: 'loading' } | { phase: 'ready'; user: LoginUser } | { phase: 'error'; code: string };

const loading: AccountView = { phase: 'loading' };

/**
 * Loads the user behind `token` from `/api/me`. A token the server no longer accepts
 * calls `onInvalid`, so the page falls back to the login code instead of an error.
 */
export function useAccount(token: string | null, onInvalid: () => void) {
  // Tagged with its token, so a new login never shows the previous user for a frame.
  const [state, setState] = useState<{ token: string | null; view: AccountView }>({ token: null, view: loading });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (token === null) return;
    let current = true;
    setState({ token, view: loading });
    fetchCurrentUser(window.location.origin, token).then(
      (user) => current && setState({ token, view: { phase: 'ready', user } }),
      (error: unknown) => {
        if (!current) return;
        const code = error instanceof LoginError ? error.code : LoginError.BAD_RESPONSE;
        if (code === 'TOKEN_INVALID') onInvalid();
        else setState({ token, view: { phase: 'error', code } });
      },
    );
    return () => {
      current = false;
    };
  }, [token, attempt, onInvalid]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { view: state.token === token ? state.view : loading, retry };
}
