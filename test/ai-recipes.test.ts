import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, startTestSupergraph, type FakeLlmServer, type TestSupergraph } from '@calos/testkit';

const GENERATE = `mutation($input: GenerateRecipeInput!) {
  generateRecipe(input: $input) { id title cuisine serves prepTimeMinutes cookTimeMinutes allergens tags visibility author { id } ingredients { name quantity unit note } instructions }
}`;
const MY_RECIPES = `{ me { recipes(first: 20) { totalCount edges { node { id title } } } aiUsage(first: 5) { edges { node { domain feature outcome } } } } }`;

const recipe = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    title: 'Chickpea Weeknight Curry',
    description: 'Fast and warming.',
    cuisine: 'indian',
    difficulty: 'EASY',
    prepTimeMinutes: 10,
    cookTimeMinutes: 20,
    serves: 4,
    calories: 450,
    ingredients: [
      { name: 'chickpeas', quantity: 2, unit: 'can', note: 'drained' },
      { name: 'coconut milk', quantity: 400, unit: 'ml', note: null },
      { name: 'curry powder', quantity: 2, unit: 'tbsp', note: null },
    ],
    instructions: ['Fry the curry powder.', 'Add chickpeas and coconut milk.', 'Simmer 15 minutes.'],
    allergens: [],
    tags: ['vegan', 'quick'],
    ...overrides,
  });

describe('generateRecipe', () => {
  let stack: TestSupergraph;
  let ollama: FakeLlmServer;
  let script: string[] = [];

  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['llama3.2'] });
    ollama.respond = () => script.shift() ?? recipe();
    stack = await startTestSupergraph({ only: ['identity', 'ai', 'recipes'], env: { ai: { OLLAMA_HOSTS: ollama.url } } });
  });
  afterAll(async () => {
    await stack?.close();
    await ollama?.close();
  });

  it('saves the written recipe as the user’s own private recipe', async () => {
    const user = await stack.signUp();
    const calls = ollama.requests.length;
    const res = await user.gql(GENERATE, { input: { prompt: 'a quick weeknight curry with chickpeas', serves: 2, maxTotalMinutes: 45, excludeAllergens: ['PEANUT'] } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.generateRecipe).toMatchObject({
      title: 'Chickpea Weeknight Curry',
      cuisine: 'indian',
      serves: 2,
      visibility: 'PRIVATE',
      author: { id: user.id },
      ingredients: [
        { name: 'chickpeas', quantity: 2, unit: 'can', note: 'drained' },
        { name: 'coconut milk', quantity: 400, unit: 'ml', note: null },
        { name: 'curry powder', quantity: 2, unit: 'tbsp', note: null },
      ],
    });
    expect(res.data?.generateRecipe.tags).toEqual(expect.arrayContaining(['vegan', 'quick', 'ai-generated']));
    const prompt = ollama.requests.slice(calls)[0]!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('a quick weeknight curry with chickpeas');
    expect(prompt).toContain('at most 45 minutes');
    expect(prompt).toContain('must not contain: PEANUT');
    const mine = await user.gql(MY_RECIPES);
    expect(mine.data?.me.recipes.edges.map((e: any) => e.node.id)).toEqual([res.data?.generateRecipe.id]);
    expect(mine.data?.me.aiUsage.edges[0].node).toEqual({ domain: 'recipes', feature: 'generateRecipe', outcome: 'SUCCESS' });
  });

  it('an answer breaking the brief (an excluded allergen, too long) gets one repair', async () => {
    const user = await stack.signUp();
    script = [recipe({ allergens: ['PEANUT'], cookTimeMinutes: 90 }), recipe({ title: 'Peanut-free Curry' })];
    const calls = ollama.requests.length;
    const res = await user.gql(GENERATE, { input: { prompt: 'curry', maxTotalMinutes: 45, excludeAllergens: ['PEANUT'] } });
    expect(res.data?.generateRecipe.title).toBe('Peanut-free Curry');
    const repair = ollama.requests.slice(calls)[1]!.messages.at(-1)!.content;
    expect(repair).toContain('allergens: must not contain PEANUT');
    expect(repair).toContain('cookTimeMinutes: prep + cook time must be at most 45 minutes');
    expect((await user.gql(MY_RECIPES)).data?.me.recipes.totalCount).toBe(1);
  });

  it('bad input is refused before any model call, with per-field messages', async () => {
    const user = await stack.signUp();
    const calls = ollama.requests.length;
    const res = await user.gql(GENERATE, { input: { prompt: '  ', serves: 0 } });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(res.errors?.[0]?.extensions?.fields as object).sort()).toEqual(['input.prompt', 'input.serves']);
    expect(ollama.requests.length).toBe(calls);
    expect((await user.gql(MY_RECIPES)).data?.me.recipes.totalCount).toBe(0);
  });

  it('an unreachable pool answers AI_UNAVAILABLE and saves nothing', async () => {
    const user = await stack.signUp();
    await ollama.kill();
    try {
      const res = await user.gql(GENERATE, { input: { prompt: 'soup' } });
      expect(res.errors?.[0]?.extensions?.code).toBe('AI_UNAVAILABLE');
    } finally {
      await ollama.restart();
    }
    expect((await user.gql(MY_RECIPES)).data?.me.recipes.totalCount).toBe(0);
  });
});

describe('a domain whose ai service is unreachable or refuses it', () => {
  it('answers AI_UNAVAILABLE and saves nothing (unreachable ai, refused service token)', async () => {
    for (const env of [{ AI_URL: 'http://127.0.0.1:1' }, { SERVICE_TOKEN_SECRET: 'w'.repeat(40) }]) {
      const stack = await startTestSupergraph({ only: ['identity', 'ai', 'recipes'], env: { recipes: env } });
      try {
        const user = await stack.signUp();
        const res = await user.gql(GENERATE, { input: { prompt: 'soup' } });
        expect(res.errors?.[0]?.extensions?.code).toBe('AI_UNAVAILABLE');
        expect(res.errors?.[0]?.message).toBe('The AI service is unavailable right now. Nothing was charged.');
        expect((await user.gql(MY_RECIPES)).data?.me.recipes.totalCount).toBe(0);
      } finally {
        await stack.close();
      }
    }
  });
});
