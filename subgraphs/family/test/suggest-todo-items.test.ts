import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinFamily, must, startFakeOllama, startTestSupergraph, type FakeLlmServer, type TestSupergraph, type TestUser } from '@calos/testkit';

/**
 * suggestTodoItems end to end: the real supergraph (identity, ai, family) on real PostgreSQL,
 * with a fake Ollama answering as each test needs.
 */
const SUGGEST = `mutation($input: SuggestTodoItemsInput!) {
  suggestTodoItems(input: $input) { id title description priority status dueDate assignedTo { id } list { id } }
}`;
const LIST = `query($id: ID!) { todoList(id: $id) { items { id title status } } }`;
const ME_AI = `{ me { credits { balance } aiUsage(first: 10) { totalCount edges { node { domain feature outcome } } } } }`;
const DAY = 24 * 60 * 60 * 1000;


type Suggestion = { title: string; description?: string; priority: string; dueInDays?: number };
const answer = (items: Suggestion[]) => JSON.stringify({ items });
const promptsSince = (fake: FakeLlmServer, from: number) => fake.requests.slice(from).map((r) => r.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');

describe('suggestTodoItems with a model', () => {
  let fake: FakeLlmServer;
  let stack: TestSupergraph;
  let admin: TestUser;
  let parent: TestUser;
  let child: TestUser;
  let outsider: TestUser;
  let removed: TestUser;
  let familyId: string;

  const join = (user: TestUser, role: 'ADMIN' | 'PARENT' | 'CHILD') => joinFamily(admin, user, familyId, role);

  async function newList(name: string, items: Array<{ title: string; priority?: string; done?: boolean }> = []): Promise<string> {
    const listId = (await must(parent.gql(`mutation($f: ID!, $n: String!) { createTodoList(familyId: $f, input: { name: $n, type: CHORES }) { id } }`, { f: familyId, n: name })))
      .createTodoList.id as string;
    for (const item of items) {
      const id = (
        await must(
          parent.gql(`mutation($l: ID!, $input: CreateTodoItemInput!) { createTodoItem(listId: $l, input: $input) { id } }`, {
            l: listId,
            input: { title: item.title, priority: item.priority ?? 'MEDIUM' },
          }),
        )
      ).createTodoItem.id as string;
      if (item.done) await must(parent.gql(`mutation($id: ID!) { completeTodoItem(id: $id) { id } }`, { id }));
    }
    return listId;
  }

  const titles = async (user: TestUser, listId: string) => (await must(user.gql(LIST, { id: listId }))).todoList.items.map((i: { title: string }) => i.title);

  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['llama3.2'] });
    stack = await startTestSupergraph({ only: ['identity', 'ai', 'family'], env: { ai: { OLLAMA_HOSTS: fake.url } } });
    [admin, parent, child, outsider, removed] = await Promise.all([stack.signUp(), stack.signUp(), stack.signUp(), stack.signUp(), stack.signUp()]);
    familyId = (await must(admin.gql(`mutation { createFamily(input: { name: "The Gardeners" }) { id } }`))).createFamily.id;
    await join(parent, 'PARENT');
    await join(child, 'CHILD');
    await join(removed, 'CHILD');
    await must(admin.gql(`mutation($f: ID!, $u: ID!) { removeFamilyMember(familyId: $f, userId: $u) }`, { f: familyId, u: removed.id }));
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('suggests items from the list and the request and saves them as ordinary items of the list', async () => {
    const listId = await newList('Garden', [{ title: 'Rake the leaves', priority: 'HIGH' }, { title: 'Mow the lawn', done: true }]);
    const before = fake.requests.length;
    fake.respond = () =>
      answer([
        { title: 'Cover the roses', description: 'Use the fleece in the shed.', priority: 'HIGH', dueInDays: 2 },
        { title: 'Drain the hose', priority: 'MEDIUM' },
        { title: 'Plant tulip bulbs', priority: 'LOW', dueInDays: 10 },
      ]);
    const started = Date.now();
    const res = await parent.gql(SUGGEST, { input: { listId, prompt: 'get the garden ready for winter', count: 3 } });
    expect(res.errors).toBeUndefined();
    const items = res.data!.suggestTodoItems;
    expect(items.map((i: { title: string }) => i.title)).toEqual(['Cover the roses', 'Drain the hose', 'Plant tulip bulbs']);
    expect(items[0]).toMatchObject({ description: 'Use the fleece in the shed.', priority: 'HIGH', status: 'TODO', assignedTo: null, list: { id: listId } });
    expect(items[1]).toMatchObject({ description: null, dueDate: null, priority: 'MEDIUM' });
    const due = Date.parse(items[0].dueDate);
    expect(due).toBeGreaterThanOrEqual(started + 2 * DAY - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 2 * DAY + 1000);

    // One model call; the prompt has the list, its open items (not the done one), the roles — and no one's name or id.
    expect(fake.requests.length - before).toBe(1);
    const [prompt] = promptsSince(fake, before);
    expect(prompt).toContain('List: "Garden" (type CHORES)');
    expect(prompt).toContain('- Rake the leaves (HIGH)');
    expect(prompt).not.toContain('Mow the lawn');
    expect(prompt).toContain('Family members by role: 1 ADMIN, 1 PARENT, 1 CHILD. The person asking is a PARENT.');
    expect(prompt).toContain('Request: get the garden ready for winter');
    expect(prompt).toContain('at most 3 item(s)');
    for (const user of [admin, parent, child, removed]) {
      expect(prompt).not.toContain(user.username);
      expect(prompt).not.toContain(user.id);
    }
    expect(fake.requests[before]!.jsonSchema).toMatchObject({ properties: { items: { maxItems: 3 } } });

    // Ordinary items: every member sees them in the list, ordered with the existing ones (open, by due date, oldest first).
    expect(await titles(child, listId)).toEqual(['Cover the roses', 'Plant tulip bulbs', 'Rake the leaves', 'Drain the hose', 'Mow the lawn']);
    const usage = (await must(parent.gql(ME_AI))).me;
    expect(usage.aiUsage.edges[0].node).toEqual({ domain: 'family', feature: 'suggestTodoItems', outcome: 'SUCCESS' });
    expect(usage.credits.balance).toBe(100);
  });

  it('lets every member suggest, CHILD included (like createTodoItem), and no one outside the family', async () => {
    const listId = await newList('Kids');
    fake.respond = () => answer([{ title: 'Feed the cat', priority: 'MEDIUM' }]);
    const byChild = await child.gql(SUGGEST, { input: { listId } });
    expect(byChild.errors).toBeUndefined();
    expect(byChild.data!.suggestTodoItems.map((i: { title: string }) => i.title)).toEqual(['Feed the cat']);

    const before = fake.requests.length;
    expect((await outsider.gql(SUGGEST, { input: { listId } })).codes).toEqual(['NOT_FOUND']);
    expect((await removed.gql(SUGGEST, { input: { listId } })).codes).toEqual(['NOT_FOUND']);
    expect((await parent.gql(SUGGEST, { input: { listId: randomUUID() } })).codes).toEqual(['NOT_FOUND']);
    expect((await parent.gql(SUGGEST, { input: { listId: 'not-an-id' } })).codes).toEqual(['NOT_FOUND']);
    expect((await stack.gql(SUGGEST, { input: { listId } })).codes).toEqual(['UNAUTHENTICATED']);
    expect(fake.requests.length).toBe(before);
    expect((await must(outsider.gql(ME_AI))).me.aiUsage.totalCount).toBe(0);
    expect(await titles(admin, listId)).toEqual(['Feed the cat']);
  });

  it('asks once more when the first answer is not JSON, and saves the items once', async () => {
    const listId = await newList('Retry');
    const before = fake.requests.length;
    let calls = 0;
    fake.respond = () => (calls++ === 0 ? '```json\n{"items": [{"title": "Buy' : answer([{ title: 'Buy stamps', priority: 'LOW' }]));
    const res = await admin.gql(SUGGEST, { input: { listId } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.suggestTodoItems.map((i: { title: string }) => i.title)).toEqual(['Buy stamps']);
    expect(fake.requests.length - before).toBe(2);
    expect(promptsSince(fake, before)[1]).toMatch(/not valid JSON/);
    expect(await titles(admin, listId)).toEqual(['Buy stamps']);
  });

  it('repairs an answer that repeats an open item', async () => {
    const listId = await newList('Groceries', [{ title: 'Buy milk' }]);
    const before = fake.requests.length;
    let calls = 0;
    fake.respond = () =>
      calls++ === 0
        ? answer([{ title: 'buy  MILK', priority: 'LOW' }, { title: 'Buy bread', priority: 'LOW' }])
        : answer([{ title: 'Buy eggs', priority: 'LOW' }, { title: 'Buy bread', priority: 'LOW' }]);
    const res = await admin.gql(SUGGEST, { input: { listId, count: 2 } });
    expect(res.errors).toBeUndefined();
    expect(fake.requests.length - before).toBe(2);
    expect(promptsSince(fake, before)[1]).toContain('items.0.title: "buy  MILK" is already on the list');
    expect(await titles(admin, listId)).toEqual(['Buy milk', 'Buy eggs', 'Buy bread']);
  });

  it('gives up with AI_INVALID_OUTPUT after one repair, saving and charging nothing', async () => {
    const listId = await newList('Too many', [{ title: 'Existing' }]);
    const before = fake.requests.length;
    // Three items when at most two were asked for, every time.
    fake.respond = () => answer([{ title: 'One', priority: 'LOW' }, { title: 'Two', priority: 'LOW' }, { title: 'Three', priority: 'LOW' }]);
    const res = await child.gql(SUGGEST, { input: { listId, count: 2 } });
    expect(res.codes).toEqual(['AI_INVALID_OUTPUT']);
    expect(fake.requests.length - before).toBe(2);
    expect(await titles(admin, listId)).toEqual(['Existing']);
    const me = (await must(child.gql(ME_AI))).me;
    expect(me.aiUsage.edges[0].node).toEqual({ domain: 'family', feature: 'suggestTodoItems', outcome: 'INVALID_OUTPUT' });
    expect(me.credits.balance).toBe(100);
  });

  it('returns the same items for the same idempotency key, asking and saving once', async () => {
    const listId = await newList('Once');
    const before = fake.requests.length;
    fake.respond = () => answer([{ title: 'Call grandma', priority: 'HIGH' }, { title: 'Water plants', priority: 'LOW', dueInDays: 0 }]);
    const input = { listId, idempotencyKey: randomUUID() };
    const first = await must(admin.gql(SUGGEST, { input }));
    const second = await must(admin.gql(SUGGEST, { input }));
    expect(second.suggestTodoItems).toEqual(first.suggestTodoItems);
    expect(fake.requests.length - before).toBe(1);
    expect(await titles(admin, listId)).toEqual(['Water plants', 'Call grandma']); // by due date, then in the order suggested
  });

  it('validates the input per field and asks nothing', async () => {
    const listId = await newList('Validation');
    const before = fake.requests.length;
    const res = await admin.gql(SUGGEST, { input: { listId, count: 21, prompt: 'x'.repeat(501), model: '' } });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.fields).toEqual({
      'input.prompt': ['must be at most 500 characters'],
      'input.count': ['must be at most 20'],
      'input.model': ['must not be empty'],
    });
    expect((await admin.gql(SUGGEST, { input: { listId, count: 0 } })).errors![0]!.extensions!.fields).toEqual({ 'input.count': ['must be at least 1'] });
    expect(fake.requests.length).toBe(before);
    expect(await titles(admin, listId)).toEqual([]);
  });
});

describe('suggestTodoItems without any model configured', () => {
  let stack: TestSupergraph;
  beforeAll(async () => {
    stack = await startTestSupergraph({ only: ['identity', 'ai', 'family'] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers AI_UNAVAILABLE, writes nothing and charges nothing', async () => {
    const admin = await stack.signUp();
    const familyId = (await must(admin.gql(`mutation { createFamily(input: { name: "Offline" }) { id } }`))).createFamily.id as string;
    const listId = (await must(admin.gql(`mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "Chores" }) { id } }`, { f: familyId }))).createTodoList
      .id as string;
    const res = await admin.gql(SUGGEST, { input: { listId } });
    expect(res.codes).toEqual(['AI_UNAVAILABLE']);
    expect((await must(admin.gql(LIST, { id: listId }))).todoList.items).toEqual([]);
    expect((await must(admin.gql(ME_AI))).me.credits.balance).toBe(100);
  });
});
