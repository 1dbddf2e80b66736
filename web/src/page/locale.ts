import { useCallback, useEffect, useState } from 'react';
import { browserLocale, type Locale } from '../react/messages';

const STORAGE_KEY = 'mp-scan-login.locale';

/** The reader's choice if they made one, else the browser's first language. */
export function initialLocale(): Locale {
  return readSaved() ?? browserLocale();
}

/** The page's language and a switch that remembers the choice. */
export function useLocale(): { locale: Locale; toggle: () => void } {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  const toggle = useCallback(() => {
    setLocale((current) => {
      const next = current === 'zh' ? 'en' : 'zh';
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Storage can be off (private modes); the switch still works for this visit.
      }
      return next;
    });
  }, []);
  return { locale, toggle };
}

function readSaved(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'zh' ? value : null;
  } catch {
    return null;
  }
}
