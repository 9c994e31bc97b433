import { useEffect } from 'react';

export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = !title || title.includes('Steward') ? title || 'Steward' : `${title} · Steward`;
  }, [title]);
}
