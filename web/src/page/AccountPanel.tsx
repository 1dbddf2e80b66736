import { useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../react/ErrorNotice';
import { focusIsLost } from '../react/lost-focus';
import { messages, type Locale } from '../react/messages';
import type { PageMessages } from './page-messages';
import type { AccountView } from './use-account';

interface Props {
  locale: Locale;
  pm: PageMessages;
  view: AccountView;
  /** The panel replaced the code the user was in (they just logged in): its heading takes focus. */
  takeFocus: boolean;
  onRetry: () => void;
  onLogout: () => void;
}

/** Who is logged in, with a way out. */
export function AccountPanel({ locale, pm, view, takeFocus, onRetry, onLogout }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Also after "Try again", whose button goes away while the account loads.
  const focusHeading = useRef(takeFocus);
  const ready = view.phase === 'ready';
  useEffect(() => {
    if (!ready || !focusHeading.current) return;
    focusHeading.current = false;
    if (focusIsLost()) headingRef.current?.focus();
  }, [ready]);

  if (view.phase === 'loading') {
    return (
      <div className="account">
        <span className="msl-spinner" aria-hidden="true" />
      </div>
    );
  }
  if (view.phase === 'error') {
    const retry = () => {
      focusHeading.current = true;
      onRetry();
    };
    return <ErrorNotice m={messages[locale]} code={view.code} onRetry={retry} />;
  }
  const name = view.user.nickname || pm.unnamedUser;
  return (
    <div className="account" data-testid="logged-in" data-user-id={view.user.id}>
      <Avatar url={view.user.avatarUrl} name={name} alt={pm.avatarAlt(name)} />
      {/* Focusable from script only, to be where focus goes once the login arrives. */}
      <h2 className="nickname" data-testid="logged-in-nickname" tabIndex={-1} ref={headingRef}>
        {name}
      </h2>
      <button type="button" className="msl-button msl-button-quiet" data-testid="logout" onClick={onLogout}>
        {pm.logout}
      </button>
    </div>
  );
}

/** The user's avatar, or their initial when there is none or it fails to load. */
function Avatar({ url, name, alt }: { url: string | null; name: string; alt: string }) {
  const [broken, setBroken] = useState(false);
  if (url && !broken) {
    return <img className="avatar" src={url} alt={alt} width={96} height={96} onError={() => setBroken(true)} />;
  }
  return (
    <span className="avatar avatar-placeholder" role="img" aria-label={alt}>
      {Array.from(name)[0]}
    </span>
  );
}
