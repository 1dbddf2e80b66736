import { Countdown } from './Countdown';
import { ErrorNotice } from './ErrorNotice';
import type { Messages } from './messages';
import { QrcodeImage } from './QrcodeImage';
import type { LoginView } from './use-login-flow';

interface Props {
  m: Messages;
  view: LoginView;
  onRefresh: () => void;
  onFail: (code: string) => void;
}

/** The code, with the countdown under it and an overlay for every state but `pending`. */
export function QrcodePanel({ m, view, onRefresh, onFail }: Props) {
  if (view.phase === 'error') return <ErrorNotice m={m} code={view.code} onRetry={onRefresh} />;
  const ticket = view.phase === 'ticket' ? view.ticket : view.previous;
  const status = view.phase === 'ticket' ? view.status : null;
  const finished = status === 'cancelled' || status === 'expired';
  return (
    <div className="qrcode-panel">
      <div className={`qrcode-frame${status === 'pending' || status === null ? '' : ' is-dimmed'}`}>
        {ticket && <QrcodeImage key={ticket.ticketId} ticket={ticket} alt={m.qrAlt} onFail={onFail} />}
        {view.phase === 'loading' && (
          <div className="overlay">
            <span className="spinner" aria-hidden="true" />
          </div>
        )}
        {status === 'scanned' && (
          <div className="overlay">
            <svg className="check" viewBox="0 0 48 48" aria-hidden="true">
              <circle cx="24" cy="24" r="24" />
              <path d="M14 25l7 7 13-14" />
            </svg>
            <span className="overlay-text">{m.confirmOnPhone}</span>
          </div>
        )}
        {finished && (
          <div className="overlay">
            <button type="button" className="button" data-testid="login-refresh" onClick={onRefresh}>
              {m.refresh}
            </button>
          </div>
        )}
      </div>
      {view.phase === 'ticket' && (status === 'pending' || status === 'scanned') ? (
        <Countdown until={view.ticket.localExpiresAt} format={m.expiresIn} />
      ) : (
        <p className="countdown" aria-hidden="true">
          {view.phase === 'loading' && ticket ? m.refreshing : '\u00a0'}
        </p>
      )}
    </div>
  );
}
