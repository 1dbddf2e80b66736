import { useRef, type ReactNode } from 'react';
import { DEFAULT_PREFIX, type LoginEvents } from '../client';
import { browserLocale, localeOf, messages, type StatusKey } from './messages';
import { QrcodePanel } from './QrcodePanel';
import { ServerUnreachable } from './ServerUnreachable';
import { SimulatorNotice } from './SimulatorNotice';
import { useLoginFlow } from './use-login-flow';
import { useWeChatMode } from './use-wechat-mode';

/** A host's own view of the logged-in user, shown in the card instead of the code. */
export interface ScanLoginAccount {
  /** What the status line says meanwhile: `loggedIn`, `confirmed` (still loading it) or `error`. */
  status: 'loggedIn' | 'confirmed' | 'error';
  view: ReactNode;
}

export interface ScanLoginProps {
  /** The login server's base URL, e.g. `https://login.example.com`. Default: this page's origin. */
  server?: string;
  /** Where its login routes live: `/api/login` (the default), or the host's `createScanLogin` prefix. */
  prefix?: string;
  /**
   * Where tickets are created, absolute or a path on `server`: e.g. an OpenID interaction's
   * `/oidc/interaction/:uid/tickets`. Default `${prefix}/tickets`; status and ws stay under `prefix`.
   */
  ticketsUrl?: string;
  /** `zh` or `en` (any `zh-…` tag is Chinese). Default: the browser's first language. */
  locale?: string;
  /** Called once per login with what the server sent the page: the token and the user. */
  onLogin?: (login: LoginEvents['confirmed']) => void;
  /**
   * Called once when the phone cancelled the login. When set, the host decides what follows,
   * so the cancelled code is not offered a fresh one.
   */
  onCancel?: () => void;
  /** Added to the root element's `msl` class. */
  className?: string;
  /**
   * While set, the card shows this instead of a code and no login runs: for a host that
   * keeps its logged-in view in the same card (the status line stays one live region).
   */
  account?: ScanLoginAccount;
}

/**
 * Log in by scanning a mini-program code: the code with a countdown, `scanned`, the
 * cancelled and expired overlays (an expired code is replaced by itself), errors with a
 * retry, a notice while the server cannot be reached, and the simulated-WeChat notice. The
 * ticket is kept in `sessionStorage`, so a reload resumes its code. Styles: `styles.css`.
 */
export function ScanLogin(props: ScanLoginProps) {
  const { server, prefix = DEFAULT_PREFIX, ticketsUrl, locale, onLogin, onCancel, className, account } = props;
  const base = server ?? globalThis.location?.origin ?? '';
  const lang = locale ? localeOf(locale) : browserLocale();
  const m = messages[lang];
  // A code that follows the host's account view (after a log-out) takes the focus it had.
  const afterAccount = useRef(false);
  const focusCode = afterAccount.current;
  if (account) afterAccount.current = true;

  const login = useLoginFlow(
    { active: !account, server: base, prefix, ticketsUrl },
    { onConfirmed: (confirmed) => onLogin?.(confirmed), onCancelled: () => onCancel?.() },
  );
  const code = !account && login.view.phase === 'ticket' ? login.view : null;
  const wechat = useWeChatMode(base, code?.ticket.wechat, account !== undefined);
  // Only a code that can still be scanned: a cancelled or expired one would open a dead end.
  const phoneUrl = code?.status === 'pending' || code?.status === 'scanned' ? code.ticket.phoneUrl : undefined;
  const statusKey: StatusKey = account
    ? account.status
    : login.view.phase === 'ticket'
      ? login.view.status
      : login.view.phase;

  return (
    <div className={className ? `msl ${className}` : 'msl'} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      {wechat === 'simulator' && <SimulatorNotice m={m} phoneUrl={phoneUrl} />}
      <section className="msl-card">
        <div className="msl-status-area">
          {/* Always mounted, so screen readers announce each change of the text. */}
          <p
            className={`msl-status msl-status-${statusKey}`}
            data-testid="login-status"
            data-status={statusKey === 'loggedIn' ? 'confirmed' : statusKey}
            role="status"
            aria-live="polite"
          >
            {m.status[statusKey]}
          </p>
          <ServerUnreachable m={m} unreachable={!account && login.unreachable} />
        </div>
        {account ? (
          account.view
        ) : (
          <QrcodePanel
            m={m}
            view={login.view}
            takeFocus={focusCode}
            hostHandlesCancel={onCancel !== undefined}
            onRefresh={login.refresh}
            onFail={login.fail}
          />
        )}
      </section>
      {!account && <p className="msl-hint">{m.hint}</p>}
    </div>
  );
}
