import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET_HEADER } from '@calos/auth';
import { gql, startFakeOllama, startFakeOpenAI, startTestSupergraph, type FakeLlmServer, type TestSupergraph } from '@calos/testkit';

const CHAT = `mutation Chat($input: ChatInput!) {
  chat(input: $input) { message { role content } model provider promptTokens completionTokens credits replayed }
}`;
const ME_AI = `{ me { id rateLimits { plan perMinute { limit used remaining resetsAt } perHour { limit remaining } perDay { limit remaining } }
  aiUsage(first: 10) { totalCount totalCredits edges { node { domain feature provider model outcome credits promptTokens completionTokens } } }
  credits { balance } } }`;

describe('ai without any model configured', () => {
  let stack: TestSupergraph;
  beforeAll(async () => {
    stack = await startTestSupergraph({ only: ['identity', 'ai'] });
  });
  afterAll(() => stack?.close());

  it('answers AI_UNAVAILABLE at once, charges nothing and uses no request allowance', async () => {
    const user = await stack.signUp();
    // (How quickly: `npm run bench -- ai`.)
    const res = await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'Hello?' }] } });
    expect(res.errors?.[0]?.extensions?.code).toBe('AI_UNAVAILABLE');
    expect(res.errors?.[0]?.message).toMatch(/No AI model is available/);
    const me = await user.gql(ME_AI);
    expect(me.data?.me.credits.balance).toBe(100);
    expect(me.data?.me.rateLimits.perMinute).toMatchObject({ limit: 10, used: 0, remaining: 10 });
    expect(me.data?.me.aiUsage.edges.map((e: any) => e.node.outcome)).toEqual(['UNAVAILABLE']);
  });

  it('lists the default model as unavailable and premium models as needing a key', async () => {
    const res = await stack.gql(`{ aiModels { model provider free available requiresApiKey } }`);
    const models = res.data?.aiModels as any[];
    expect(models.find((m) => m.provider === 'OLLAMA')).toMatchObject({ model: 'llama3.2', free: true, available: false });
    expect(models.filter((m) => m.provider === 'OPENAI').every((m) => m.requiresApiKey && !m.available && !m.free)).toBe(true);
    expect(models.some((m) => m.provider === 'ANTHROPIC')).toBe(true);
    expect(models.some((m) => m.provider === 'DEEPSEEK')).toBe(true);
  });

  it('refuses anonymous chat and bad input without writing anything', async () => {
    const anon = await stack.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'hi' }] } });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const user = await stack.signUp();
    const empty = await user.gql(CHAT, { input: { messages: [] } });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.extensions?.fields).toHaveProperty(['input.messages']);
    const me = await user.gql(ME_AI);
    expect(me.data?.me.aiUsage.totalCount).toBe(0);
  });
});

describe('ai with an Ollama pool and a BYOK provider', () => {
  let stack: TestSupergraph;
  let ollama: FakeLlmServer;
  let openai: FakeLlmServer;
  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['llama3.2', 'qwen2.5'] });
    openai = await startFakeOpenAI({ models: ['gpt-4o-mini'] });
    stack = await startTestSupergraph({
      only: ['identity', 'ai'],
      env: { ai: { OLLAMA_HOSTS: ollama.url, OPENAI_BASE_URL: openai.url } },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await ollama?.close();
    await openai?.close();
  });

  it('chats through the pool and logs the usage', async () => {
    const user = await stack.signUp();
    const res = await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'Name a pumpkin dish' }] } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.chat).toMatchObject({ message: { role: 'ASSISTANT', content: 'You said: Name a pumpkin dish' }, model: 'llama3.2', provider: 'OLLAMA', credits: 0, replayed: false });
    expect(res.data?.chat.completionTokens).toBeGreaterThan(0);
    const me = await user.gql(ME_AI);
    expect(me.data?.me.rateLimits.perMinute).toMatchObject({ limit: 10, used: 1, remaining: 9 });
    expect(me.data?.me.aiUsage.edges[0].node).toMatchObject({ domain: 'ai', feature: 'chat', provider: 'OLLAMA', model: 'llama3.2', outcome: 'SUCCESS' });
  });

  it('uses the model preference, and a premium model runs on the user key', async () => {
    const user = await stack.signUp();
    const key = `sk-proj-${'a1B2c3D4'.repeat(5)}wxyz`;
    const added = await user.gql(`mutation($input: AddApiKeyInput!) { addApiKey(input: $input) { id provider label last4 active } }`, {
      input: { provider: 'OPENAI', apiKey: key, label: 'work' },
    });
    expect(added.errors).toBeUndefined();
    expect(added.data?.addApiKey).toMatchObject({ provider: 'OPENAI', label: 'work', last4: 'wxyz', active: true });
    const pref = await user.gql(`mutation { setModelPreference(input: { model: "gpt-4o-mini", fallbackModel: "qwen2.5" }) { model fallbackModel } }`);
    expect(pref.data?.setModelPreference).toEqual({ model: 'gpt-4o-mini', fallbackModel: 'qwen2.5' });

    const before = openai.requests.length;
    const res = await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'hello premium' }] } });
    expect(res.data?.chat).toMatchObject({ provider: 'OPENAI', model: 'gpt-4o-mini', message: { content: 'You said: hello premium' } });
    expect(openai.requests.slice(before).map((r) => r.authorization)).toEqual([`Bearer ${key}`]);

    // The provider rejects the key: the free fallback answers.
    openai.mode = 'unauthorized';
    try {
      const fallback = await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'again' }] } });
      expect(fallback.data?.chat).toMatchObject({ provider: 'OLLAMA', model: 'qwen2.5' });
    } finally {
      openai.mode = 'ok';
    }
    const usage = await user.gql(ME_AI);
    expect(usage.data?.me.aiUsage.edges.map((e: any) => `${e.node.provider}:${e.node.outcome}`)).toEqual(['OLLAMA:SUCCESS', 'OPENAI:PROVIDER_ERROR', 'OPENAI:SUCCESS']);
  });

  it('rejects malformed keys with a field error and stores nothing', async () => {
    const user = await stack.signUp();
    const res = await user.gql(`mutation { addApiKey(input: { provider: ANTHROPIC, apiKey: "not-a-key" }) { id } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.fields).toHaveProperty(['input.apiKey']);
    expect(JSON.stringify(res)).not.toContain('not-a-key');
    const keys = await user.gql(`{ me { apiKeys { id } } }`);
    expect(keys.data?.me.apiKeys).toEqual([]);
  });

  it('keeps keys private to their owner and removes them', async () => {
    const owner = await stack.signUp();
    const other = await stack.signUp();
    const added = await owner.gql(`mutation { addApiKey(input: { provider: DEEPSEEK, apiKey: "sk-0123456789abcdef0123456789abcdef" }) { id last4 } }`);
    expect(added.data?.addApiKey.last4).toBe('cdef');
    const id = added.data?.addApiKey.id as string;
    // Straight to the ai subgraph's _entities (as the gateway would resolve a User from another subgraph):
    // the owner sees their keys, anyone else nulls.
    const entities = (token: string) =>
      gql(
        stack.subgraphs.ai!.graphqlUrl,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { apiKeys { id last4 } modelPreference { model } rateLimits { plan } aiUsage { totalCount } } } }`,
        { r: [{ __typename: 'User', id: owner.id }] },
        { token, headers: { [GATEWAY_SECRET_HEADER]: stack.gatewaySecret } },
      );
    expect((await entities(owner.accessToken)).data?._entities[0]).toMatchObject({ apiKeys: [{ id, last4: 'cdef' }], rateLimits: { plan: 'free' } });
    expect((await entities(other.accessToken)).data).toEqual({ _entities: [{ apiKeys: null, modelPreference: null, rateLimits: null, aiUsage: null }] });
    const stolen = await other.gql(`mutation($id: ID!) { removeApiKey(id: $id) { id } }`, { id });
    expect(stolen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const removed = await owner.gql(`mutation($id: ID!) { removeApiKey(id: $id) { id active } }`, { id });
    expect(removed.data?.removeApiKey).toEqual({ id, active: false });
    const keys = await owner.gql(`{ me { apiKeys { id } } }`);
    expect(keys.data?.me.apiKeys).toEqual([]);
  });

  it('deleting the account removes the user’s keys, preference and usage, and ai reports the purge', async () => {
    const user = await stack.signUp();
    await user.gql(`mutation { addApiKey(input: { provider: OPENAI, apiKey: "sk-proj-${'x'.repeat(30)}" }) { id } }`);
    await user.gql(`mutation { setModelPreference(input: { model: "qwen2.5" }) { model } }`);
    await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'before I go' }] } });
    const deleted = await user.gql(`mutation($p: String!) { deleteAccount(password: $p) { receipt } }`, { p: user.password });
    const receipt = deleted.data?.deleteAccount.receipt as string;
    await expect
      .poll(async () => (await stack.gql(`query($r: String!) { accountDeletionStatus(receipt: $r) { status domains { domain purged } } }`, { r: receipt })).data?.accountDeletionStatus, {
        timeout: 15_000,
      })
      .toMatchObject({ status: 'COMPLETE', domains: expect.arrayContaining([{ domain: 'ai', purged: true }]) });
    const db = new pg.Client({ connectionString: stack.databases.ai!.url });
    await db.connect();
    const counts = await db.query(
      `SELECT (SELECT count(*) FROM api_keys WHERE "userId" = $1)::int AS keys, (SELECT count(*) FROM model_preferences WHERE "userId" = $1)::int AS prefs,
              (SELECT count(*) FROM ai_usage WHERE "userId" = $1)::int AS usage, (SELECT count(*) FROM ai_generations WHERE "userId" = $1)::int AS generations`,
      [user.id],
    );
    await db.end();
    expect(counts.rows[0]).toEqual({ keys: 0, prefs: 0, usage: 0, generations: 0 });
  });

  it('reads keys, preference and usage with a fixed number of statements, however many there are (DataLoader, no N+1)', async () => {
    const query = `{ me { apiKeys { id last4 } modelPreference { model } aiUsage(first: 50) { totalCount edges { node { model } } } } }`;
    const count = async (keys: number) => {
      const user = await stack.signUp();
      for (let i = 0; i < keys; i++) {
        await user.gql(`mutation($k: String!) { addApiKey(input: { provider: OPENAI, apiKey: $k }) { id } }`, { k: `sk-proj-${String(i).padStart(30, '7')}` });
        await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: `m${i}` }] } });
      }
      stack.resetStatementCounts();
      const res = await user.gql(query);
      expect(res.data?.me.apiKeys).toHaveLength(keys);
      expect(res.data?.me.aiUsage.totalCount).toBe(keys);
      return stack.statementCounts().ai;
    };
    const one = await count(1);
    expect(await count(6)).toBe(one);
    expect(one).toBeLessThanOrEqual(4);
  });
});
