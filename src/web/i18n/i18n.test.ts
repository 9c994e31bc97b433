import { describe, expect, it } from 'vitest';
import en from './en.json';
import sv from './sv.json';

function keys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('web UI translations', () => {
  it('Swedish and English have exactly the same keys', () => {
    expect(keys(sv).sort()).toEqual(keys(en).sort());
  });
  it('no translation is empty', () => {
    for (const [lang, dict] of Object.entries({ sv, en }))
      for (const k of keys(dict)) {
        const value = k.split('.').reduce<any>((o, p) => o[p], dict);
        expect(value, `${lang}:${k}`).not.toBe('');
      }
  });
});
