import { describe, expect, it } from 'vitest';
import { formatNumber, parseNumber } from './format.ts';

describe('numbers as people write them', () => {
  it('reads a Swedish decimal comma and spaces between thousands', () => {
    expect(parseNumber('13 500,50', 'sv')).toBe(13500.5);
    expect(parseNumber('12,5', 'sv')).toBe(12.5);
    expect(parseNumber('12.5', 'sv')).toBe(12.5);
    expect(parseNumber('15\u00a0000', 'sv')).toBe(15000);
    expect(parseNumber(formatNumber(2400000, 'sv'), 'sv')).toBe(2400000);
  });

  it('reads English thousands commas and a decimal point', () => {
    expect(parseNumber('13,500.50', 'en')).toBe(13500.5);
    expect(parseNumber(formatNumber(2400000, 'en'), 'en')).toBe(2400000);
    expect(parseNumber(' 40 ', 'en')).toBe(40);
  });

  it('refuses what would be read as another number: a comma outside groups of three, an ambiguous point, too many decimals', () => {
    expect(parseNumber('12,5', 'en')).toBeNull();
    expect(parseNumber('1,2,3', 'en')).toBeNull();
    expect(parseNumber('1,2,3', 'sv')).toBeNull();
    expect(parseNumber('1.500', 'sv')).toBeNull();
    expect(parseNumber('12,55', 'sv', 1)).toBeNull();
    expect(parseNumber('12.555', 'en')).toBeNull();
  });

  it('says when a text is not a number, and keeps a sign for the caller to judge', () => {
    expect(parseNumber('', 'sv')).toBeNull();
    expect(parseNumber('tolv', 'sv')).toBeNull();
    expect(parseNumber('-1', 'en')).toBe(-1);
  });
});
