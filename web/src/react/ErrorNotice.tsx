import { errorText, type Messages } from './messages';

/** What went wrong, in words, with a way to try again unless there is none (no `onRetry`). */
export function ErrorNotice({ m, code, onRetry }: { m: Messages; code: string; onRetry?: () => void }) {
  return (
    <div className="msl-notice" data-testid="login-error" data-code={code}>
      <p className="msl-notice-text" role="alert">{errorText(m, code)}</p>
      <p className="msl-notice-code">{code}</p>
      {onRetry && (
        <button type="button" className="msl-button" data-testid="login-retry" onClick={onRetry}>
          {m.retry}
        </button>
      )}
    </div>
  );
}
