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
  return (
    <aside className="simulator-notice" data-testid="simulator-notice" aria-labelledby="simulator-notice-title">
      <p className="simulator-notice-title" id="simulator-notice-title">
        {m.simulator.title}
      </p>
      <p className="simulator-notice-text">{m.simulator.detail}</p>
      {phoneUrl && (
        <a
          className="simulator-notice-link"
          href={phoneUrl}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="simulator-phone-link"
        >
          {m.simulator.openPhone}
          <span className="visually-hidden"> {m.simulator.newTab}</span>
        </a>
      )}
    </aside>
  );
}
