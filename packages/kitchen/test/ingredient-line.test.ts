import { describe, expect, it } from 'vitest';
import { parseIngredientLine } from '@calos/kitchen';

const line = (quantity: number | null, unit: string | null, name: string, note: string | null = null) => ({ quantity, unit, name, note });

describe('parseIngredientLine', () => {
  it.each([
    ['1 1/2 cups all-purpose flour, sifted', line(1.5, 'cup', 'all-purpose flour', 'sifted')],
    ['2 cloves garlic', line(2, 'clove', 'garlic')],
    ['3 eggs', line(3, 'piece', 'eggs')],
    ['salt to taste', line(null, null, 'salt', 'to taste')],
    ['200g butter', line(200, 'g', 'butter')],
    ['1 (400 g) can chickpeas', line(1, 'can', 'chickpeas', '400 g')],
  ])('parses the documented example %j', (text, expected) => {
    expect(parseIngredientLine(text)).toEqual(expected);
  });

  it.each([
    ['½ cup milk', line(0.5, 'cup', 'milk')],
    ['1½ cups sugar', line(1.5, 'cup', 'sugar')],
    ['1 ½ cups sugar', line(1.5, 'cup', 'sugar')],
    ['1-1/2 cups sugar', line(1.5, 'cup', 'sugar')],
    ['3/4 tsp baking soda', line(0.75, 'tsp', 'baking soda')],
    ['.5 cup water', line(0.5, 'cup', 'water')],
    ['1,5 kg potatoes', line(1.5, 'kg', 'potatoes')],
    ['1.5kg potatoes', line(1.5, 'kg', 'potatoes')],
    ['2-3 tbsp olive oil', line(3, 'tbsp', 'olive oil')],
    ['2–3 tbsp olive oil', line(3, 'tbsp', 'olive oil')],
    ['2 to 3 sprigs thyme', line(3, 'sprig', 'thyme')],
  ])('reads the amount in %j', (text, expected) => {
    expect(parseIngredientLine(text)).toEqual(expected);
  });

  it.each([
    ['2 T butter', line(2, 'tbsp', 'butter')],
    ['1 t salt', line(1, 'tsp', 'salt')],
    ['1 Tbsp. honey', line(1, 'tbsp', 'honey')],
    ['- 1 lb. ground beef', line(1, 'lb', 'ground beef')],
    ['8 oz cream cheese', line(8, 'oz', 'cream cheese')],
    ['2 fl. oz. cream', line(2, 'fl oz', 'cream')],
    ['4 fluid ounces rum', line(4, 'fl oz', 'rum')],
    ['500 ml stock', line(500, 'ml', 'stock')],
    ['1 L milk', line(1, 'l', 'milk')],
    ['2 cups of flour', line(2, 'cup', 'flour')],
    ['4 slices bread', line(4, 'slice', 'bread')],
    ['1 bunch parsley', line(1, 'bunch', 'parsley')],
    ['1 head lettuce', line(1, 'head', 'lettuce')],
    ['2 stalks celery', line(2, 'stalk', 'celery')],
    ['1 jar pesto', line(1, 'jar', 'pesto')],
    ['1 package puff pastry', line(1, 'package', 'puff pastry')],
    ['3 pcs chicken thighs', line(3, 'piece', 'chicken thighs')],
  ])('recognises the unit in %j', (text, expected) => {
    expect(parseIngredientLine(text)).toEqual(expected);
  });

  it.each([
    ['a pinch of salt', line(1, 'pinch', 'salt')],
    ['A handful of basil leaves', line(1, 'handful', 'basil leaves')],
    ['pinch of salt', line(1, 'pinch', 'salt')],
    ['can of tomatoes', line(1, 'can', 'tomatoes')],
    ['an onion', line(1, 'piece', 'onion')],
    ['two eggs', line(2, 'piece', 'eggs')],
    ['2 dozen eggs', line(24, 'piece', 'eggs')],
    ['a dozen eggs', line(12, 'piece', 'eggs')],
    ['half an onion', line(0.5, 'piece', 'onion')],
    ['half a cup of milk', line(0.5, 'cup', 'milk')],
  ])('understands words for amounts in %j', (text, expected) => {
    expect(parseIngredientLine(text)).toEqual(expected);
  });

  it.each([
    ['1 can (400 g) tomatoes, drained', line(1, 'can', 'tomatoes', '400 g, drained')],
    ['1 (400 g) can chickpeas, drained and rinsed', line(1, 'can', 'chickpeas', '400 g, drained and rinsed')],
    ['2 eggs, beaten', line(2, 'piece', 'eggs', 'beaten')],
    ['Salt and pepper, to taste', line(null, null, 'Salt and pepper', 'to taste')],
    ['parsley (chopped) for garnish', line(null, null, 'parsley', 'chopped, for garnish')],
    ['1 cup walnuts (optional)', line(1, 'cup', 'walnuts', 'optional')],
    ['olive oil as needed', line(null, null, 'olive oil', 'as needed')],
    ['flour, for dusting', line(null, null, 'flour', 'for dusting')],
    ['1 onion, finely chopped (about 1 cup)', line(1, 'piece', 'onion', 'finely chopped (about 1 cup)')],
  ])('separates notes in %j', (text, expected) => {
    expect(parseIngredientLine(text)).toEqual(expected);
  });

  it('keeps the name as written, apart from whitespace', () => {
    expect(parseIngredientLine('  2   Large  Eggs ')).toEqual(line(2, 'piece', 'Large Eggs'));
    expect(parseIngredientLine('Fresh Basil')).toEqual(line(null, null, 'Fresh Basil'));
  });

  it('treats a unit word with nothing after it as the ingredient', () => {
    expect(parseIngredientLine('2 cloves')).toEqual(line(2, 'piece', 'cloves'));
    expect(parseIngredientLine('3 bay leaves')).toEqual(line(3, 'piece', 'bay leaves'));
    expect(parseIngredientLine('6 cloves, whole')).toEqual(line(6, 'piece', 'cloves', 'whole'));
    expect(parseIngredientLine('1 tsp ground cloves')).toEqual(line(1, 'tsp', 'ground cloves'));
  });

  it('does not mistake words for amounts or units', () => {
    expect(parseIngredientLine('Juice of 1 lemon')).toEqual(line(null, null, 'Juice of 1 lemon'));
    expect(parseIngredientLine('cups')).toEqual(line(null, null, 'cups'));
    expect(parseIngredientLine('tomatoes')).toEqual(line(null, null, 'tomatoes'));
  });

  it('keeps an unbalanced parenthesis as text', () => {
    expect(parseIngredientLine('1 cup rice (basmati')).toEqual(line(1, 'cup', 'rice (basmati'));
  });

  it('returns null when there is no ingredient', () => {
    expect(parseIngredientLine('')).toBeNull();
    expect(parseIngredientLine('   ')).toBeNull();
    expect(parseIngredientLine('3')).toBeNull();
    expect(parseIngredientLine('- ')).toBeNull();
  });
});
