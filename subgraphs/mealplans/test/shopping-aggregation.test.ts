import { describe, expect, it } from 'vitest';
import {
  aggregateShoppingList,
  scaleIngredients,
  type IngredientNeed,
  type MealSlot,
  type PantryStock,
  type ShoppingLine,
} from '../src/shopping-aggregation.js';

interface Recipe {
  id: string;
  title: string;
  serves: number;
  ingredients: Array<{ name: string; quantity: number | null; unit: string | null }>;
}

interface Entry {
  date: string;
  slot: MealSlot;
  recipe: Recipe;
  servings: number;
}

/** What the resolver does: every entry's ingredients, scaled to its servings. */
function needsOf(entries: Entry[]): IngredientNeed[] {
  return entries.flatMap(({ date, slot, recipe, servings }) =>
    scaleIngredients(recipe.ingredients, recipe.serves, servings).map((ingredient) => ({
      ...ingredient,
      source: { recipeId: recipe.id, recipeTitle: recipe.title, date, slot },
    })),
  );
}

function need(
  name: string,
  quantity: number | null,
  unit: string | null,
  source: Partial<IngredientNeed['source']> = {},
): IngredientNeed {
  return { name, quantity, unit, source: { recipeId: 'r1', recipeTitle: 'Recipe', date: '2026-03-02', slot: 'DINNER', ...source } };
}

const stock = (name: string, quantity: number | null, unit: string | null): PantryStock => ({ name, quantity, unit });

/** [name, quantity, unit] of every line, for compact assertions. */
const summary = (lines: ShoppingLine[]) => lines.map((line) => [line.name, line.quantity, line.unit]);

const only = (lines: ShoppingLine[]): ShoppingLine => {
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

describe('aggregateShoppingList: acceptance examples', () => {
  it('sums 200 g and 0.5 kg of flour to 700 g', () => {
    const line = only(aggregateShoppingList([need('flour', 200, 'g'), need('flour', 0.5, 'kg')], []));
    expect(line).toMatchObject({ name: 'flour', quantity: 700, unit: 'g', pantryDeducted: null });
  });

  it('sums 2 tbsp and 1/4 cup of oil to 6 tbsp', () => {
    const line = only(aggregateShoppingList([need('oil', 2, 'tbsp'), need('oil', 0.25, 'cup')], []));
    expect(line).toMatchObject({ name: 'oil', quantity: 6, unit: 'tbsp' });
  });
});

describe('aggregateShoppingList: a week of meals', () => {
  const bolognese: Recipe = {
    id: 'bolognese',
    title: 'Spaghetti Bolognese',
    serves: 4,
    ingredients: [
      { name: 'ground beef', quantity: 500, unit: 'g' },
      { name: 'onions', quantity: 2, unit: null },
      { name: 'garlic', quantity: 3, unit: 'cloves' },
      { name: 'canned tomatoes', quantity: 1, unit: 'can' },
      { name: 'olive oil', quantity: 2, unit: 'tbsp' },
      { name: 'spaghetti', quantity: 400, unit: 'g' },
      { name: 'salt', quantity: null, unit: null },
    ],
  };
  const soup: Recipe = {
    id: 'soup',
    title: 'Tomato Soup',
    serves: 2,
    ingredients: [
      { name: 'Tomatoes', quantity: 2, unit: 'lb' },
      { name: 'onion', quantity: 1, unit: null },
      { name: 'garlic', quantity: 2, unit: 'clove' },
      { name: 'olive oil', quantity: 0.25, unit: 'cup' },
      { name: 'vegetable stock', quantity: 2, unit: 'cups' },
      { name: 'salt', quantity: null, unit: null },
    ],
  };
  const pancakes: Recipe = {
    id: 'pancakes',
    title: 'Pancakes',
    serves: 4,
    ingredients: [
      { name: 'all-purpose flour', quantity: 1.5, unit: 'cups' },
      { name: 'sugar', quantity: 1, unit: 'Tbsp' },
      { name: 'milk', quantity: 1.25, unit: 'cup' },
      { name: 'egg', quantity: 1, unit: null },
      { name: 'butter', quantity: 3, unit: 'tbsp' },
    ],
  };
  const shepherdsPie: Recipe = {
    id: 'pie',
    title: "Shepherd's Pie",
    serves: 4,
    ingredients: [
      { name: 'potatoes', quantity: 1, unit: 'kg' },
      { name: 'ground lamb', quantity: 500, unit: 'grams' },
      { name: 'onion', quantity: 1, unit: null },
      { name: 'butter', quantity: 50, unit: 'g' },
      { name: 'milk', quantity: 100, unit: 'ml' },
    ],
  };
  const omelette: Recipe = {
    id: 'omelette',
    title: 'Tomato Omelette',
    serves: 1,
    ingredients: [
      { name: 'eggs', quantity: 3, unit: null },
      { name: 'tomatoes', quantity: 2, unit: null },
      { name: 'butter', quantity: 1, unit: 'tbsp' },
      { name: 'milk', quantity: 2, unit: 'tbsp' },
    ],
  };
  const week: Entry[] = [
    { date: '2026-03-02', slot: 'DINNER', recipe: bolognese, servings: 6 }, // ×1.5
    { date: '2026-03-03', slot: 'LUNCH', recipe: soup, servings: 2 }, // ×1
    { date: '2026-03-04', slot: 'BREAKFAST', recipe: pancakes, servings: 4 }, // ×1
    { date: '2026-03-05', slot: 'DINNER', recipe: shepherdsPie, servings: 2 }, // ×0.5
    { date: '2026-03-06', slot: 'DINNER', recipe: soup, servings: 4 }, // ×2
    { date: '2026-03-07', slot: 'BREAKFAST', recipe: omelette, servings: 2 }, // ×2
  ];

  it('merges overlapping ingredients across recipes, days and unit systems', () => {
    expect(summary(aggregateShoppingList(needsOf(week), []))).toEqual([
      ['all-purpose flour', 1.5, 'cup'],
      ['butter', 25, 'g'], // mass and volume of one name stay apart
      ['butter', 5, 'tbsp'], // 3 tbsp + 1 tbsp ×2
      ['canned tomatoes', 1.5, 'can'],
      ['egg', 7, 'piece'], // "egg" + "eggs": 1 + 3 ×2
      ['garlic', 10.5, 'clove'], // 3 ×1.5 + 2 + 2 ×2
      ['ground beef', 750, 'g'],
      ['ground lamb', 250, 'g'],
      ['milk', 1.71, 'cup'], // 1 1/4 cup + 50 ml + 4 tbsp; US wins 2 : 1
      ['olive oil', 15, 'tbsp'], // 3 tbsp + 1/4 cup + 1/2 cup: just under a cup
      ['onion', 6.5, 'piece'], // 3 + 1 + 0.5 + 2
      ['potatoes', 500, 'g'],
      ['salt', null, null],
      ['spaghetti', 600, 'g'],
      ['sugar', 1, 'tbsp'],
      ['tomatoes', 6, 'lb'], // 2 lb + 4 lb
      ['tomatoes', 4, 'piece'], // a count never merges with a weight
      ['vegetable stock', 6, 'cup'],
    ]);
  });

  it('lists each line’s sources by day, then slot', () => {
    const lines = aggregateShoppingList(needsOf(week), []);
    const garlic = lines.find((l) => l.name === 'garlic');
    expect(garlic?.sources).toEqual([
      { recipeId: 'bolognese', recipeTitle: 'Spaghetti Bolognese', date: '2026-03-02', slot: 'DINNER' },
      { recipeId: 'soup', recipeTitle: 'Tomato Soup', date: '2026-03-03', slot: 'LUNCH' },
      { recipeId: 'soup', recipeTitle: 'Tomato Soup', date: '2026-03-06', slot: 'DINNER' },
    ]);
    const butter = lines.filter((l) => l.name === 'butter');
    expect(butter.map((l) => l.sources.map((s) => s.recipeId))).toEqual([['pie'], ['pancakes', 'omelette']]);
    const salt = lines.find((l) => l.name === 'salt');
    expect(salt?.sources.map((s) => `${s.date} ${s.slot}`)).toEqual(['2026-03-02 DINNER', '2026-03-03 LUNCH', '2026-03-06 DINNER']);
  });

  it('subtracts the pantry where units are compatible', () => {
    const pantry = [
      stock('All-purpose flour', 1, 'kg'), // weight vs cups: not subtracted
      stock('olive oil', 500, 'ml'), // covers 15 tbsp
      stock('eggs', 6, null), // 7 needed
      stock('salt', null, null), // some salt: covers "to taste"
      stock('milk', 1, 'cup'),
      stock('garlic', 1, 'head'), // a head is not cloves
      stock('Potato', 0.2, 'kg'),
    ];
    const lines = aggregateShoppingList(needsOf(week), pantry);
    const byName = (name: string) => lines.filter((l) => l.name === name);

    expect(byName('olive oil')).toEqual([]);
    expect(byName('salt')).toEqual([]);
    expect(byName('all-purpose flour')).toMatchObject([{ quantity: 1.5, unit: 'cup', pantryDeducted: null }]);
    expect(byName('garlic')).toMatchObject([{ quantity: 10.5, unit: 'clove', pantryDeducted: null }]);
    expect(byName('egg')).toMatchObject([{ quantity: 1, unit: 'piece', pantryDeducted: { quantity: 6, unit: 'piece' } }]);
    expect(byName('milk')).toMatchObject([{ quantity: 11.38, unit: 'tbsp', pantryDeducted: { quantity: 16, unit: 'tbsp' } }]);
    expect(byName('potatoes')).toMatchObject([{ quantity: 300, unit: 'g', pantryDeducted: { quantity: 200, unit: 'g' } }]);
    expect(lines).toHaveLength(16);
  });

  it('does not depend on the order of needs or pantry', () => {
    const needs = needsOf(week);
    const pantry = [stock('milk', 1, 'cup'), stock('eggs', 6, null), stock('potatoes', 200, 'g')];
    const expected = aggregateShoppingList(needs, pantry);
    expect(aggregateShoppingList([...needs].reverse(), [...pantry].reverse())).toEqual(expected);
    const interleaved = needs.filter((_, i) => i % 2 === 0).concat(needs.filter((_, i) => i % 2 === 1));
    expect(aggregateShoppingList(interleaved, pantry)).toEqual(expected);
  });
});

describe('scaleIngredients', () => {
  it('scales a recipe for 4 to 6 servings by 1.5', () => {
    const ingredients = [
      { name: 'rice', quantity: 300, unit: 'g' },
      { name: 'eggs', quantity: 3, unit: null },
      { name: 'salt', quantity: null, unit: null },
    ];
    expect(scaleIngredients(ingredients, 4, 6)).toEqual([
      { name: 'rice', quantity: 450, unit: 'g' },
      { name: 'eggs', quantity: 4.5, unit: null },
      { name: 'salt', quantity: null, unit: null },
    ]);
  });

  it('feeds scaled quantities into the list', () => {
    const recipe: Recipe = { id: 'r', title: 'Risotto', serves: 4, ingredients: [{ name: 'rice', quantity: 300, unit: 'g' }] };
    const lines = aggregateShoppingList(needsOf([{ date: '2026-03-02', slot: 'DINNER', recipe, servings: 6 }]), []);
    expect(summary(lines)).toEqual([['rice', 450, 'g']]);
  });

  it('rejects servings that cannot scale', () => {
    expect(() => scaleIngredients([{ quantity: 1 }], 0, 4)).toThrow(RangeError);
  });
});

describe('aggregateShoppingList: units', () => {
  it('keeps incompatible units of one name as separate lines, mass first', () => {
    const lines = aggregateShoppingList([need('flour', 1, 'cup'), need('flour', 200, 'g'), need('flour', 1, 'package')], []);
    expect(summary(lines)).toEqual([
      ['flour', 200, 'g'],
      ['flour', 1, 'cup'],
      ['flour', 1, 'package'],
    ]);
  });

  it('sums each count-like unit on its own', () => {
    const lines = aggregateShoppingList(
      [need('garlic', 2, 'cloves'), need('garlic', 1, 'head'), need('garlic', 3, 'clove'), need('garlic', 1, 'Heads')],
      [],
    );
    expect(summary(lines)).toEqual([
      ['garlic', 5, 'clove'],
      ['garlic', 2, 'head'],
    ]);
  });

  it('treats no unit and "pieces" as the same count', () => {
    expect(summary(aggregateShoppingList([need('lemon', 1, null), need('lemon', 2, 'pieces'), need('lemon', 1, '')], []))).toEqual([
      ['lemon', 4, 'piece'],
    ]);
  });

  it('sums an unknown unit only with the same spelling', () => {
    const lines = aggregateShoppingList([need('wine', 1, 'bottle'), need('wine', 2, ' Bottle '), need('wine', 1, 'glug')], []);
    expect(summary(lines)).toEqual([
      ['wine', 3, 'bottle'],
      ['wine', 1, 'glug'],
    ]);
  });

  it('shows the system most needs were written in', () => {
    const metric = aggregateShoppingList([need('milk', 1, 'cup'), need('milk', 200, 'ml'), need('milk', 0.3, 'l')], []);
    expect(summary(metric)).toEqual([['milk', 736.6, 'ml']]);
    const us = aggregateShoppingList([need('milk', 1, 'cup'), need('milk', 2, 'tbsp'), need('milk', 100, 'ml')], []);
    expect(summary(us)).toEqual([['milk', 1.55, 'cup']]);
  });

  it('breaks a tie between systems in favour of metric', () => {
    expect(summary(aggregateShoppingList([need('oil', 1, 'tbsp'), need('oil', 15, 'ml')], []))).toEqual([['oil', 29.8, 'ml']]);
    expect(summary(aggregateShoppingList([need('cheese', 8, 'oz'), need('cheese', 100, 'g')], []))).toEqual([['cheese', 326.8, 'g']]);
  });

  it('moves to the larger unit at its boundary', () => {
    expect(summary(aggregateShoppingList([need('sugar', 600, 'g'), need('sugar', 400, 'g')], []))).toEqual([['sugar', 1, 'kg']]);
    expect(summary(aggregateShoppingList([need('stock', 600, 'ml'), need('stock', 0.5, 'l')], []))).toEqual([['stock', 1.1, 'l']]);
    expect(summary(aggregateShoppingList([need('cheese', 12, 'oz'), need('cheese', 8, 'oz')], []))).toEqual([['cheese', 1.25, 'lb']]);
    expect(summary(aggregateShoppingList([need('sugar', 1, 'tsp'), need('sugar', 2, 'tsp')], []))).toEqual([['sugar', 1, 'tbsp']]);
    expect(summary(aggregateShoppingList([need('cream', 4, 'fl oz'), need('cream', 4, 'fl. oz')], []))).toEqual([['cream', 1, 'cup']]);
  });
});

describe('aggregateShoppingList: names', () => {
  it('merges case and plural variants ("Tomatoes" + "tomato")', () => {
    const line = only(aggregateShoppingList([need('Tomatoes', 2, null), need('tomato', 1, null), need(' TOMATOES ', 3, null)], []));
    expect(line).toMatchObject({ name: 'tomatoes', quantity: 6, unit: 'piece' });
  });

  it('names the line after the most common spelling, alphabetically first on a tie', () => {
    expect(only(aggregateShoppingList([need('Onion', 1, null), need('onions', 1, null)], [])).name).toBe('onion');
    expect(only(aggregateShoppingList([need('onions', 1, null), need('Onions', 1, null), need('onion', 1, null)], [])).name).toBe(
      'onions',
    );
  });

  it('keeps look-alike plurals and synonyms apart', () => {
    const lines = aggregateShoppingList(
      [need('asparagus', 200, 'g'), need('scallions', 2, null), need('green onions', 1, null), need('hummus', 100, 'g')],
      [],
    );
    expect(summary(lines)).toEqual([
      ['asparagus', 200, 'g'],
      ['green onions', 1, 'piece'],
      ['hummus', 100, 'g'],
      ['scallions', 2, 'piece'],
    ]);
  });

  it('sorts lines by name', () => {
    const lines = aggregateShoppingList([need('zucchini', 1, null), need('apples', 2, null), need('Milk', 1, 'l')], []);
    expect(lines.map((l) => l.name)).toEqual(['apples', 'milk', 'zucchini']);
  });

  it('ignores needs without a name', () => {
    expect(aggregateShoppingList([need('  ', 1, 'g'), need('', null, null)], [])).toEqual([]);
  });
});

describe('aggregateShoppingList: missing quantities', () => {
  it('turns quantity-less needs of one name into a single line without a quantity', () => {
    const line = only(
      aggregateShoppingList([need('salt', null, null, { recipeId: 'a', recipeTitle: 'A' }), need('Salt', null, 'pinch', { recipeId: 'b', recipeTitle: 'B' })], []),
    );
    expect(line).toEqual({
      name: 'salt',
      quantity: null,
      unit: null,
      sources: [
        { recipeId: 'a', recipeTitle: 'A', date: '2026-03-02', slot: 'DINNER' },
        { recipeId: 'b', recipeTitle: 'B', date: '2026-03-02', slot: 'DINNER' },
      ],
      pantryDeducted: null,
    });
  });

  it('keeps the quantity-less line apart from measured lines of the same name, after them', () => {
    expect(summary(aggregateShoppingList([need('salt', null, null), need('salt', 1, 'tsp')], []))).toEqual([
      ['salt', 1, 'tsp'],
      ['salt', null, null],
    ]);
  });

  it('treats a non-finite quantity as missing and a zero quantity as adding only a source', () => {
    expect(summary(aggregateShoppingList([need('pepper', Number.NaN, 'tsp')], []))).toEqual([['pepper', null, null]]);
    const line = only(aggregateShoppingList([need('rice', 200, 'g', { recipeId: 'a' }), need('rice', 0, 'g', { recipeId: 'b' })], []));
    expect(line).toMatchObject({ quantity: 200, unit: 'g' });
    expect(line.sources.map((s) => s.recipeId)).toEqual(['a', 'b']);
  });
});

describe('aggregateShoppingList: pantry', () => {
  it('subtracts partial stock and reports it in the line’s unit', () => {
    const line = only(aggregateShoppingList([need('flour', 200, 'g'), need('flour', 0.5, 'kg')], [stock('Flour', 0.5, 'kg')]));
    expect(line).toMatchObject({ quantity: 200, unit: 'g', pantryDeducted: { quantity: 500, unit: 'g' } });
  });

  it('drops a line the pantry covers, exactly or with room to spare', () => {
    expect(aggregateShoppingList([need('flour', 700, 'g')], [stock('flour', 700, 'g')])).toEqual([]);
    expect(aggregateShoppingList([need('flour', 700, 'g')], [stock('flour', 2, 'kg')])).toEqual([]);
    expect(aggregateShoppingList([need('eggs', 3, null)], [stock('egg', 12, 'pcs')])).toEqual([]);
  });

  it('drops a line when only floating-point dust would remain', () => {
    expect(aggregateShoppingList([need('oil', 0.1, 'l'), need('oil', 0.2, 'l')], [stock('oil', 300, 'ml')])).toEqual([]);
    expect(aggregateShoppingList([need('flour', 500, 'g')], [stock('flour', 499.99, 'g')])).toEqual([]);
  });

  it('converts between systems to subtract', () => {
    const line = only(aggregateShoppingList([need('sugar', 500, 'g')], [stock('sugar', 1, 'lb')]));
    expect(line).toMatchObject({ quantity: 46.4, unit: 'g', pantryDeducted: { quantity: 453.6, unit: 'g' } });
    const oil = only(aggregateShoppingList([need('oil', 2, 'tbsp'), need('oil', 0.25, 'cup')], [stock('oil', 30, 'ml')]));
    expect(oil).toMatchObject({ quantity: 3.97, unit: 'tbsp', pantryDeducted: { quantity: 2.03, unit: 'tbsp' } });
  });

  it('adds up several pantry entries of one ingredient', () => {
    const line = only(aggregateShoppingList([need('rice', 1, 'kg')], [stock('rice', 300, 'g'), stock('Rice', 200, 'g')]));
    expect(line).toMatchObject({ quantity: 500, unit: 'g', pantryDeducted: { quantity: 500, unit: 'g' } });
  });

  it('does not subtract stock in an incompatible unit', () => {
    const line = only(aggregateShoppingList([need('flour', 2, 'cups')], [stock('flour', 1, 'kg')]));
    expect(line).toMatchObject({ quantity: 2, unit: 'cup', pantryDeducted: null });
    const garlic = only(aggregateShoppingList([need('garlic', 4, 'cloves')], [stock('garlic', 2, 'heads')]));
    expect(garlic).toMatchObject({ quantity: 4, unit: 'clove', pantryDeducted: null });
  });

  it('subtracts only from the line with the matching dimension', () => {
    const lines = aggregateShoppingList([need('butter', 50, 'g'), need('butter', 2, 'tbsp')], [stock('butter', 250, 'g')]);
    expect(summary(lines)).toEqual([['butter', 2, 'tbsp']]);
  });

  it('never goes negative and never adds pantry-only items', () => {
    const lines = aggregateShoppingList([need('milk', 100, 'ml')], [stock('milk', 2, 'l'), stock('cheese', 1, 'kg')]);
    expect(lines).toEqual([]);
  });

  it('covers a quantity-less need with any stock, but not with stock of zero', () => {
    expect(aggregateShoppingList([need('salt', null, null)], [stock('salt', 1, 'kg')])).toEqual([]);
    expect(aggregateShoppingList([need('salt', null, null)], [stock('Salt', null, null)])).toEqual([]);
    expect(summary(aggregateShoppingList([need('salt', null, null)], [stock('salt', 0, 'g')]))).toEqual([['salt', null, null]]);
  });

  it('does not subtract stock without a quantity from a measured need', () => {
    const line = only(aggregateShoppingList([need('rice', 200, 'g')], [stock('rice', null, null)]));
    expect(line).toMatchObject({ quantity: 200, unit: 'g', pantryDeducted: null });
  });

  it('matches pantry names after normalisation', () => {
    const line = only(aggregateShoppingList([need('tomato', 5, null)], [stock('  Tomatoes ', 2, null)]));
    expect(line).toMatchObject({ name: 'tomato', quantity: 3, pantryDeducted: { quantity: 2, unit: 'piece' } });
  });
});

describe('aggregateShoppingList: sources', () => {
  it('de-duplicates sources and sorts them by date, then slot', () => {
    const needs = [
      need('flour', 100, 'g', { recipeId: 'bread', recipeTitle: 'Bread', date: '2026-03-04', slot: 'SNACK' }),
      need('flour', 50, 'g', { recipeId: 'cake', recipeTitle: 'Cake', date: '2026-03-03', slot: 'DINNER' }),
      need('flour', 10, 'g', { recipeId: 'cake', recipeTitle: 'Cake', date: '2026-03-03', slot: 'DINNER' }), // dusting
      need('flour', 20, 'g', { recipeId: 'crepes', recipeTitle: 'Crêpes', date: '2026-03-03', slot: 'BREAKFAST' }),
      need('flour', 30, 'g', { recipeId: 'roux', recipeTitle: 'Roux', date: '2026-03-03', slot: 'LUNCH' }),
    ];
    const line = only(aggregateShoppingList(needs, []));
    expect(line.quantity).toBe(210);
    expect(line.sources).toEqual([
      { recipeId: 'crepes', recipeTitle: 'Crêpes', date: '2026-03-03', slot: 'BREAKFAST' },
      { recipeId: 'roux', recipeTitle: 'Roux', date: '2026-03-03', slot: 'LUNCH' },
      { recipeId: 'cake', recipeTitle: 'Cake', date: '2026-03-03', slot: 'DINNER' },
      { recipeId: 'bread', recipeTitle: 'Bread', date: '2026-03-04', slot: 'SNACK' },
    ]);
  });

  it('orders two recipes in the same slot by title', () => {
    const line = only(
      aggregateShoppingList(
        [need('rice', 1, 'cup', { recipeId: 'z', recipeTitle: 'Zucchini rice' }), need('rice', 1, 'cup', { recipeId: 'a', recipeTitle: 'Arroz' })],
        [],
      ),
    );
    expect(line.sources.map((s) => s.recipeTitle)).toEqual(['Arroz', 'Zucchini rice']);
  });
});

describe('aggregateShoppingList: rounding', () => {
  it('removes floating-point noise from sums', () => {
    expect(summary(aggregateShoppingList([need('rice', 0.1, 'kg'), need('rice', 0.2, 'kg')], []))).toEqual([['rice', 300, 'g']]);
    expect(summary(aggregateShoppingList([need('oats', 1 / 3, 'cup'), need('oats', 1 / 3, 'cup'), need('oats', 1 / 3, 'cup')], []))).toEqual([
      ['oats', 1, 'cup'],
    ]);
  });

  it('rounds to the display precision of the chosen unit', () => {
    expect(summary(aggregateShoppingList([need('oats', 1 / 3, 'cup'), need('oats', 1 / 3, 'cup')], []))).toEqual([['oats', 10.67, 'tbsp']]);
    expect(summary(aggregateShoppingList([need('yeast', 7, 'g'), need('yeast', 1 / 3, 'g')], []))).toEqual([['yeast', 7.3, 'g']]);
    expect(summary(aggregateShoppingList([need('flour', 1234.5, 'g')], []))).toEqual([['flour', 1.23, 'kg']]);
    expect(summary(aggregateShoppingList([need('eggs', 1 / 3, null), need('eggs', 1, null)], []))).toEqual([['eggs', 1.33, 'piece']]);
  });

  it('keeps a tiny but real amount visible', () => {
    expect(summary(aggregateShoppingList([need('saffron', 0.01, 'g')], []))).toEqual([['saffron', 0.01, 'g']]);
  });
});
