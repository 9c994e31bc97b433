import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { sessionQuery } from '../api/session.ts';
import type { Locale, Me } from '../api/types.ts';
import { LANGUAGE_STORAGE_KEY } from './index.ts';

/** Switches the UI language, remembers it in this browser and, when signed in, on the account. */
export function useChangeLanguage() {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  return async (locale: Locale) => {
    await i18n.changeLanguage(locale);
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, locale);
    } catch {
      // storage may be unavailable (private mode); the account keeps the choice
    }
    const session = queryClient.getQueryData(sessionQuery.queryKey);
    if (session) {
      try {
        const me = await api.patch<Me>('/me', { locale });
        queryClient.setQueryData(sessionQuery.queryKey, (old) => (old ? { ...old, account: me.data } : old));
      } catch {
        // the language still changes for this browser
      }
    }
  };
}
