import { describe, expect, it } from 'vitest';
import { ingredientSchema, scaleIngredients } from '@calos/kitchen';

describe('ingredientSchema', () => {
  it('canonicalises the unit and tidies text', () => {
    expect(ingredientSchema.parse({ name: '  all-purpose   flour ', quantity: 1.5, unit: 'Cups', note: ' sifted ' })).toEqual({
      name: 'all-purpose flour',
      quantity: 1.5,
      unit: 'cup',
      note: 'sifted',
    });
    expect(ingredientSchema.parse({ name: 'butter', quantity: 2, unit: 'T', note: null }).unit).toBe('tbsp');
  });

  it('turns missing or blank optional fields into null', () => {
    expect(ingredientSchema.parse({ name: 'salt' })).toEqual({ name: 'salt', quantity: null, unit: null, note: null });
    expect(ingredientSchema.parse({ name: 'eggs', quantity: 3, unit: '  ', note: '' })).toEqual({
      name: 'eggs',
      quantity: 3,
      unit: null,
      note: null,
    });
  });

  it('reports an unknown unit on the unit field', () => {
    const result = ingredientSchema.safeParse({ name: 'wine', quantity: 1, unit: 'bottle', note: null });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['unit', 'Unknown unit.']]);
  });

  it.each([
    [{ name: '  ', quantity: 1, unit: 'g' }, 'name'],
    [{ name: 'x'.repeat(201), quantity: 1, unit: 'g' }, 'name'],
    [{ name: 'flour', quantity: 0, unit: 'g' }, 'quantity'],
    [{ name: 'flour', quantity: -1, unit: 'g' }, 'quantity'],
    [{ name: 'flour', quantity: Number.POSITIVE_INFINITY, unit: 'g' }, 'quantity'],
    [{ name: 'flour', quantity: '2', unit: 'g' }, 'quantity'],
  ])('rejects %j on %s', (input, field) => {
    const result = ingredientSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});

describe('scaleIngredients', () => {
  const recipe = [
    { name: 'flour', quantity: 200, unit: 'g', note: null },
    { name: 'eggs', quantity: 3, unit: null, note: null },
    { name: 'salt', quantity: null, unit: null, note: 'to taste' },
  ];

  it('scales from the recipe servings to the wanted servings', () => {
    expect(scaleIngredients(recipe, 4, 6).map((i) => i.quantity)).toEqual([300, 4.5, null]);
    expect(scaleIngredients(recipe, 4, 2).map((i) => i.quantity)).toEqual([100, 1.5, null]);
    expect(scaleIngredients(recipe, 4, 4).map((i) => i.quantity)).toEqual([200, 3, null]);
  });

  it('keeps the other fields and does not mutate its input', () => {
    const scaled = scaleIngredients(recipe, 2, 3);
    expect(scaled[0]).toEqual({ name: 'flour', quantity: 300, unit: 'g', note: null });
    expect(scaled[0]).not.toBe(recipe[0]);
    expect(recipe[0]?.quantity).toBe(200);
  });

  it('removes floating-point noise', () => {
    expect(scaleIngredients([{ quantity: 0.1 }], 1, 3)[0]?.quantity).toBe(0.3);
    expect(scaleIngredients([{ quantity: 1 }], 3, 1)[0]?.quantity).toBeCloseTo(1 / 3, 12);
  });

  it.each([
    [0, 2],
    [-4, 2],
    [4, 0],
    [Number.NaN, 2],
    [4, Number.POSITIVE_INFINITY],
  ])('rejects servings %s → %s', (from, to) => {
    expect(() => scaleIngredients(recipe, from, to)).toThrow(RangeError);
  });
});
