import { describe, expect, it } from 'vitest';
import { DEMO_MEAL_PLAN, DEMO_PANTRY, DEMO_RECIPES, type DemoRecipe } from '../src/demo/kitchen-data.js';

const UNITS = new Set([
  'g', 'kg', 'oz', 'lb', 'ml', 'l', 'tsp', 'tbsp', 'cup', 'fl oz', 'piece', 'clove', 'can', 'slice',
  'pinch', 'dash', 'bunch', 'sprig', 'leaf', 'stalk', 'head', 'handful', 'package', 'jar',
]);
const ALLERGENS = [
  'gluten', 'dairy', 'egg', 'peanut', 'tree-nut', 'soy', 'fish', 'shellfish', 'sesame', 'mustard', 'celery',
] as const;
type Allergen = (typeof ALLERGENS)[number];

interface Rule {
  /** An ingredient whose name matches `implies` contains the allergen... */
  implies: RegExp;
  /** ...unless it also matches `except` (rice noodles are not wheat, peanut butter is not dairy). */
  except?: RegExp;
  /** Further ingredients that justify declaring the allergen, though their names do not prove it. */
  alsoJustifiedBy?: RegExp;
}

/** Small ingredient → allergen map, matched on whole words of the (lower-case) ingredient name. */
const ALLERGEN_RULES: Record<Allergen, Rule> = {
  gluten: {
    implies: /\b(flour|bread|breadcrumbs|pasta|spaghetti|macaroni|noodles?|couscous|bulgur|baguette|phyllo|puff pastry|ladyfingers|soy sauce|gochujang)\b/,
    except: /\b(rice|corn|gluten-free)\b/,
    alsoJustifiedBy: /\b(oats|shaoxing|sausage|black pudding)\b/,
  },
  dairy: {
    implies: /\b(butter|buttermilk|milk|cheese|cream|yogurt|ghee|mascarpone|mozzarella|queso)\b/,
    except: /\b(peanut butter|coconut milk|almond milk|oat milk|soy milk|cocoa butter|cream of tartar)\b/,
  },
  egg: { implies: /\beggs?\b/ },
  peanut: { implies: /\bpeanuts?\b/ },
  'tree-nut': { implies: /\b(almonds?|cashews?|walnuts?|pecans?|pistachios?|hazelnuts?)\b/ },
  soy: { implies: /\b(soy|tofu|miso|edamame|tamari|gochujang)\b/ },
  fish: { implies: /\b(fish sauce|anchovy|tuna|salmon|cod|worcestershire)\b/ },
  shellfish: { implies: /\b(shrimp|prawns?|mussels|clams|crab|lobster|scallops)\b/ },
  sesame: { implies: /\b(tahini|sesame)\b/ },
  mustard: { implies: /\bmustard\b/ },
  celery: { implies: /\bcelery\b/ },
};

const MEAT_OR_FISH =
  /\b(chicken|beef|pork|lamb|bacon|guanciale|sausage|chorizo|prosciutto|anchovy|tuna|shrimp|mussels|fish sauce|worcestershire|black pudding|gelatin)\b/;
const ANIMAL_PRODUCT = /\b(eggs?|milk|butter|buttermilk|cheese|cream|yogurt|ghee|mascarpone|mozzarella|queso|honey)\b/;
const ANIMAL_PRODUCT_EXCEPT = /\b(peanut butter|coconut milk|soy milk|oat milk|almond milk)\b/;

function matches(rule: Rule, name: string): boolean {
  return rule.implies.test(name) && !(rule.except?.test(name) ?? false);
}

function impliedAllergens(recipe: DemoRecipe): Set<Allergen> {
  return new Set(ALLERGENS.filter((allergen) => recipe.ingredients.some((i) => matches(ALLERGEN_RULES[allergen], i.name))));
}

const byKey = new Map(DEMO_RECIPES.map((r) => [r.key, r]));
const hasTag = (recipe: DemoRecipe, tag: string) => recipe.tags.includes(tag);

describe('demo recipes', () => {
  it('has exactly 50 recipes with unique slug keys and unique titles', () => {
    expect(DEMO_RECIPES).toHaveLength(50);
    expect(new Set(DEMO_RECIPES.map((r) => r.key)).size).toBe(50);
    expect(new Set(DEMO_RECIPES.map((r) => r.title.toLowerCase())).size).toBe(50);
    for (const recipe of DEMO_RECIPES) expect(recipe.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('spans at least 12 lower-case cuisines', () => {
    const cuisines = new Set(DEMO_RECIPES.map((r) => r.cuisine));
    for (const cuisine of cuisines) expect(cuisine).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(cuisines.size).toBeGreaterThanOrEqual(12);
  });

  it('is varied: breakfasts, soups, salads, desserts, baking, vegetarian and vegan dishes, a few HARD, 3 PRIVATE', () => {
    const count = (tag: string) => DEMO_RECIPES.filter((r) => hasTag(r, tag)).length;
    expect(count('breakfast')).toBeGreaterThanOrEqual(5);
    expect(count('soup')).toBeGreaterThanOrEqual(4);
    expect(count('salad')).toBeGreaterThanOrEqual(4);
    expect(count('dessert')).toBeGreaterThanOrEqual(5);
    expect(count('baking')).toBeGreaterThanOrEqual(5);
    expect(count('vegan')).toBeGreaterThanOrEqual(6);
    const vegetarianNotVegan = DEMO_RECIPES.filter((r) => hasTag(r, 'vegetarian') && !hasTag(r, 'vegan')).length;
    expect(vegetarianNotVegan).toBeGreaterThanOrEqual(9);
    const hard = DEMO_RECIPES.filter((r) => r.difficulty === 'HARD').length;
    expect(hard).toBeGreaterThanOrEqual(3);
    expect(hard).toBeLessThanOrEqual(6);
    expect(DEMO_RECIPES.filter((r) => r.visibility === 'PRIVATE')).toHaveLength(3);
  });

  it('has sane times, servings, calories and nutrition per serving', () => {
    for (const r of DEMO_RECIPES) {
      const n = r.nutrition;
      expect(Number.isInteger(r.prepTimeMinutes) && r.prepTimeMinutes > 0, r.key).toBe(true);
      expect(Number.isInteger(r.cookTimeMinutes) && r.cookTimeMinutes >= 0, r.key).toBe(true);
      expect(Number.isInteger(r.serves) && r.serves >= 1, r.key).toBe(true);
      expect(r.calories, r.key).toBeGreaterThan(50);
      expect(r.calories, r.key).toBeLessThan(1500);
      expect(n.fiberGrams, r.key).toBeLessThanOrEqual(n.carbsGrams);
      expect(n.sugarGrams, r.key).toBeLessThanOrEqual(n.carbsGrams);
      expect(n.sodiumMilligrams, r.key).toBeGreaterThan(0);
      // Atwater: 4 kcal/g protein and carbs, 9 kcal/g fat (alcohol and rounding aside).
      const fromMacros = 4 * n.proteinGrams + 4 * n.carbsGrams + 9 * n.fatGrams;
      expect(Math.abs(fromMacros - r.calories) / r.calories, `${r.key}: ${fromMacros} vs ${r.calories}`).toBeLessThan(0.12);
    }
  });

  it('has a one- or two-sentence description and 4 to 10 instructions', () => {
    for (const r of DEMO_RECIPES) {
      expect(r.description.length, r.key).toBeGreaterThan(40);
      expect(r.description.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 2).length, r.key).toBeLessThanOrEqual(2);
      expect(r.instructions.length, r.key).toBeGreaterThanOrEqual(4);
      expect(r.instructions.length, r.key).toBeLessThanOrEqual(10);
      for (const step of r.instructions) expect(step.length, r.key).toBeGreaterThan(15);
    }
  });

  it('has at least 2 well-formed ingredients, each with an allowed unit', () => {
    for (const r of DEMO_RECIPES) {
      expect(r.ingredients.length, r.key).toBeGreaterThanOrEqual(2);
      expect(new Set(r.ingredients.map((i) => i.name)).size, `${r.key}: duplicate ingredient`).toBe(r.ingredients.length);
      for (const i of r.ingredients) {
        const where = `${r.key}: ${i.name}`;
        expect(i.name, where).toBe(i.name.toLowerCase().trim());
        if (i.unit !== null) expect(UNITS.has(i.unit), `${where}: unit ${i.unit}`).toBe(true);
        if (i.quantity === null) {
          expect(i.unit, `${where}: a unit without a quantity`).toBeNull();
          expect(i.note, `${where}: say why there is no quantity`).not.toBeNull();
        } else {
          expect(Number.isFinite(i.quantity) && i.quantity > 0, where).toBe(true);
        }
      }
    }
  });

  it('mixes metric and US customary recipes', () => {
    const metric = DEMO_RECIPES.filter((r) => r.ingredients.some((i) => i.unit === 'g' || i.unit === 'ml' || i.unit === 'kg'));
    const us = DEMO_RECIPES.filter((r) => r.ingredients.some((i) => i.unit === 'cup' || i.unit === 'oz' || i.unit === 'lb'));
    expect(metric.length).toBeGreaterThanOrEqual(15);
    expect(us.length).toBeGreaterThanOrEqual(10);
  });

  it('uses one name per common ingredient', () => {
    const names = new Set(DEMO_RECIPES.flatMap((r) => r.ingredients.map((i) => i.name)));
    for (const variant of ['eggs', 'garlic clove', 'onion', 'flour', 'butter', 'milk', 'extra-virgin olive oil', 'pepper', 'kosher salt', 'tomatoes']) {
      expect(names.has(variant), variant).toBe(false);
    }
    for (const r of DEMO_RECIPES) {
      for (const i of r.ingredients) {
        if (i.name === 'garlic') expect(i.unit, `${r.key}: garlic`).toBe('clove');
      }
    }
  });

  it('declares every allergen its ingredients imply', () => {
    for (const r of DEMO_RECIPES) {
      for (const allergen of impliedAllergens(r)) {
        expect(r.allergens, `${r.key} should declare ${allergen}`).toContain(allergen);
      }
    }
  });

  it('declares only known allergens that some ingredient accounts for', () => {
    for (const r of DEMO_RECIPES) {
      expect(new Set(r.allergens).size, r.key).toBe(r.allergens.length);
      for (const allergen of r.allergens) {
        expect(ALLERGENS as readonly string[], r.key).toContain(allergen);
        const rule = ALLERGEN_RULES[allergen as Allergen];
        const justified = r.ingredients.some((i) => matches(rule, i.name) || (rule.alsoJustifiedBy?.test(i.name) ?? false));
        expect(justified, `${r.key} declares ${allergen} but no ingredient explains it`).toBe(true);
      }
    }
  });

  it('has lower-case kebab tags consistent with the ingredients', () => {
    for (const r of DEMO_RECIPES) {
      expect(new Set(r.tags).size, r.key).toBe(r.tags.length);
      for (const tag of r.tags) expect(tag, r.key).toMatch(/^[a-z]+(-[a-z]+)*$/);
      if (hasTag(r, 'vegetarian') || hasTag(r, 'vegan')) {
        for (const i of r.ingredients) expect(MEAT_OR_FISH.test(i.name), `${r.key}: ${i.name}`).toBe(false);
      }
      if (hasTag(r, 'vegan')) {
        expect(hasTag(r, 'vegetarian'), r.key).toBe(true);
        for (const i of r.ingredients) {
          expect(ANIMAL_PRODUCT.test(i.name) && !ANIMAL_PRODUCT_EXCEPT.test(i.name), `${r.key}: ${i.name}`).toBe(false);
        }
      }
      if (hasTag(r, 'gluten-free')) expect(r.allergens, r.key).not.toContain('gluten');
      if (hasTag(r, 'dairy-free')) expect(r.allergens, r.key).not.toContain('dairy');
    }
  });
});

describe('demo meal plan', () => {
  const entries = DEMO_MEAL_PLAN.days;
  const slots = (slot: string) => entries.filter((e) => e.slot === slot);

  it('only uses recipes that exist', () => {
    for (const e of entries) expect(byKey.has(e.recipeKey), e.recipeKey).toBe(true);
  });

  it('is a week of 7 dinners, 5 lunches and 3 breakfasts over about 12 recipes', () => {
    expect(DEMO_MEAL_PLAN.name.length).toBeGreaterThan(0);
    expect(slots('DINNER')).toHaveLength(7);
    expect(new Set(slots('DINNER').map((e) => e.day))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(slots('LUNCH')).toHaveLength(5);
    expect(slots('BREAKFAST')).toHaveLength(3);
    for (const e of entries) {
      expect(Number.isInteger(e.day) && e.day >= 0 && e.day <= 6).toBe(true);
      expect(Number.isInteger(e.servings) && e.servings > 0).toBe(true);
    }
    expect(new Set(entries.map((e) => `${e.day}:${e.slot}`)).size).toBe(entries.length);
    const distinct = new Set(entries.map((e) => e.recipeKey)).size;
    expect(distinct).toBeGreaterThanOrEqual(10);
    expect(distinct).toBeLessThanOrEqual(14);
  });

  it('shares ingredients across metric and US recipes, so the shopping list has to merge them', () => {
    const units = new Map<string, Set<string | null>>();
    const recipes = new Map<string, Set<string>>();
    for (const key of new Set(entries.map((e) => e.recipeKey))) {
      for (const i of byKey.get(key)!.ingredients) {
        if (!units.has(i.name)) units.set(i.name, new Set());
        if (!recipes.has(i.name)) recipes.set(i.name, new Set());
        units.get(i.name)!.add(i.unit);
        recipes.get(i.name)!.add(key);
      }
    }
    const unitsOf = (name: string) => units.get(name) ?? new Set<string | null>();
    // Mass and volume of the same ingredient; metric and US of the same dimension.
    expect([...unitsOf('all-purpose flour')]).toEqual(expect.arrayContaining(['g', 'cup', 'tbsp']));
    expect([...unitsOf('olive oil')]).toEqual(expect.arrayContaining(['ml', 'tbsp', 'cup']));
    expect([...unitsOf('unsalted butter')]).toEqual(expect.arrayContaining(['g', 'tbsp']));
    expect([...unitsOf('whole milk')]).toEqual(expect.arrayContaining(['ml', 'cup']));
    expect([...unitsOf('boneless chicken thigh')]).toEqual(expect.arrayContaining(['g', 'kg', 'lb']));
    expect([...unitsOf('crushed tomatoes')]).toEqual(expect.arrayContaining(['can', 'g']));
    expect([...unitsOf('garlic')]).toEqual(['clove']);
    for (const name of ['garlic', 'yellow onion', 'egg', 'ground cumin', 'salt']) {
      expect(recipes.get(name)?.size ?? 0, name).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('demo pantry', () => {
  it('has about 20 well-formed items', () => {
    expect(DEMO_PANTRY.length).toBeGreaterThanOrEqual(15);
    expect(DEMO_PANTRY.length).toBeLessThanOrEqual(30);
    expect(new Set(DEMO_PANTRY.map((p) => p.name)).size).toBe(DEMO_PANTRY.length);
    for (const p of DEMO_PANTRY) {
      expect(p.name).toBe(p.name.toLowerCase());
      expect(p.quantity).toBeGreaterThan(0);
      if (p.unit !== null) expect(UNITS.has(p.unit), p.unit).toBe(true);
      expect(['FRIDGE', 'FREEZER', 'PANTRY', 'SPICE_RACK']).toContain(p.location);
      expect(p.category).toMatch(/^[a-z]+(-[a-z]+)*$/);
      if (p.expiresInDays !== null) expect(Number.isInteger(p.expiresInDays) && p.expiresInDays >= 0).toBe(true);
    }
    const categories = new Set(DEMO_PANTRY.map((p) => p.category));
    for (const c of ['dairy', 'produce', 'grains', 'baking', 'spices', 'canned', 'condiments']) expect(categories.has(c), c).toBe(true);
  });

  it('has a couple of items expiring within 3 days', () => {
    const soon = DEMO_PANTRY.filter((p) => p.expiresInDays !== null && p.expiresInDays <= 3);
    expect(soon.length).toBeGreaterThanOrEqual(2);
  });

  it('overlaps the ingredients of the meal plan', () => {
    const planned = new Set(DEMO_MEAL_PLAN.days.flatMap((e) => byKey.get(e.recipeKey)?.ingredients.map((i) => i.name) ?? []));
    const overlap = DEMO_PANTRY.filter((p) => planned.has(p.name)).map((p) => p.name);
    expect(overlap.length).toBeGreaterThanOrEqual(8);
    expect(overlap).toEqual(expect.arrayContaining(['olive oil', 'salt', 'all-purpose flour', 'egg', 'basmati rice']));
  });
});
