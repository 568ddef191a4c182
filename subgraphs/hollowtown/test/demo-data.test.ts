import { describe, expect, it } from 'vitest';
import { parseInput } from '@calos/kernel';
import { DEMO_RECIPES } from '../../../packages/stack/src/demo/kitchen-data.js';
import {
  DEMO_COSTUMES,
  DEMO_HALLOWEEN_EVENT,
  DEMO_HAUNTED_HOUSE_PLANS,
  DEMO_SPOOKY_RECIPES,
} from '../../../packages/stack/src/demo/hollowtown-data.js';
import { createCostumeInput, createEventInput, createPlanInput, createSpookyRecipeInput, eventRecipeInput, expenseInput } from '../src/validation.js';

/**
 * The demo data `npm start` loads through this subgraph's API: every record must pass the
 * API's own validation unchanged (already canonical), and the party must refer to recipes
 * that exist.
 */
describe('hollowtown demo data', () => {
  it('has 30+ spooky recipes with unique slug keys and names, across every difficulty and spookiness', () => {
    expect(DEMO_SPOOKY_RECIPES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_SPOOKY_RECIPES.map((r) => r.key)).size).toBe(DEMO_SPOOKY_RECIPES.length);
    expect(new Set(DEMO_SPOOKY_RECIPES.map((r) => r.name.toLowerCase())).size).toBe(DEMO_SPOOKY_RECIPES.length);
    for (const r of DEMO_SPOOKY_RECIPES) expect(r.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(DEMO_SPOOKY_RECIPES.map((r) => r.difficulty))).toEqual(new Set(['EASY', 'MEDIUM', 'HARD', 'NIGHTMARE']));
    const levels = new Set(DEMO_SPOOKY_RECIPES.map((r) => r.spookinessLevel));
    expect(levels.size).toBeGreaterThanOrEqual(9);
    expect(DEMO_SPOOKY_RECIPES.filter((r) => r.visibility === 'PRIVATE').length).toBeGreaterThanOrEqual(1);
  });

  it('passes createSpookyRecipe validation unchanged: names trimmed, units canonical', () => {
    for (const { key, ...recipe } of DEMO_SPOOKY_RECIPES) {
      const parsed = parseInput(createSpookyRecipeInput, recipe);
      expect(parsed.ingredients, key).toEqual(recipe.ingredients);
      expect(parsed.tags, key).toEqual(recipe.tags);
      for (const i of recipe.ingredients) {
        expect(i.name, `${key}: ${i.name}`).toBe(i.name.toLowerCase().trim());
        if (i.quantity === null) expect(i.note, `${key}: ${i.name} needs a note`).not.toBeNull();
        if (i.name === 'garlic') expect(i.unit, `${key}: garlic`).toBe('clove');
      }
      expect(new Set(recipe.ingredients.map((i) => i.name)).size, `${key}: duplicate ingredient`).toBe(recipe.ingredients.length);
      expect(recipe.instructions.length, key).toBeGreaterThanOrEqual(4);
    }
  });

  it('uses the kitchen’s names for common ingredients', () => {
    const names = new Set(DEMO_SPOOKY_RECIPES.flatMap((r) => r.ingredients.map((i) => i.name)));
    for (const variant of ['eggs', 'garlic clove', 'onion', 'flour', 'butter', 'milk', 'extra-virgin olive oil', 'pepper', 'kosher salt', 'tomatoes', 'sugar']) {
      expect(names.has(variant), variant).toBe(false);
    }
    for (const shared of ['egg', 'garlic', 'yellow onion', 'all-purpose flour', 'unsalted butter', 'whole milk', 'granulated sugar', 'salt', 'olive oil', 'crushed tomatoes']) {
      expect(names.has(shared), shared).toBe(true);
    }
  });

  it('has about 10 valid costumes and 2 valid haunted-house plans', () => {
    expect(DEMO_COSTUMES.length).toBeGreaterThanOrEqual(8);
    expect(DEMO_COSTUMES.length).toBeLessThanOrEqual(15);
    for (const costume of DEMO_COSTUMES) expect(parseInput(createCostumeInput, costume)).toMatchObject(costume);
    expect(DEMO_HAUNTED_HOUSE_PLANS).toHaveLength(2);
    for (const plan of DEMO_HAUNTED_HOUSE_PLANS) expect(parseInput(createPlanInput, plan)).toEqual(plan);
  });

  it('has one valid party whose menu refers to recipes that exist and whose expenses fit the budget', () => {
    const { expenses, recipes, daysFromNow, startHourUtc, ...event } = DEMO_HALLOWEEN_EVENT;
    const date = new Date(Date.now() + daysFromNow * 24 * 60 * 60 * 1000);
    date.setUTCHours(startHourUtc, 0, 0, 0);
    expect(parseInput(createEventInput, { ...event, date })).toMatchObject(event);
    for (const expense of expenses) expect(parseInput(expenseInput, expense)).toMatchObject({ description: expense.description, amountCents: expense.amountCents });
    expect(expenses.reduce((sum, e) => sum + e.amountCents, 0)).toBeLessThan(event.budgetCents);

    const spooky = new Set(DEMO_SPOOKY_RECIPES.filter((r) => r.visibility === 'PUBLIC').map((r) => r.key));
    const kitchen = new Set(DEMO_RECIPES.map((r) => r.key));
    for (const r of recipes) {
      expect((r.source === 'HOLLOWTOWN' ? spooky : kitchen).has(r.recipeKey), r.recipeKey).toBe(true);
      expect(parseInput(eventRecipeInput, { servings: r.servings, recipeId: '00000000-0000-4000-8000-000000000000' }).servings).toBe(r.servings);
    }
  });
});
