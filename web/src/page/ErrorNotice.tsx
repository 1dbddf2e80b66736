import { errorText, type Messages } from './messages';

/** What went wrong, in words, with a way to try again. */
export function ErrorNotice({ m, code, onRetry }: { m: Messages; code: string; onRetry: () => void }) {
  return (
    <div className="notice" data-testid="login-error" data-code={code}>
      <p className="notice-text" role="alert">{errorText(m, code)}</p>
      <p className="notice-code">{code}</p>
      <button type="button" className="button" data-testid="login-retry" onClick={onRetry}>
        {m.retry}
      </button>
    </div>
  );
}
