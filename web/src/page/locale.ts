import { useCallback, useEffect, useState } from 'react';
import { messages, type Locale, type Messages } from './messages';

const STORAGE_KEY = 'mp-scan-login.locale';

/** The reader's choice if they made one, else the browser's first language. */
export function initialLocale(): Locale {
  const saved = readSaved();
  if (saved) return saved;
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'en';
  return preferred.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The current messages and a switch that remembers the choice. */
export function useLocale(): { locale: Locale; m: Messages; toggle: () => void } {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
    document.title = messages[locale].title.join('');
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
  return { locale, m: messages[locale], toggle };
}

function readSaved(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'zh' ? value : null;
  } catch {
    return null;
  }
}
