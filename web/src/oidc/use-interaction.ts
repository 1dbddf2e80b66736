import { useEffect, useState } from 'react';
import type { InteractionApi, InteractionDetails, OidcResult } from './oidc-api';

/** The code for an interaction that is over, or that this browser has no cookie of. */
export const INTERACTION_NOT_FOUND = 'INTERACTION_NOT_FOUND';

export type InteractionView =
  | { phase: 'loading' }
  | { phase: 'login' | 'consent'; details: InteractionDetails }
  /** A step finished: the browser is on its way back to the client. */
  | { phase: 'leaving'; details: InteractionDetails }
  | { phase: 'error'; code: string };

/**
 * The interaction behind the page: its details (again on `retry`), and `finish`, which
 * runs a step that ends it (log in, consent, abort) and sends the browser where the
 * provider says. `api` is null when the page's path names no interaction.
 */
export function useInteraction(api: InteractionApi | null) {
  const [view, setView] = useState<InteractionView>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!api) {
      setView({ phase: 'error', code: INTERACTION_NOT_FOUND });
      return;
    }
    let live = true;
    setView({ phase: 'loading' });
    void api.details().then((result) => {
      if (!live) return;
      if (result.ok) setView({ phase: result.value.prompt, details: result.value });
      else setView({ phase: 'error', code: result.code });
    });
    return () => {
      live = false;
    };
  }, [api, attempt]);

  const retry = () => setAttempt((count) => count + 1);

  const finish = (details: InteractionDetails, step: () => Promise<OidcResult<string>>) => {
    // The view goes at once, so nothing on it (a second click) can start another step.
    setView({ phase: 'leaving', details });
    void step().then((result) => {
      // A navigation, not a form post: a CSP form-action would block the cross-origin
      // redirects that take the browser back to the client.
      if (result.ok) location.assign(result.value);
      else setView({ phase: 'error', code: result.code });
    });
  };

  return { view, retry, finish };
}
