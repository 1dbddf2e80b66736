import { useEffect, useState } from 'react';
import type { Language } from '../lib/language';
import { Texts, TEXTS } from '../lib/texts';
import { showLanguage, systemLanguage } from '../platform';

/**
 * The page's language (the system's, read once) and its texts; tells the system too
 * (title, and `<html lang>` on H5), since the page configs can only hold one language.
 */
export function usePageLanguage(title: (texts: Texts) => string): { language: Language; texts: Texts } {
  const [language] = useState(systemLanguage);
  const texts = TEXTS[language];
  const pageTitle = title(texts);
  useEffect(() => showLanguage(language, pageTitle), [language, pageTitle]);
  return { language, texts };
}
