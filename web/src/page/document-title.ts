import { useEffect } from 'react';

/** Keeps the tab's title at `title`, which follows the language and what the page shows. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}
