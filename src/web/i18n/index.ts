import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/types.ts';
import en from './en.json';
import sv from './sv.json';

export const LANGUAGES: Locale[] = ['sv', 'en'];
export const LANGUAGE_STORAGE_KEY = 'steward.lang';

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { sv: { translation: sv }, en: { translation: en } },
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator', 'htmlTag'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
    },
    returnNull: false,
  });

function syncHtmlLang(lng: string | undefined) {
  document.documentElement.lang = currentLocale(lng);
}
syncHtmlLang(i18n.resolvedLanguage ?? i18n.language);
i18n.on('languageChanged', syncHtmlLang);

/** The UI language as one of ours ('sv' | 'en'). */
export function currentLocale(lng: string | undefined = i18n.resolvedLanguage ?? i18n.language): Locale {
  return lng?.toLowerCase().startsWith('sv') ? 'sv' : 'en';
}

export default i18n;
