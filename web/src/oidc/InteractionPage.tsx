import { ScanLogin } from '../react';
import { messages } from '../react/messages';
import { ErrorNotice } from '../react/ErrorNotice';
import { useDocumentTitle } from '../page/document-title';
import { Heading } from '../page/Heading';
import { LanguageSwitch } from '../page/LanguageSwitch';
import { useLocale } from '../page/locale';
import { pageMessages } from '../page/page-messages';
import { ConsentPanel } from './ConsentPanel';
import { InteractionCard } from './InteractionCard';
import type { InteractionApi } from './oidc-api';
import { oidcMessages } from './oidc-messages';
import { StatusCard } from './StatusCard';
import { INTERACTION_NOT_FOUND, useInteraction } from './use-interaction';

/**
 * The OpenID provider's interaction page, `/oidc/interaction/:uid`: a relying party sent the
 * browser here to log in (scan the code) or to consent (allow the scopes it asks for);
 * either way the browser goes back to it when the step is done, or abandoned.
 */
export function InteractionPage({ api }: { api: InteractionApi | null }) {
  const { locale, toggle } = useLocale();
  const om = oidcMessages[locale];
  const { view, retry, finish } = useInteraction(api);
  const details = view.phase === 'loading' || view.phase === 'error' ? null : view.details;
  const title = details?.prompt === 'consent' ? om.consentTitle : om.loginTitle;
  const name = details?.client.name ?? '';
  useDocumentTitle((details ? title(name) : pageMessages[locale].title).join(''));

  return (
    <main className="page" data-testid="oidc-interaction" data-state={view.phase}>
      <header className="header">
        <Heading
          parts={details ? title(<span data-testid="oidc-client-name">{name}</span>) : pageMessages[locale].title}
        />
        <LanguageSwitch locale={locale} onToggle={toggle} />
      </header>
      {view.phase === 'loading' && <StatusCard text={om.loading} />}
      {view.phase === 'leaving' && <StatusCard text={om.leaving(name)} />}
      {view.phase === 'error' && (
        <InteractionCard>
          {/* An interaction that is over cannot be tried again here: only the client starts another. */}
          <ErrorNotice
            m={messages[locale]}
            code={view.code}
            onRetry={view.code === INTERACTION_NOT_FOUND ? undefined : retry}
          />
        </InteractionCard>
      )}
      {view.phase === 'login' && api && (
        <ScanLogin
          locale={locale}
          prefix={view.details.loginPrefix}
          ticketsUrl={api.ticketsUrl}
          onLogin={({ token }) => finish(view.details, () => api.logIn(token))}
          onCancel={() => finish(view.details, () => api.abort('cancelled'))}
        />
      )}
      {view.phase === 'consent' && api && (
        <ConsentPanel
          om={om}
          scopes={view.details.scopes}
          onAllow={() => finish(view.details, () => api.consent())}
          onDeny={() => finish(view.details, () => api.abort('denied'))}
        />
      )}
    </main>
  );
}
