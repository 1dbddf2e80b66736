import { useState } from 'react';
import { ErrorNotice } from './ErrorNotice';
import type { Messages } from './messages';
import type { AccountView } from './use-account';

interface Props {
  m: Messages;
  view: AccountView;
  onRetry: () => void;
  onLogout: () => void;
}

/** Who is logged in, with a way out. */
export function AccountPanel({ m, view, onRetry, onLogout }: Props) {
  if (view.phase === 'loading') {
    return (
      <div className="account">
        <span className="spinner" aria-hidden="true" />
      </div>
    );
  }
  if (view.phase === 'error') return <ErrorNotice m={m} code={view.code} onRetry={onRetry} />;
  const name = view.user.nickname || m.unnamedUser;
  return (
    <div className="account" data-testid="logged-in" data-user-id={view.user.id}>
      <Avatar url={view.user.avatarUrl} name={name} alt={m.avatarAlt(name)} />
      <p className="nickname" data-testid="logged-in-nickname">
        {name}
      </p>
      <button type="button" className="button button-quiet" data-testid="logout" onClick={onLogout}>
        {m.logout}
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
