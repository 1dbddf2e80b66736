import { InteractionCard } from './InteractionCard';
import { scopeText, type OidcMessages } from './oidc-messages';

interface Props {
  om: OidcMessages;
  scopes: readonly string[];
  onAllow: () => void;
  onDeny: () => void;
}

/** What the client asks for, in words, and the visitor's answer. */
export function ConsentPanel({ om, scopes, onAllow, onDeny }: Props) {
  return (
    <InteractionCard>
      <p className="oidc-consent-intro">{om.consentIntro}</p>
      <ul className="oidc-scopes" data-testid="oidc-consent-scopes">
        {scopes.map((scope) => (
          <li key={scope} data-scope={scope}>
            {scopeText(om, scope)}
          </li>
        ))}
      </ul>
      <div className="oidc-actions">
        <button type="button" className="msl-button msl-button-quiet" data-testid="oidc-consent-deny" onClick={onDeny}>
          {om.deny}
        </button>
        <button type="button" className="msl-button" data-testid="oidc-consent-allow" onClick={onAllow}>
          {om.allow}
        </button>
      </div>
    </InteractionCard>
  );
}
