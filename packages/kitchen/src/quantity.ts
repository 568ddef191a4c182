import { normalizeUnit, roundForUnit, systemOf } from './unit-conversion.js';

/** Unicode vulgar fractions as they appear in pasted recipes ("1½ cups"). */
export const UNICODE_FRACTIONS: Readonly<Partial<Record<string, number>>> = {
  '½': 1 / 2,
  '⅓': 1 / 3,
  '⅔': 2 / 3,
  '¼': 1 / 4,
  '¾': 3 / 4,
  '⅕': 1 / 5,
  '⅖': 2 / 5,
  '⅗': 3 / 5,
  '⅘': 4 / 5,
  '⅙': 1 / 6,
  '⅚': 5 / 6,
  '⅐': 1 / 7,
  '⅛': 1 / 8,
  '⅜': 3 / 8,
  '⅝': 5 / 8,
  '⅞': 7 / 8,
  '⅑': 1 / 9,
  '⅒': 1 / 10,
};

/** The unicode fraction characters, ready to embed in a regular-expression character class. */
export const UNICODE_FRACTION_CHARS = Object.keys(UNICODE_FRACTIONS).join('');

/** Words that stand for a number at the start of an ingredient ("a pinch", "two eggs"). */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['a', 1],
  ['an', 1],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['dozen', 12],
  ['half', 1 / 2],
]);

export interface QuantityRange {
  min: number;
  max: number;
}

const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const DECIMAL_COMMA = /^\d+,\d{1,2}$/; // "1,5" — a European decimal comma
const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/; // "1,000" or "1,250.5"
const FRACTION = /^(\d+)\/(\d+)$/;
const MIXED = /^(\d+)(?:\s+|\s*-\s*)(\d+)\/(\d+)$/; // "1 1/2", "1-1/2"
const UNICODE_MIXED = new RegExp(`^(?:(\\d+)\\s*-?\\s*)?([${UNICODE_FRACTION_CHARS}])$`); // "½", "1½", "1 ½"
const RANGE_SEPARATOR = /\s*[-–—]\s*|\s+(?:to|or)\s+/g;

/** Lower-cases, unifies fraction slashes and collapses whitespace. */
function clean(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[\u2044\u2215]/g, '/')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A single non-negative number in any supported notation, or null. */
function parseSingle(text: string): number | null {
  if (DECIMAL.test(text)) return Number(text);
  if (DECIMAL_COMMA.test(text)) return Number(text.replace(',', '.'));
  if (THOUSANDS.test(text)) return Number(text.replace(/,/g, ''));

  const fraction = FRACTION.exec(text);
  if (fraction) return divide(Number(fraction[1]), Number(fraction[2]));

  const mixed = MIXED.exec(text);
  if (mixed) {
    const numerator = Number(mixed[2]);
    const denominator = Number(mixed[3]);
    // "1 3/2" is not a mixed number anyone writes; refuse rather than guess.
    if (numerator >= denominator) return null;
    const part = divide(numerator, denominator);
    return part === null ? null : Number(mixed[1]) + part;
  }

  const unicode = UNICODE_MIXED.exec(text);
  if (unicode) {
    const part = UNICODE_FRACTIONS[unicode[2] ?? ''];
    if (part === undefined) return null;
    return Number(unicode[1] ?? 0) + part;
  }

  return NUMBER_WORDS.get(text) ?? null;
}

function divide(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * Parses a written quantity into its bounds: `"2-3"` → `{ min: 2, max: 3 }`, `"1 1/2"` →
 * `{ min: 1.5, max: 1.5 }`. Ranges are written with `-`, `–`, `—`, `to` or `or`.
 * Returns null for anything that is not a non-negative quantity.
 */
export function parseQuantityRange(raw: string): QuantityRange | null {
  const text = clean(raw);
  if (text === '') return null;

  const single = parseSingle(text);
  if (single !== null) return { min: single, max: single };

  for (const separator of text.matchAll(RANGE_SEPARATOR)) {
    const low = parseSingle(text.slice(0, separator.index));
    const high = parseSingle(text.slice(separator.index + separator[0].length));
    if (low !== null && high !== null) return { min: Math.min(low, high), max: Math.max(low, high) };
  }
  return null;
}

/**
 * Parses a written quantity: integers and decimals (`"0.5"`, `".5"`, European `"0,5"`,
 * `"1,000"` with a thousands separator), fractions (`"3/4"`), mixed numbers (`"1 1/2"`,
 * `"1-1/2"`), unicode fractions (`"½"`, `"1½"`, `"1 ½"`) and number words (`"a"`, `"an"`,
 * `"one"`…`"twelve"`, `"dozen"`, `"half"`). Returns null when the text is not a quantity.
 *
 * A range (`"2-3"`, `"2–3"`, `"2 to 3"`, `"2 or 3"`) yields its UPPER bound: the result feeds
 * shopping lists and scaling, where buying slightly too much beats running short. Use
 * parseQuantityRange to see both bounds.
 */
export function parseQuantity(raw: string): number | null {
  return parseQuantityRange(raw)?.max ?? null;
}

/** The fractions a cook can measure; formatQuantity snaps US amounts to the nearest of these. */
const KITCHEN_FRACTIONS: ReadonlyArray<readonly [value: number, text: string]> = [
  [0, ''],
  [1 / 8, '1/8'],
  [1 / 4, '1/4'],
  [1 / 3, '1/3'],
  [1 / 2, '1/2'],
  [2 / 3, '2/3'],
  [3 / 4, '3/4'],
  [1, ''],
];

function formatAsFraction(value: number): string {
  let whole = Math.floor(value);
  const remainder = value - whole;
  let best = KITCHEN_FRACTIONS[0] ?? [0, ''];
  for (const candidate of KITCHEN_FRACTIONS) {
    if (Math.abs(remainder - candidate[0]) < Math.abs(remainder - best[0])) best = candidate;
  }
  if (best[0] === 1) whole += 1;
  // A real but tiny amount is shown as the smallest measurable fraction, never as "0".
  if (whole === 0 && best[1] === '' && value > 0) return '1/8';
  if (best[1] === '') return String(whole);
  return whole === 0 ? best[1] : `${whole} ${best[1]}`;
}

/**
 * Formats a quantity for people. US units (tsp, tbsp, cup, fl oz, oz, lb) and count-like
 * units (including no unit) are written as a whole number plus the nearest of 1/8, 1/4,
 * 1/3, 1/2, 2/3, 3/4 (`1.5` → `"1 1/2"`, `0.3` → `"1/3"`), because that is how they are
 * measured; a positive amount never shows as "0". Metric and unknown units get plain
 * decimals rounded to the unit's precision (`700`, `1.5`, `12.5`).
 */
export function formatQuantity(value: number, unit: string | null | undefined): string {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot format ${value} as a quantity.`);
  if (value < 0) return `-${formatQuantity(-value, unit)}`;
  const canonical = normalizeUnit(unit);
  if (canonical === null) return String(roundForUnit(value, 'piece'));
  if (systemOf(canonical) === 'metric') return String(roundForUnit(value, canonical));
  return formatAsFraction(value);
}
