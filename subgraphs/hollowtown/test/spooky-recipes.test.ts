import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_SPOOKY, newViewer, SPOOKY_FIELDS, spookyInput, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('spooky');
});

afterAll(async () => {
  await h?.close();
});

const GET = `query($id: ID!) { spookyRecipe(id: $id) { ${SPOOKY_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateSpookyRecipeInput!) { updateSpookyRecipe(id: $id, input: $input) { ${SPOOKY_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteSpookyRecipe(id: $id) }`;
const SHARE = `mutation($id: ID!) { shareSpookyRecipeToMyRecipes(id: $id) { id name } }`;
const LIST = `query($filter: SpookyRecipeFilter, $first: Int, $after: String) {
  spookyRecipes(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id name spookinessLevel difficulty tags } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SpookyRecipe { id name visibility } } }`;

async function create(viewer = newViewer(), overrides: Record<string, unknown> = {}) {
  const data = await h.ok(CREATE_SPOOKY, { input: spookyInput(overrides) }, viewer);
  return data.createSpookyRecipe;
}

describe('spooky recipes: create, read, update, delete', () => {
  it('creates a recipe with canonical units and reads it back', async () => {
    const author = newViewer();
    const created = await create(author, {
      ingredients: [
        { name: '  Pumpkin   purée ', quantity: 425, unit: 'grams' },
        { name: 'ground cinnamon', quantity: 1, unit: 'Teaspoons', note: ' heaped ' },
        { name: 'salt', quantity: null, unit: null, note: 'a pinch' },
      ],
      tags: ['Halloween', 'halloween', 'pumpkin'],
    });
    expect(created).toMatchObject({ name: 'Graveyard Dirt Cups', spookinessLevel: 4, difficulty: 'EASY', author: { id: author.userId } });
    expect(created.ingredients).toEqual([
      { name: 'Pumpkin purée', quantity: 425, unit: 'g', note: null },
      { name: 'ground cinnamon', quantity: 1, unit: 'tsp', note: 'heaped' },
      { name: 'salt', quantity: null, unit: null, note: 'a pinch' },
    ]);
    expect(created.tags).toEqual(['halloween', 'pumpkin']);
    const read = await h.ok(GET, { id: created.id }, newViewer());
    expect(read.spookyRecipe).toEqual(created);
  });

  it('lets only the author update or delete; deleting announces SpookyRecipeDeleted', async () => {
    const author = newViewer();
    const other = newViewer();
    const recipe = await create(author);

    const updated = await h.ok(UPDATE, { id: recipe.id, input: { name: 'Witch Finger Breadsticks', spookinessLevel: 8, difficulty: 'NIGHTMARE', imageUrl: null } }, author);
    expect(updated.updateSpookyRecipe).toMatchObject({ id: recipe.id, name: 'Witch Finger Breadsticks', spookinessLevel: 8, difficulty: 'NIGHTMARE', serves: 6 });

    expect((await h.gql(UPDATE, { id: recipe.id, input: { name: 'Mine now' } }, other)).codes).toEqual(['FORBIDDEN']);
    expect((await h.gql(DELETE, { id: recipe.id }, other)).codes).toEqual(['FORBIDDEN']);
    expect((await h.gql(UPDATE, { id: recipe.id, input: { name: 'x' } })).codes).toEqual(['UNAUTHENTICATED']);

    expect((await h.ok(DELETE, { id: recipe.id }, author)).deleteSpookyRecipe).toBe(recipe.id);
    expect((await h.ok(GET, { id: recipe.id }, author)).spookyRecipe).toBeNull();
    expect((await h.gql(DELETE, { id: recipe.id }, author)).codes).toEqual(['NOT_FOUND']);
    const deleted = await h.outbox('SpookyRecipeDeleted', recipe.id);
    expect(deleted.map((e) => e.data)).toEqual([{ spookyRecipeId: recipe.id, authorId: author.userId }]);
    expect(deleted[0]).toMatchObject({ aggregateType: 'SpookyRecipe', version: 1 });
  });
});

describe('spooky recipes: validation', () => {
  it('rejects spookiness 11 (and other bad fields) per field, writing nothing', async () => {
    const before = await h.service.services.db.spookyRecipe.count();
    const result = await h.gql(
      CREATE_SPOOKY,
      { input: spookyInput({ spookinessLevel: 11, serves: 0, ingredients: [{ name: 'eyeballs', quantity: 3, unit: 'handfulls' }], imageUrl: 'ftp://x' }) },
      newViewer(),
    );
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(result.fields).toMatchObject({
      'input.spookinessLevel': ['must be from 1 to 10'],
      'input.serves': ['must be at least 1'],
      'input.ingredients.0.unit': ['Unknown unit.'],
      'input.imageUrl': ['must be an http(s) URL'],
    });
    expect(result.data).toBeNull();
    expect(await h.service.services.db.spookyRecipe.count()).toBe(before);
  });

  it('rejects an update to spookiness 0 and leaves the recipe as it was', async () => {
    const author = newViewer();
    const recipe = await create(author);
    const result = await h.gql(UPDATE, { id: recipe.id, input: { spookinessLevel: 0, name: 'Changed' } }, author);
    expect(result.fields).toEqual({ 'input.spookinessLevel': ['must be from 1 to 10'] });
    expect((await h.ok(GET, { id: recipe.id }, author)).spookyRecipe).toMatchObject({ name: recipe.name, spookinessLevel: 4 });
  });

  it('rejects a filter whose minimum spookiness is above its maximum', async () => {
    const result = await h.gql(LIST, { filter: { minSpookiness: 8, maxSpookiness: 3 } });
    expect(result.fields).toEqual({ 'filter.maxSpookiness': ['must not be below minSpookiness'] });
  });
});

describe('spooky recipes: privacy', () => {
  it('a private recipe exists only for its author — by id, in lists and through _entities', async () => {
    const author = newViewer();
    const stranger = newViewer();
    const secret = await create(author, { name: 'Grandma Hex Stew', visibility: 'PRIVATE' });
    const open = await create(author, { name: 'Bat Wing Wontons', visibility: 'PUBLIC' });

    expect((await h.ok(GET, { id: secret.id }, stranger)).spookyRecipe).toBeNull();
    expect((await h.ok(GET, { id: secret.id })).spookyRecipe).toBeNull();
    expect((await h.ok(GET, { id: secret.id }, author)).spookyRecipe.id).toBe(secret.id);

    const refs = [secret.id, open.id].map((id) => ({ __typename: 'SpookyRecipe', id }));
    expect((await h.ok(ENTITIES, { r: refs }, stranger))._entities).toEqual([null, { id: open.id, name: 'Bat Wing Wontons', visibility: 'PUBLIC' }]);
    expect((await h.ok(ENTITIES, { r: refs }))._entities).toEqual([null, { id: open.id, name: 'Bat Wing Wontons', visibility: 'PUBLIC' }]);
    expect((await h.ok(ENTITIES, { r: refs }, author))._entities.map((e: any) => e?.id)).toEqual([secret.id, open.id]);

    const listed = async (viewer = stranger) =>
      (await h.ok(LIST, { filter: { authorId: author.userId } }, viewer)).spookyRecipes.edges.map((e: any) => e.node.id);
    expect(await listed()).toEqual([open.id]);
    expect(await listed(author)).toEqual([open.id, secret.id]);

    // Editing someone's private recipe: it does not exist for you.
    expect((await h.gql(UPDATE, { id: secret.id, input: { name: 'x' } }, stranger)).codes).toEqual(['NOT_FOUND']);
  });

  it('User.spookyRecipes shows all of one’s own recipes and only public ones to others', async () => {
    const author = newViewer();
    const secret = await create(author, { visibility: 'PRIVATE' });
    const open = await create(author, { visibility: 'PUBLIC' });
    const USER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { spookyRecipes(first: 10) { totalCount edges { node { id } } } } } }`;
    const of = async (viewer: any) => (await h.ok(USER, { r: [{ __typename: 'User', id: author.userId }] }, viewer))._entities[0].spookyRecipes;
    expect(await of(author)).toEqual({ totalCount: 2, edges: [{ node: { id: open.id } }, { node: { id: secret.id } }] });
    expect(await of(newViewer())).toEqual({ totalCount: 1, edges: [{ node: { id: open.id } }] });
  });
});

describe('spooky recipes: filters and pagination', () => {
  it('filters by search, difficulty, spookiness range, tags and author', async () => {
    const author = newViewer();
    const mine = { authorId: author.userId };
    const pumpkin = await create(author, {
      name: 'Bleeding Pumpkin Soup',
      spookinessLevel: 7,
      difficulty: 'MEDIUM',
      tags: ['soup', 'vegetarian'],
      ingredients: [{ name: 'pumpkin', quantity: 1, unit: 'kg' }, { name: 'beet juice', quantity: 100, unit: 'ml' }],
    });
    const eyeballs = await create(author, { name: 'Eyeball Meatballs', spookinessLevel: 9, difficulty: 'HARD', tags: ['dinner'] });
    const cupcakes = await create(author, { name: 'Ghost Cupcakes', spookinessLevel: 2, difficulty: 'EASY', tags: ['dessert', 'vegetarian'] });

    const ids = async (filter: Record<string, unknown>) =>
      (await h.ok(LIST, { filter: { ...mine, ...filter } }, newViewer())).spookyRecipes.edges.map((e: any) => e.node.id);
    expect(await ids({})).toEqual([cupcakes.id, eyeballs.id, pumpkin.id]);
    expect(await ids({ search: 'pumpkin' })).toEqual([pumpkin.id]);
    expect(await ids({ search: 'beet' })).toEqual([pumpkin.id]); // ingredients are searched too
    expect(await ids({ search: 'meatball' })).toEqual([eyeballs.id]); // stemmed
    expect(await ids({ difficulty: 'HARD' })).toEqual([eyeballs.id]);
    expect(await ids({ minSpookiness: 7 })).toEqual([eyeballs.id, pumpkin.id]);
    expect(await ids({ maxSpookiness: 7 })).toEqual([cupcakes.id, pumpkin.id]);
    expect(await ids({ minSpookiness: 3, maxSpookiness: 8 })).toEqual([pumpkin.id]);
    expect(await ids({ tags: ['vegetarian'] })).toEqual([cupcakes.id, pumpkin.id]);
    expect(await ids({ tags: ['Vegetarian', 'soup'] })).toEqual([pumpkin.id]);
    expect(await ids({ authorId: 'not-a-uuid' })).toEqual([]);
  });

  it('pages through a catalogue with keyset cursors: every recipe once, in order', async () => {
    const author = newViewer();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await create(author, { name: `Cursed Cookie ${i}`, tags: ['paging'] })).id);
    const filter = { authorId: author.userId };
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = (await h.ok(LIST, { filter, first: 3, after }, newViewer())).spookyRecipes;
      expect(page.totalCount).toBe(pages === 0 ? 7 : 8);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((e: any) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      // A recipe added between pages does not shift the rest (it is newer than the cursor).
      if (pages === 1) await create(author, { name: 'Late Arrival', tags: ['paging'] });
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());

    // Search results page by rank just as well.
    const searched: string[] = [];
    after = null;
    do {
      const page: any = (await h.ok(LIST, { filter: { ...filter, search: 'cursed cookie' }, first: 2, after }, newViewer())).spookyRecipes;
      searched.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(searched)).toEqual(new Set(created));
    expect(searched).toHaveLength(7);

    expect((await h.gql(LIST, { filter, after: 'garbage' })).fields).toEqual({ after: ['is not a cursor from this list (use pageInfo.endCursor)'] });
    expect((await h.gql(LIST, { filter, first: 101 })).fields).toEqual({ 'page.first': ['must be at most 100'] });
  });
});

describe('spooky recipes: share to My Recipes', () => {
  it('announces SpookyRecipeShared for one’s own or a public recipe, NOT_FOUND for another’s private one', async () => {
    const author = newViewer();
    const fan = newViewer();
    const open = await create(author, { visibility: 'PUBLIC' });
    const secret = await create(author, { visibility: 'PRIVATE' });

    expect((await h.ok(SHARE, { id: open.id }, fan)).shareSpookyRecipeToMyRecipes).toEqual({ id: open.id, name: open.name });
    expect((await h.ok(SHARE, { id: secret.id }, author)).shareSpookyRecipeToMyRecipes.id).toBe(secret.id);
    expect((await h.gql(SHARE, { id: secret.id }, fan)).codes).toEqual(['NOT_FOUND']);
    expect((await h.gql(SHARE, { id: 'nope' }, fan)).codes).toEqual(['NOT_FOUND']);
    expect((await h.gql(SHARE, { id: open.id })).codes).toEqual(['UNAUTHENTICATED']);

    expect((await h.outbox('SpookyRecipeShared', open.id)).map((e) => e.data)).toEqual([{ spookyRecipeId: open.id, userId: fan.userId }]);
    expect((await h.outbox('SpookyRecipeShared', secret.id)).map((e) => e.data)).toEqual([{ spookyRecipeId: secret.id, userId: author.userId }]);
  });

  it('gives concurrent shares of one recipe consecutive versions (no unique-index race)', async () => {
    const recipe = await create(newViewer());
    const fans = Array.from({ length: 8 }, () => newViewer());
    const results = await Promise.all(fans.map((fan) => h.gql(SHARE, { id: recipe.id }, fan)));
    expect(results.flatMap((r) => r.codes)).toEqual([]);
    const events = await h.outbox('SpookyRecipeShared', recipe.id);
    expect(events.map((e) => e.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(events.map((e) => (e.data as { userId: string }).userId))).toEqual(new Set(fans.map((f) => f.userId)));
  });
});
