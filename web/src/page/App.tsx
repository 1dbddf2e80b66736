import { useCallback, useState } from 'react';
import { ScanLogin, type ScanLoginAccount } from '../react';
import { AccountPanel } from './AccountPanel';
import { useDocumentTitle } from './document-title';
import { Heading } from './Heading';
import { LanguageSwitch } from './LanguageSwitch';
import { useLocale } from './locale';
import { pageMessages } from './page-messages';
import { clearToken, readToken, saveToken } from './session-token';
import { useAccount } from './use-account';

/**
 * The login page: the ScanLogin component until someone logs in, then, in the same card,
 * who they are (from `/api/me`) with a way out.
 */
export function App() {
  const { locale, toggle } = useLocale();
  const pm = pageMessages[locale];
  useDocumentTitle(pm.title.join(''));
  const [token, setToken] = useState(readToken);
  // Set once the user logged in here: the account view takes the focus that went away
  // with the code. Not on load, where the reader starts at the top.
  const [takeFocus, setTakeFocus] = useState(false);

  const logIn = useCallback(({ token: next }: { token: string }) => {
    saveToken(next);
    setToken(next);
    setTakeFocus(true);
  }, []);
  const logOut = useCallback(() => {
    clearToken();
    setToken(null);
  }, []);

  const account = useAccount(token, logOut);
  const shown: ScanLoginAccount | undefined =
    token === null
      ? undefined
      : {
          status: account.view.phase === 'ready' ? 'loggedIn' : account.view.phase === 'error' ? 'error' : 'confirmed',
          view: (
            <AccountPanel
              locale={locale}
              pm={pm}
              view={account.view}
              takeFocus={takeFocus}
              onRetry={account.retry}
              onLogout={logOut}
            />
          ),
        };

  return (
    <main className="page">
      <header className="header">
        <Heading parts={pm.title} />
        <LanguageSwitch locale={locale} onToggle={toggle} />
      </header>
      <ScanLogin locale={locale} onLogin={logIn} account={shown} />
    </main>
  );
}
