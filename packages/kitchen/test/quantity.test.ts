import { describe, expect, it } from 'vitest';
import { formatQuantity, parseQuantity, parseQuantityRange } from '@calos/kitchen';

describe('parseQuantity', () => {
  it.each([
    ['1', 1],
    ['0', 0],
    ['12', 12],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.25', 1.25],
    ['1,5', 1.5],
    ['2,25', 2.25],
    ['1,000', 1000],
    ['1,250.5', 1250.5],
  ])('reads the decimal %j as %s', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each([
    ['3/4', 0.75],
    ['1/2', 0.5],
    ['1/3', 1 / 3],
    ['5/4', 1.25],
    ['1 / 2', 0.5],
    ['1⁄2', 0.5], // U+2044 FRACTION SLASH
  ])('reads the fraction %j', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each([
    ['1 1/2', 1.5],
    ['2 3/4', 2.75],
    ['1-1/2', 1.5],
    ['1 - 1/2', 1.5],
    ['  1   1/2  ', 1.5],
    ['10 1/3', 10 + 1 / 3],
  ])('reads the mixed number %j', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each([
    ['½', 0.5],
    ['¼', 0.25],
    ['¾', 0.75],
    ['⅓', 1 / 3],
    ['⅔', 2 / 3],
    ['⅛', 0.125],
    ['⅜', 0.375],
    ['⅝', 0.625],
    ['⅞', 0.875],
    ['⅕', 0.2],
    ['⅙', 1 / 6],
    ['1½', 1.5],
    ['1 ½', 1.5],
    ['2¾', 2.75],
    ['1-½', 1.5],
  ])('reads the unicode fraction %j', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each([
    ['a', 1],
    ['an', 1],
    ['A', 1],
    ['one', 1],
    ['Two', 2],
    ['twelve', 12],
    ['dozen', 12],
    ['half', 0.5],
  ])('reads the word %j as %s', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each([
    ['2-3', 3],
    ['2–3', 3], // en dash
    ['2—3', 3], // em dash
    ['2 - 3', 3],
    ['2 to 3', 3],
    ['2 or 3', 3],
    ['1 1/2-2', 2],
    ['½-1', 1],
    ['1/2 - 3/4', 0.75],
    ['3-2', 3],
  ])('reads the range %j as its upper bound %s', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each([
    '',
    '   ',
    'abc',
    'some',
    '-1',
    '-½',
    '1/0',
    '0/0',
    '1 3/2',
    '1..2',
    '1/2/3',
    '2-',
    '-',
    '1e3',
    'Infinity',
    'NaN',
    '0x10',
    'constructor',
    '__proto__',
    '1 2',
    '2 cups',
  ])('returns null for %j', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
});

describe('parseQuantityRange', () => {
  it('gives both bounds of a range', () => {
    expect(parseQuantityRange('2-3')).toEqual({ min: 2, max: 3 });
    expect(parseQuantityRange('1 1/2 to 2')).toEqual({ min: 1.5, max: 2 });
    expect(parseQuantityRange('3–2')).toEqual({ min: 2, max: 3 });
  });

  it('gives equal bounds for a single quantity, null for nonsense', () => {
    expect(parseQuantityRange('1½')).toEqual({ min: 1.5, max: 1.5 });
    expect(parseQuantityRange('lots')).toBeNull();
  });
});

describe('formatQuantity', () => {
  it.each([
    [1.5, 'cup', '1 1/2'],
    [0.25, 'cup', '1/4'],
    [0.75, 'tbsp', '3/4'],
    [1 / 3, 'cup', '1/3'],
    [0.3333, 'cup', '1/3'],
    [2 / 3, 'cup', '2/3'],
    [0.6667, 'cup', '2/3'],
    [0.125, 'tsp', '1/8'],
    [2, 'tbsp', '2'],
    [6, 'tbsp', '6'],
    [1.97, 'cup', '2'],
    [2.4, 'oz', '2 1/3'],
    [1.5, 'lb', '1 1/2'],
    [1.25, 'fl oz', '1 1/4'],
    [0.625, 'cup', '2/3'],
    [1.5, 'Cups', '1 1/2'],
    [0, 'cup', '0'],
  ])('writes %s %s as %j (US: nearest kitchen fraction)', (value, unit, text) => {
    expect(formatQuantity(value, unit)).toBe(text);
  });

  it('never shows a real US amount as 0', () => {
    expect(formatQuantity(0.01, 'tsp')).toBe('1/8');
    expect(formatQuantity(0.05, 'cup')).toBe('1/8');
  });

  it.each([
    [700, 'g', '700'],
    [1.5, 'kg', '1.5'],
    [12.34, 'g', '12.3'],
    [1.234, 'l', '1.23'],
    [250, 'ml', '250'],
    [0.30000000000000004, 'kg', '0.3'],
    [0.004, 'g', '0.004'],
    [1000, 'grams', '1000'],
  ])('writes %s %s as %j (metric: decimals)', (value, unit, text) => {
    expect(formatQuantity(value, unit)).toBe(text);
  });

  it('writes counts like US amounts, in fractions', () => {
    expect(formatQuantity(3, null)).toBe('3');
    expect(formatQuantity(0.5, null)).toBe('1/2');
    expect(formatQuantity(1.5, 'clove')).toBe('1 1/2');
    expect(formatQuantity(0.75, 'can')).toBe('3/4');
  });

  it('writes unknown units as decimals', () => {
    expect(formatQuantity(1.5, 'bottle')).toBe('1.5');
    expect(formatQuantity(1 / 3, 'bottle')).toBe('0.33');
  });

  it('keeps the sign of a negative amount and rejects non-numbers', () => {
    expect(formatQuantity(-1.5, 'cup')).toBe('-1 1/2');
    expect(() => formatQuantity(Number.NaN, 'g')).toThrow(RangeError);
    expect(() => formatQuantity(Number.POSITIVE_INFINITY, 'cup')).toThrow(RangeError);
  });

  it('round-trips its own US output through parseQuantity', () => {
    for (const value of [0.125, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1, 1.5, 2.25, 3 + 2 / 3]) {
      expect(parseQuantity(formatQuantity(value, 'cup'))).toBeCloseTo(value, 10);
    }
  });
});
