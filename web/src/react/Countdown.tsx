import { useEffect, useState } from 'react';

/** Time left until `until`, as m:ss, ticking each second. */
export function Countdown({ until, format }: { until: Date; format: (clock: string) => string }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((until.getTime() - now) / 1000));
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  // Deliberately not a live region: a clock read out every second would drown the status line.
  return (
    <p className="msl-countdown" data-testid="login-countdown">
      {format(clock)}
    </p>
  );
}
