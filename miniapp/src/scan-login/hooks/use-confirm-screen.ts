import { useEffect, useState } from 'react';
import { ConfirmScreen, ScreenDeps } from '../lib/confirm-screen';
import type { ConfirmView } from '../lib/confirm-view';

/** The confirm screen (lib/confirm-screen.ts) for the life of the page, and its latest view. */
export function useConfirmScreen(deps: () => ScreenDeps): { screen: ConfirmScreen; view: ConfirmView } {
  const [shown, setShown] = useState<ConfirmView>();
  const [screen] = useState(() => new ConfirmScreen(deps(), setShown));
  useEffect(() => {
    void screen.start();
    return () => screen.stop();
  }, [screen]);
  return { screen, view: shown ?? screen.view };
}
