import { describe, expect, it } from 'vitest';
import { cleanIngredientName, normalizeIngredientName, singularize } from '@calos/kitchen';

describe('normalizeIngredientName', () => {
  it.each([
    ['tomatoes', 'tomato'],
    ['potatoes', 'potato'],
    ['mangoes', 'mango'],
    ['berries', 'berry'],
    ['raspberries', 'raspberry'],
    ['cherries', 'cherry'],
    ['anchovies', 'anchovy'],
    ['leaves', 'leaf'],
    ['loaves', 'loaf'],
    ['halves', 'half'],
    ['eggs', 'egg'],
    ['onions', 'onion'],
    ['cloves', 'clove'],
    ['olives', 'olive'],
    ['chives', 'chive'],
    ['chilies', 'chili'],
    ['chillies', 'chilli'],
    ['chilis', 'chili'],
    ['kiwis', 'kiwi'],
    ['dishes', 'dish'],
    ['radishes', 'radish'],
    ['squashes', 'squash'],
    ['boxes', 'box'],
    ['peaches', 'peach'],
    ['sandwiches', 'sandwich'],
    ['cheeses', 'cheese'],
    ['sauces', 'sauce'],
    ['dates', 'date'],
    ['avocados', 'avocado'],
    ['pistachios', 'pistachio'],
    ['peas', 'pea'],
    ['chickpeas', 'chickpea'],
    ['figs', 'fig'],
    ['cookies', 'cookie'],
    ['brownies', 'brownie'],
    ['quiches', 'quiche'],
    ['sloes', 'sloe'],
    ['glasses', 'glass'],
  ])('singularises %j to %j', (name, key) => {
    expect(normalizeIngredientName(name)).toBe(key);
  });

  it.each([
    'asparagus',
    'hummus',
    'couscous',
    'molasses',
    'swiss',
    'lemongrass',
    'grass',
    'glass',
    'citrus',
    'hibiscus',
    'bass',
    'watercress',
    'octopus',
    'haggis',
    'schnapps',
    'tomato',
    'egg',
    'rice',
    'flour',
    'gas',
    'jus',
  ])('keeps %j, which only looks plural or is already singular', (name) => {
    expect(normalizeIngredientName(name)).toBe(name);
  });

  it('normalises case, whitespace and trailing punctuation', () => {
    expect(normalizeIngredientName('Tomatoes')).toBe('tomato');
    expect(normalizeIngredientName('  Cherry   Tomatoes. ')).toBe('cherry tomato');
    expect(normalizeIngredientName('\tred \n onions,')).toBe('red onion');
    expect(normalizeIngredientName('FLOUR:')).toBe('flour');
    expect(normalizeIngredientName('eggs!?')).toBe('egg');
    expect(normalizeIngredientName('Sea Bass')).toBe('sea bass');
  });

  it('makes only the last word singular', () => {
    expect(normalizeIngredientName('bay leaves')).toBe('bay leaf');
    expect(normalizeIngredientName('peas and carrots')).toBe('peas and carrot');
    expect(normalizeIngredientName('brussels sprouts')).toBe('brussels sprout');
    expect(normalizeIngredientName('swiss cheese')).toBe('swiss cheese');
    expect(normalizeIngredientName('green beans')).toBe('green bean');
  });

  it('merges spellings that differ only in case, plural or accents', () => {
    const key = normalizeIngredientName('tomato');
    for (const spelling of ['Tomatoes', ' TOMATOES ', 'tomatoes.', 'Tomato']) {
      expect(normalizeIngredientName(spelling)).toBe(key);
    }
    expect(normalizeIngredientName('Jalapeños')).toBe(normalizeIngredientName('jalapeno'));
    expect(normalizeIngredientName('Crème fraîche')).toBe('creme fraiche');
  });

  it('does not merge synonyms', () => {
    expect(normalizeIngredientName('scallions')).not.toBe(normalizeIngredientName('green onions'));
    expect(normalizeIngredientName('cilantro')).not.toBe(normalizeIngredientName('coriander'));
    expect(normalizeIngredientName('zucchini')).not.toBe(normalizeIngredientName('courgette'));
  });

  it('leaves possessives, numbers and hyphenated names alone where they do not end in a plural', () => {
    expect(normalizeIngredientName("Hershey's")).toBe("hershey's");
    expect(normalizeIngredientName('7-up')).toBe('7-up');
    expect(normalizeIngredientName('all-purpose flour')).toBe('all-purpose flour');
    expect(normalizeIngredientName('sun-dried tomatoes')).toBe('sun-dried tomato');
  });

  it('returns an empty key for a blank name', () => {
    expect(normalizeIngredientName('')).toBe('');
    expect(normalizeIngredientName('  . ')).toBe('');
  });
});

describe('cleanIngredientName', () => {
  it('tidies without singularising', () => {
    expect(cleanIngredientName('  Cherry   Tomatoes. ')).toBe('cherry tomatoes');
    expect(cleanIngredientName('Jalapeños')).toBe('jalapeños');
    expect(cleanIngredientName('baker’s yeast')).toBe("baker's yeast");
  });
});

describe('singularize', () => {
  it('works on single words', () => {
    expect(singularize('tomatoes')).toBe('tomato');
    expect(singularize('asparagus')).toBe('asparagus');
    expect(singularize('s')).toBe('s');
  });
});
