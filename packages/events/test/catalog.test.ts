import { describe, expect, it } from 'vitest';
import { RecipePublished, RecipeUpdated } from '@calos/events';

describe('event catalogue', () => {
  const snapshot = {
    recipeId: '0b7d3c3e-52a5-4f43-9c7e-7d6c0e7f2a11',
    authorId: '5c1f0d6a-1b7e-4e43-8f0f-3f7f9a3b8c22',
    title: 'Soup',
    serves: 2,
    ingredients: [{ name: 'water', quantity: 1, unit: 'l', note: null }],
    visibility: 'PUBLIC',
  };

  it('reads recipe snapshots published before tags and times were added (still in streams and outboxes)', () => {
    for (const event of [RecipePublished, RecipeUpdated]) {
      expect(event.schema.parse(snapshot)).toEqual({ ...snapshot, tags: [], totalMinutes: null });
    }
  });

  it('carries tags and prep + cook time when the recipe has them', () => {
    expect(RecipePublished.schema.parse({ ...snapshot, tags: ['vegan'], totalMinutes: 45 })).toMatchObject({ tags: ['vegan'], totalMinutes: 45 });
    expect(() => RecipePublished.schema.parse({ ...snapshot, totalMinutes: -1 })).toThrow();
  });
});
