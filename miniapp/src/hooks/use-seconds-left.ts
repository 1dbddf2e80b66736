import { useEffect, useState } from 'react';
import { msUntilNextSecond, secondsLeft } from '../lib/countdown';

/**
 * Whole seconds until `deadline` (the phone's clock, ms), redrawn when the number changes
 * and so reaching 0 at the deadline itself; undefined without a deadline. Every redraw
 * reads the clock again, so a timer that WeChat held while the mini-program was in the
 * background only delays the redraw, not the count.
 */
export function useSecondsLeft(deadline: number | undefined): number | undefined {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (deadline === undefined) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const redraw = () => {
      const current = Date.now();
      setNow(current);
      const wait = msUntilNextSecond(deadline, current);
      if (wait > 0) timer = setTimeout(redraw, wait);
    };
    redraw();
    return () => clearTimeout(timer);
  }, [deadline]);
  return deadline === undefined ? undefined : secondsLeft(deadline, now);
}
