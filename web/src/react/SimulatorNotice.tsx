import { useId } from 'react';
import type { Messages } from './messages';

interface Props {
  m: Messages;
  /** The phone's confirm page for the code on screen, when the server offers it. */
  phoneUrl: string | undefined;
}

/**
 * Says that no real WeChat is behind this login (a demo: anyone can confirm, under any
 * name), with a link that plays the phone for the code on screen, so the login can be tried
 * without one.
 */
export function SimulatorNotice({ m, phoneUrl }: Props) {
  // Unique per instance: a host page may show more than one login.
  const titleId = useId();
  return (
    <aside className="msl-simulator-notice" data-testid="simulator-notice" aria-labelledby={titleId}>
      <p className="msl-simulator-notice-title" id={titleId}>
        {m.simulator.title}
      </p>
      <p className="msl-simulator-notice-text">{m.simulator.detail}</p>
      {phoneUrl && (
        <a
          className="msl-simulator-notice-link"
          href={phoneUrl}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="simulator-phone-link"
        >
          {m.simulator.openPhone}
          <span className="msl-visually-hidden"> {m.simulator.newTab}</span>
        </a>
      )}
    </aside>
  );
}
