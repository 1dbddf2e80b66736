import { useCallback, useState } from 'react';
import { AccountPanel } from './AccountPanel';
import { Heading } from './Heading';
import { useLocale } from './locale';
import type { StatusKey } from './messages';
import { QrcodePanel } from './QrcodePanel';
import { ServerUnreachable } from './ServerUnreachable';
import { clearToken, readToken, saveToken } from './session-token';
import { SimulatorNotice } from './SimulatorNotice';
import { useAccount } from './use-account';
import { useLoginFlow } from './use-login-flow';
import { useWeChatMode } from './use-wechat-mode';

/** The login page: the code until someone logs in, then who they are. */
export function App() {
  const { locale, m, toggle } = useLocale();
  const [token, setToken] = useState(readToken);
  // Set once the user swapped the view (logged in or out): the new one takes the focus that
  // went away with the old. Not on load, where the reader starts at the top.
  const [takeFocus, setTakeFocus] = useState(false);

  const logIn = useCallback((next: string) => {
    saveToken(next);
    setToken(next);
    setTakeFocus(true);
  }, []);
  const logOut = useCallback(() => {
    clearToken();
    setToken(null);
    setTakeFocus(true);
  }, []);

  const login = useLoginFlow(token === null, logIn);
  const account = useAccount(token, logOut);
  const code = token === null && login.view.phase === 'ticket' ? login.view : null;
  const wechat = useWeChatMode(code?.ticket.wechat, token !== null);
  // Only a code that can still be scanned: a cancelled or expired one would open a dead end.
  const phoneUrl = code?.status === 'pending' || code?.status === 'scanned' ? code.ticket.phoneUrl : undefined;

  const statusKey: StatusKey =
    token === null
      ? login.view.phase === 'ticket'
        ? login.view.status
        : login.view.phase
      : account.view.phase === 'ready'
        ? 'loggedIn'
        : account.view.phase === 'error'
          ? 'error'
          : 'confirmed';

  return (
    <main className="page">
      <header className="header">
        <Heading parts={m.title} />
        <button
          type="button"
          className="language"
          lang={locale === 'zh' ? 'en' : 'zh-CN'}
          data-testid="language-switch"
          onClick={toggle}
        >
          {m.switchLabel}
        </button>
      </header>
      {wechat === 'simulator' && <SimulatorNotice m={m} phoneUrl={phoneUrl} />}
      <section className="card">
        <div className="status-area">
          {/* Always mounted, so screen readers announce each change of the text. */}
          <p
            className={`status status-${statusKey}`}
            data-testid="login-status"
            data-status={statusKey === 'loggedIn' ? 'confirmed' : statusKey}
            role="status"
            aria-live="polite"
          >
            {m.status[statusKey]}
          </p>
          <ServerUnreachable m={m} unreachable={token === null && login.unreachable} />
        </div>
        {token === null ? (
          <QrcodePanel m={m} view={login.view} takeFocus={takeFocus} onRefresh={login.refresh} onFail={login.fail} />
        ) : (
          <AccountPanel m={m} view={account.view} takeFocus={takeFocus} onRetry={account.retry} onLogout={logOut} />
        )}
      </section>
      {token === null && <p className="hint">{m.hint}</p>}
    </main>
  );
}
