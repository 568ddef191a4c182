/**
 * Ingredient names as matching keys. Two spellings of the same ingredient ("Tomatoes ",
 * "tomato") must meet on one shopping-list line, but the rules stay small and predictable:
 * only case, whitespace, accents, trailing punctuation and the plural of the LAST word are
 * normalised. Synonyms are deliberately NOT merged ("scallion" stays apart from "green
 * onion", "cilantro" from "coriander") — a wrong merge is worse than a duplicate line.
 */

/**
 * Words that end like plurals but are singular or uncountable, and irregular plurals.
 * Words ending in -ss and -us are left alone by rule and need no entry here; -is is a plural
 * ("kiwis", "chilis") unless listed.
 */
const IRREGULAR_SINGULARS: ReadonlyMap<string, string> = new Map([
  // Look plural, are not.
  ['molasses', 'molasses'],
  ['schnapps', 'schnapps'],
  ['gras', 'gras'], // foie gras
  ['series', 'series'],
  ['species', 'species'],
  ['news', 'news'],
  ['christmas', 'christmas'],
  ['haggis', 'haggis'],
  ['pastis', 'pastis'],
  ['anis', 'anis'],
  ['iris', 'iris'],
  // -ves → -f
  ['leaves', 'leaf'],
  ['loaves', 'loaf'],
  ['halves', 'half'],
  ['calves', 'calf'],
  ['knives', 'knife'],
  // -ies → -ie (the general rule would make "cooky", "brownie" → "browny")
  ['cookies', 'cookie'],
  ['brownies', 'brownie'],
  ['pies', 'pie'],
  ['veggies', 'veggie'],
  ['smoothies', 'smoothie'],
  ['hoagies', 'hoagie'],
  ['calories', 'calorie'],
  ['movies', 'movie'],
  ['zombies', 'zombie'],
  ['rookies', 'rookie'],
  // -ies → -i
  ['chilies', 'chili'],
  ['chillies', 'chilli'],
  // -oes → -oe (the general rule makes "tomatoes" → "tomato")
  ['sloes', 'sloe'],
  ['roes', 'roe'],
  ['aloes', 'aloe'],
  ['shoes', 'shoe'],
  ['toes', 'toe'],
  ['oboes', 'oboe'],
  ['canoes', 'canoe'],
  // -ches → -che (the general rule makes "peaches" → "peach")
  ['quiches', 'quiche'],
  ['brioches', 'brioche'],
  ['ganaches', 'ganache'],
  ['caches', 'cache'],
  ['niches', 'niche'],
  // Irregular
  ['geese', 'goose'],
  ['mice', 'mouse'],
]);

/**
 * The singular of one (lower-case) English word, tuned for ingredients:
 * tomatoes→tomato, berries→berry, leaves→leaf, peaches→peach, boxes→box, eggs→egg;
 * asparagus, hummus, couscous, molasses, swiss, lemongrass, citrus, hibiscus, bass, haggis stay.
 */
export function singularize(word: string): string {
  const irregular = IRREGULAR_SINGULARS.get(word);
  if (irregular !== undefined) return irregular;
  // Not a plural worth touching: short words ("gas", "jus"), numbers, possessives ("hershey's").
  if (word.length <= 3 || !word.endsWith('s') || !/^[\p{L}-]+$/u.test(word)) return word;
  if (/(?:ss|us)$/.test(word)) return word; // grass, glass, bass, swiss, asparagus, hummus, citrus
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`; // berries, cherries, anchovies
  if (/oes$/.test(word)) return word.slice(0, -2); // tomatoes, potatoes, mangoes
  if (/(?:ch|sh|ss|zz|x)es$/.test(word)) return word.slice(0, -2); // peaches, dishes, glasses, boxes
  return word.slice(0, -1); // eggs, onions, cloves, olives, cheeses, peas, kiwis, chilis
}

/**
 * Cleans a name for display and comparison without changing its words: lower-case,
 * Unicode-normalised (NFC), trimmed, inner whitespace collapsed, trailing punctuation
 * (`.,;:!?*`) removed. "  Cherry   Tomatoes. " → "cherry tomatoes".
 */
export function cleanIngredientName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.,;:!?*]+$/, '');
}

/**
 * The matching key of an ingredient name: cleanIngredientName, accents removed
 * ("jalapeños" ~ "jalapenos"), then the last word made singular. "Cherry Tomatoes" →
 * "cherry tomato", "bay leaves" → "bay leaf", "Asparagus" → "asparagus".
 * Synonyms are not merged. Returns "" for a blank name.
 */
export function normalizeIngredientName(name: string): string {
  const cleaned = cleanIngredientName(name)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
  if (cleaned === '') return '';
  const words = cleaned.split(' ');
  const last = words.pop() ?? '';
  words.push(singularize(last));
  return words.join(' ');
}
