import type { Locale } from '../react/messages';
import { pageMessages } from './page-messages';

/** The button that switches between Chinese and English, labelled in the language it switches to. */
export function LanguageSwitch({ locale, onToggle }: { locale: Locale; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="language"
      lang={locale === 'zh' ? 'en' : 'zh-CN'}
      data-testid="language-switch"
      onClick={onToggle}
    >
      {pageMessages[locale].switchLabel}
    </button>
  );
}
