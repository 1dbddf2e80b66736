import type { Messages } from './messages';

/**
 * Says that the server is out of reach while the client keeps trying, so a waiting visitor
 * is not left with a countdown that runs as if all were well. Apart from the status line,
 * which keeps saying what the ticket is doing. Always mounted: a live region announces
 * what appears in it, not a region that appears.
 */
export function ServerUnreachable({ m, unreachable }: { m: Messages; unreachable: boolean }) {
  return (
    <div className="msl-unreachable-region" aria-live="polite">
      {unreachable && (
        <p className="msl-unreachable" data-testid="server-unreachable">
          <span className="msl-unreachable-title">{m.unreachable.title}</span> {m.unreachable.detail}
        </p>
      )}
    </div>
  );
}
