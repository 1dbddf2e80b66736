import { useEffect, useState } from 'react';
import type { Language } from '../lib/language';
import { showLanguage, systemLanguage } from '../platform';

/**
 * The page's language (the system's, read once); tells the system too (the title, and
 * `<html lang>` on H5), since a page config can only hold one language.
 */
export function usePageLanguage(titleOf: (language: Language) => string): Language {
  const [language] = useState(systemLanguage);
  const title = titleOf(language);
  useEffect(() => showLanguage(language, title), [language, title]);
  return language;
}
