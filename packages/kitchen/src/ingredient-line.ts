import { NUMBER_WORDS, UNICODE_FRACTION_CHARS, parseQuantity } from './quantity.js';
import { type CanonicalUnit, normalizeUnit } from './unit-conversion.js';

/** A free-text ingredient line split into the fields recipes store. */
export interface ParsedIngredientLine {
  /** null when the line gives no amount ("salt to taste"). Ranges give their upper bound. */
  quantity: number | null;
  /** Canonical unit; `piece` for a bare count ("3 eggs"); null when there is no quantity. */
  unit: CanonicalUnit | null;
  /** The ingredient as written (case kept), without amount, unit and notes. */
  name: string;
  /** Preparation and remarks: text after the first comma, parentheses, "to taste", … */
  note: string | null;
}

const FRACTION_CLASS = `[${UNICODE_FRACTION_CHARS}]`;
/** One number: "2", "1.5", ".5", "1,5", "1/2", "1 1/2", "1-1/2", "½", "1½", "1 ½". */
const NUMBER = String.raw`(?:\d+(?:[.,]\d+)*(?:\s*${FRACTION_CLASS}|(?:\s+|\s*-\s*)\d+\s*[/⁄]\s*\d+|\s*[/⁄]\s*\d+)?|\.\d+|${FRACTION_CLASS})`;
const NUMBER_RANGE = String.raw`${NUMBER}(?:\s*[-–—]\s*${NUMBER}|\s+(?:to|or)\s+${NUMBER})?`;
const WORD = `(?:${[...NUMBER_WORDS.keys()].join('|')})(?=\\s)`;
const LEADING_QUANTITY = new RegExp(`^(?:${NUMBER_RANGE}|${WORD})`, 'i');

/** Remarks that trail a name without a comma: "salt to taste", "parsley for garnish". */
const TRAILING_REMARK =
  /\s+((?:or\s+)?(?:to taste|as needed|as required|if needed|for garnish(?:ing)?|for serving|for decoration|for frying|for greasing|for dusting|optional))$/i;

/** Bullets and list markers in pasted recipes: "- ", "* ", "• ", "▢ ". */
const BULLET = /^[-*•·▪▢◦–](?:\s+|$)/;

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Splits off a parenthetical at the start of `text`: "(400 g) can" → ["400 g", "can"]. */
function leadingParenthetical(text: string): [inner: string, rest: string] | null {
  if (!text.startsWith('(')) return null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return [tidy(text.slice(1, i)), tidy(text.slice(i + 1))];
  }
  return null;
}

/** Removes every top-level parenthetical from `text`, collecting their contents as notes. */
function extractParentheticals(text: string, notes: string[]): string {
  let out = '';
  let depth = 0;
  let inner = '';
  for (const char of text) {
    if (char === '(') {
      if (depth > 0) inner += char;
      depth++;
    } else if (char === ')' && depth > 0) {
      depth--;
      if (depth === 0) {
        if (tidy(inner) !== '') notes.push(tidy(inner));
        inner = '';
        out += ' ';
      } else inner += char;
    } else if (depth > 0) inner += char;
    else out += char;
  }
  // An unclosed "(" is kept as text rather than silently dropping the rest of the line.
  if (depth > 0) out += `(${inner}`;
  return tidy(out);
}

/** Index of the first comma outside parentheses, or -1. */
function topLevelComma(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) return i;
  }
  return -1;
}

/** A unit at the start of `text` (two words first, for "fl oz"), with what follows it. */
function leadingUnit(text: string): [unit: CanonicalUnit, rest: string] | null {
  const words = text.split(' ');
  for (const take of [2, 1]) {
    if (words.length < take) continue;
    const candidate = words.slice(0, take).join(' ');
    const unit = candidate === '' ? null : normalizeUnit(candidate);
    if (unit !== null) return [unit, tidy(text.slice(candidate.length))];
  }
  return null;
}

/**
 * Parses one free-text ingredient line, as pasted by users or produced by AI:
 * - `"1 1/2 cups all-purpose flour, sifted"` → `{ quantity: 1.5, unit: 'cup', name: 'all-purpose flour', note: 'sifted' }`
 * - `"2 cloves garlic"` → clove; `"3 eggs"` → unit `piece`; `"200g butter"` → g
 * - `"1 (400 g) can chickpeas"` → `{ quantity: 1, unit: 'can', name: 'chickpeas', note: '400 g' }`
 * - `"salt to taste"` → `{ quantity: null, unit: null, name: 'salt', note: 'to taste' }`
 * - `"a pinch of salt"` and `"pinch of salt"` → 1 pinch; `"2-3 tbsp oil"` → 3 tbsp (upper bound);
 *   `"2 dozen eggs"` → 24 pieces; `"half an onion"` → 0.5 piece
 * Notes from parentheses, after the first comma and trailing remarks are joined with ", ".
 * Returns null for a line with no ingredient name (blank, a bare number, only punctuation).
 */
export function parseIngredientLine(line: string): ParsedIngredientLine | null {
  let rest = tidy(line).replace(BULLET, '');
  const notes: string[] = [];

  let quantity: number | null = null;
  const quantityMatch = LEADING_QUANTITY.exec(rest);
  if (quantityMatch) {
    quantity = parseQuantity(quantityMatch[0]);
    if (quantity !== null) {
      rest = tidy(rest.slice(quantityMatch[0].length));
      // "2 dozen eggs", "a dozen eggs"; "half an onion", "half a cup of milk".
      if (/^dozen\s/i.test(rest)) {
        quantity *= 12;
        rest = rest.slice('dozen'.length).trim();
      } else if (/^half$/i.test(quantityMatch[0])) {
        rest = rest.replace(/^an?\s+/i, '');
      }
    }
  }

  const takeParenthetical = () => {
    const parenthetical = leadingParenthetical(rest);
    if (parenthetical) {
      if (parenthetical[0] !== '') notes.push(parenthetical[0]);
      rest = parenthetical[1];
    }
  };
  takeParenthetical(); // "1 (400 g) can chickpeas"

  let unit: CanonicalUnit | null = null;
  const unitMatch = leadingUnit(rest);
  if (unitMatch) {
    const [candidate, afterUnit] = unitMatch;
    const startsWithOf = /^of\s/i.test(afterUnit);
    // "2 cloves garlic" and "pinch of salt" name a unit; a bare "2 cloves" is an ingredient.
    if ((quantity !== null || startsWithOf) && afterUnit !== '' && !/^of$/i.test(afterUnit)) {
      unit = candidate;
      quantity ??= 1;
      rest = afterUnit;
      takeParenthetical(); // "1 can (400 g) chickpeas"
      rest = rest.replace(/^of\s+/i, '');
    }
  }
  if (quantity !== null && unit === null) unit = 'piece';

  const comma = topLevelComma(rest);
  let tail = '';
  if (comma >= 0) {
    tail = tidy(rest.slice(comma + 1));
    rest = rest.slice(0, comma);
  }
  let name = extractParentheticals(rest, notes);
  const remark = TRAILING_REMARK.exec(name);
  if (remark) {
    name = name.slice(0, remark.index);
    notes.push(remark[1] ?? '');
  }
  if (tail !== '') notes.push(tail);

  name = tidy(name).replace(/[\s.,;:]+$/, '');
  if (!/[\p{L}\p{N}]/u.test(name)) return null;
  const note = notes.map(tidy).filter((n) => n !== '').join(', ');
  return { quantity, unit, name, note: note === '' ? null : note };
}
