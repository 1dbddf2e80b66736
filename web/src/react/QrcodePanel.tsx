import { useEffect, useRef } from 'react';
import { Countdown } from './Countdown';
import { ErrorNotice } from './ErrorNotice';
import { focusIsLost } from './lost-focus';
import type { Messages } from './messages';
import { QrcodeImage } from './QrcodeImage';
import type { LoginView } from './use-login-flow';

interface Props {
  m: Messages;
  view: LoginView;
  /** The panel replaced a view the user was in (after logging out): its first code takes focus. */
  takeFocus: boolean;
  /** The host handles a cancelled code (ScanLogin's `onCancel`): no fresh code is offered for it. */
  hostHandlesCancel: boolean;
  onRefresh: () => void;
  onFail: (code: string) => void;
}

/** The code, with the countdown under it and an overlay for every state but `pending`. */
export function QrcodePanel({ m, view, takeFocus, hostHandlesCancel, onRefresh, onFail }: Props) {
  const imageRef = useRef<HTMLImageElement>(null);
  // Whether the next code takes focus: the refresh (or retry) button had it, clicked or
  // tabbed to before the code refreshed by itself, and goes away with the old code.
  const focusNextCode = useRef(takeFocus);
  const shownTicketId = view.phase === 'ticket' ? view.ticket.ticketId : null;
  useEffect(() => {
    if (shownTicketId === null || !focusNextCode.current) return;
    focusNextCode.current = false;
    if (focusIsLost()) imageRef.current?.focus();
  }, [shownTicketId]);
  const refocus = () => {
    focusNextCode.current = true;
  };
  const refresh = () => {
    refocus();
    onRefresh();
  };

  if (view.phase === 'error') return <ErrorNotice m={m} code={view.code} onRetry={refresh} />;
  const ticket = view.phase === 'ticket' ? view.ticket : view.previous;
  const status = view.phase === 'ticket' ? view.status : null;
  const offerRefresh = status === 'expired' || (status === 'cancelled' && !hostHandlesCancel);
  return (
    <div className="msl-qrcode-panel">
      <div className={`msl-qrcode-frame${status === 'pending' || status === null ? '' : ' msl-is-dimmed'}`}>
        {ticket && (
          <QrcodeImage key={ticket.ticketId} ticket={ticket} alt={m.qrAlt} imageRef={imageRef} onFail={onFail} />
        )}
        {view.phase === 'loading' && (
          <div className="msl-overlay">
            <span className="msl-spinner" aria-hidden="true" />
          </div>
        )}
        {(status === 'scanned' || status === 'confirmed') && (
          <div className="msl-overlay">
            <svg className="msl-check" viewBox="0 0 48 48" aria-hidden="true">
              <circle cx="24" cy="24" r="24" />
              <path d="M14 25l7 7 13-14" />
            </svg>
            {status === 'scanned' && <span className="msl-overlay-text">{m.confirmOnPhone}</span>}
          </div>
        )}
        {offerRefresh && (
          <div className="msl-overlay">
            <button
              type="button"
              className="msl-button"
              data-testid="login-refresh"
              onFocus={refocus}
              onClick={refresh}
            >
              {m.refresh}
            </button>
          </div>
        )}
      </div>
      {view.phase === 'ticket' && (status === 'pending' || status === 'scanned') ? (
        <Countdown until={view.ticket.localExpiresAt} format={m.expiresIn} />
      ) : (
        <p className="msl-countdown" aria-hidden="true">
          {view.phase === 'loading' && ticket ? m.refreshing : '\u00a0'}
        </p>
      )}
    </div>
  );
}
