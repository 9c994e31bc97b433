// A sentence the API says to a person, in the languages of the UI. Errors carry one; the problem+json
// answer is worded in the language the request asks for (Accept-Language: the web UI sends its own),
// English when it asks for neither.
import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';

export type Lang = 'en' | 'sv';
export const LANGS: readonly Lang[] = ['en', 'sv'];

/** English alone (said as it is in every language), or both. */
export type Text = string | { readonly en: string; readonly sv: string };

/** A sentence in English and Swedish, written side by side where it is said. */
export const say = (en: string, sv: string): Text => ({ en, sv });

export function inLanguage(text: Text, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}

/** The request's language among those the API speaks: the best one Accept-Language names, else English. */
export function requestLanguage(req: Pick<FastifyRequest, 'headers'>): Lang {
  const header = req.headers['accept-language'];
  if (!header) return 'en';
  return (new Negotiator({ headers: { 'accept-language': header } }).language([...LANGS]) as Lang) ?? 'en';
}
