import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import sv from '../i18n/sv.json';
import { localiseMessage } from './messages.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { sv: { translation: sv }, en: { translation: en } }, lng: 'sv' });
});
const t = (k: string, a?: Record<string, string>) => i18n.t(k, a);

describe("the server's field messages in the user's language", () => {
  it('says the common ones in Swedish', () => {
    expect(localiseMessage('This field is required.', t)).toBe('Fältet måste fyllas i.');
    expect(localiseMessage('A date like 2026-12-31.', t)).toBe('Ange ett datum som 2026-12-31.');
    expect(localiseMessage('Use a date like 2026-12-31.', t)).toBe('Ange ett datum som 2026-12-31.');
    expect(localiseMessage('Titel is required.', t)).toBe('Titel måste fyllas i.');
    expect(localiseMessage('Startdatum: a date like 2026-12-31.', t)).toBe(
      'Startdatum: ange ett datum som 2026-12-31.',
    );
    expect(localiseMessage('Give a reason.', t)).toBe('Ange ett skäl.');
  });
  it('leaves any other message as the server wrote it', () => {
    expect(localiseMessage('The unit is not yours to order for.', t)).toBe(
      'The unit is not yours to order for.',
    );
  });
});
