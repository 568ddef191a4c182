import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalClient } from '@calos/service';
import {
  startAiReplica,
  startCuttableProxy,
  startFakeOllama,
  startTestSupergraph,
  type FakeLlmServer,
  type TestSupergraph,
  type TestUser,
} from '@calos/testkit';

/**
 * The metered-AI saga end to end (SPEC §4): reserve credits in identity → generate in ai →
 * hollowtown saves the recipe → settle; or release when the model fails or its answer is unusable.
 */
const METERED = 'llama3.1:70b';
const COST = 10;

const GENERATE = `mutation Generate($input: GenerateSpookyRecipeInput) {
  generateSpookyRecipe(input: $input) { id name spookinessLevel difficulty serves tags ingredients { name quantity unit } instructions author { id } visibility }
}`;
const CHAT = `mutation Chat($input: ChatInput!) { chat(input: $input) { message { content } credits replayed model } }`;
const WALLET = `{ me { credits { balance lifetimeSpent ledger(first: 50) { kind amount balanceAfter reason } }
  aiUsage(first: 20) { totalCredits edges { node { domain feature model outcome credits } } } } }`;
const MY_SPOOKY = `query($id: ID!) { spookyRecipes(filter: { authorId: $id }, first: 50) { totalCount edges { node { id name } } } }`;

const recipeJson = (name: string) =>
  JSON.stringify({
    name,
    spookinessLevel: 7,
    difficulty: 'EASY',
    ingredients: [
      { name: 'pumpkin', quantity: 500, unit: 'g', note: null },
      { name: 'cream', quantity: 200, unit: 'ml', note: 'cold' },
      { name: 'black sesame', quantity: 1, unit: 'tbsp', note: null },
    ],
    instructions: ['Roast the pumpkin.', 'Blend it with the cream.', 'Sprinkle sesame "ashes" on top.'],
    prepTimeMinutes: 40,
    serves: 4,
    tags: ['soup', 'party'],
  });

describe('metered AI: credits saga', () => {
  let stack: TestSupergraph;
  let ollama: FakeLlmServer;
  /** Answers the fake model gives, in order; when empty it answers a valid recipe. */
  let script: string[] = [];
  let identityDb: pg.Pool;

  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['llama3.2', METERED], latencyMs: 5 });
    ollama.respond = (request) => {
      const next = script.shift();
      if (next !== undefined) return next;
      return request.jsonSchema ? recipeJson('Pumpkin Ghoul Soup') : 'Boo!';
    };
    stack = await startTestSupergraph({
      only: ['identity', 'ai', 'hollowtown'],
      env: { ai: { OLLAMA_HOSTS: ollama.url, AI_MODEL_CREDITS: JSON.stringify({ [METERED]: COST }) } },
    });
    identityDb = new pg.Pool({ connectionString: stack.databases.identity!.url, max: 2 });
  });
  afterAll(async () => {
    await identityDb?.end();
    await stack?.close();
    await ollama?.close();
  });

  /** A user on a plan whose request limits are far above what a test sends (credits are the limit here). */
  async function enterpriseUser(): Promise<TestUser> {
    const user = await stack.signUp();
    await identityDb.query(
      `INSERT INTO subscriptions ("userId", "planCode", "status", "updatedAt") VALUES ($1, 'enterprise', 'ACTIVE', now())
       ON CONFLICT ("userId") DO UPDATE SET "planCode" = 'enterprise'`,
      [user.id],
    );
    return user;
  }

  it('an invalid answer then a valid one saves exactly one recipe and charges once', async () => {
    const user = await enterpriseUser();
    script = ['Sure! {"name": "Ghost', recipeJson('Repaired Ghost Soup')];
    const calls = ollama.requests.length;
    const res = await user.gql(GENERATE, { input: { prompt: 'a soup for a haunted dinner', model: METERED, spookinessLevel: 9 } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.generateSpookyRecipe).toMatchObject({
      name: 'Repaired Ghost Soup',
      spookinessLevel: 9, // the user's wish wins over the model's 7
      difficulty: 'EASY',
      serves: 4,
      author: { id: user.id },
      visibility: 'PRIVATE',
      ingredients: [
        { name: 'pumpkin', quantity: 500, unit: 'g' },
        { name: 'cream', quantity: 200, unit: 'ml' },
        { name: 'black sesame', quantity: 1, unit: 'tbsp' },
      ],
    });
    expect(res.data?.generateSpookyRecipe.tags).toEqual(expect.arrayContaining(['soup', 'party', 'ai-generated']));
    // Two model calls: the second carries the first answer and what was wrong with it.
    const sent = ollama.requests.slice(calls);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.jsonSchema).toMatchObject({ type: 'object', properties: { name: expect.anything(), ingredients: expect.anything() } });
    expect(sent[0]!.messages.at(-1)!.content).toContain('a soup for a haunted dinner');
    expect(sent[1]!.messages.map((m) => m.content).join('\n')).toContain('not valid JSON');

    const mine = await user.gql(MY_SPOOKY, { id: user.id });
    expect(mine.data?.spookyRecipes.totalCount).toBe(1);
    const wallet = await user.gql(WALLET);
    expect(wallet.data?.me.credits).toMatchObject({ balance: 100 - COST, lifetimeSpent: COST });
    expect(wallet.data?.me.aiUsage.edges.map((e: any) => e.node.outcome)).toEqual(['SUCCESS', 'INVALID_OUTPUT']);
    expect(wallet.data?.me.aiUsage.edges[0].node).toMatchObject({ domain: 'hollowtown', feature: 'generateSpookyRecipe', credits: COST });
  });

  it('an answer that stays invalid is a clear error: nothing saved, nothing charged', async () => {
    const user = await enterpriseUser();
    script = ['{"name": "No ingredients", "spookinessLevel": 99}', 'still not a recipe'];
    const res = await user.gql(GENERATE, { input: { model: METERED } });
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('AI_INVALID_OUTPUT');
    expect(res.errors?.[0]?.message).toMatch(/Nothing was saved or charged/);
    expect((await user.gql(MY_SPOOKY, { id: user.id })).data?.spookyRecipes.totalCount).toBe(0);
    const wallet = await user.gql(WALLET);
    expect(wallet.data?.me.credits).toMatchObject({ balance: 100, lifetimeSpent: 0 });
    const moves = wallet.data?.me.credits.ledger.filter((e: any) => e.kind !== 'GRANT').map((e: any) => `${e.kind}:${e.amount}`);
    expect(moves.sort()).toEqual([`RELEASE:${COST}`, `RESERVATION:-${COST}`]);
  });

  it('a retry with the same idempotency key returns the same recipe and charges once', async () => {
    const user = await enterpriseUser();
    const idempotencyKey = randomUUID();
    const first = await user.gql(GENERATE, { input: { model: METERED, idempotencyKey } });
    const calls = ollama.requests.length;
    const again = await user.gql(GENERATE, { input: { model: METERED, idempotencyKey } });
    expect(again.errors).toBeUndefined();
    expect(again.data?.generateSpookyRecipe.id).toBe(first.data?.generateSpookyRecipe.id);
    expect(ollama.requests.length).toBe(calls); // no second generation
    expect((await user.gql(MY_SPOOKY, { id: user.id })).data?.spookyRecipes.totalCount).toBe(1);
    expect((await user.gql(WALLET)).data?.me.credits.balance).toBe(100 - COST);
  });

  it('100 concurrent metered requests against a balance for 10: exactly 10 succeed, the balance ends at 0', async () => {
    const user = await enterpriseUser();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => user.gql(CHAT, { input: { model: METERED, messages: [{ role: 'USER', content: `question ${i}` }] } })),
    );
    const ok = results.filter((r) => r.data?.chat);
    const codes = results.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? []);
    expect(ok).toHaveLength(10);
    expect(codes).toEqual(Array(90).fill('INSUFFICIENT_CREDITS'));
    expect(ok.every((r) => r.data?.chat.credits === COST)).toBe(true);
    const wallet = await user.gql(WALLET);
    expect(wallet.data?.me.credits).toMatchObject({ balance: 0, lifetimeSpent: 100 });
    const ledger = wallet.data?.me.credits.ledger as Array<{ balanceAfter: number; amount: number }>;
    expect(ledger.every((e) => e.balanceAfter >= 0)).toBe(true);
    expect(ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(0);

    // A paid answer asked for again with its key is returned, not charged again.
    const key = randomUUID();
    await identityDb.query(`UPDATE credit_wallets SET balance = balance + ${COST} WHERE "userId" = $1`, [user.id]);
    const paid = await user.gql(CHAT, { input: { model: METERED, idempotencyKey: key, messages: [{ role: 'USER', content: 'once' }] } });
    const retried = await user.gql(CHAT, { input: { model: METERED, idempotencyKey: key, messages: [{ role: 'USER', content: 'once' }] } });
    expect(paid.data?.chat).toMatchObject({ replayed: false, credits: COST });
    expect(retried.data?.chat).toMatchObject({ replayed: true, credits: COST, message: paid.data?.chat.message });
    expect((await user.gql(WALLET)).data?.me.credits.balance).toBe(0);
  });

  it('a provider failing after the reservation releases it: balance restored, the ledger shows both entries', async () => {
    const user = await enterpriseUser();
    ollama.mode = 'fail';
    try {
      const res = await user.gql(CHAT, { input: { model: METERED, messages: [{ role: 'USER', content: 'hello?' }] } });
      expect(res.errors?.[0]?.extensions?.code).toBe('AI_UNAVAILABLE');
      expect(res.errors?.[0]?.message).toMatch(/Nothing was charged/);
    } finally {
      ollama.mode = 'ok';
    }
    const wallet = await user.gql(WALLET);
    expect(wallet.data?.me.credits).toMatchObject({ balance: 100, lifetimeSpent: 0 });
    const moves = (wallet.data?.me.credits.ledger as any[]).filter((e) => e.kind !== 'GRANT');
    expect(moves.map((e) => `${e.kind}:${e.amount}:${e.balanceAfter}`).sort()).toEqual([`RELEASE:${COST}:100`, `RESERVATION:-${COST}:${100 - COST}`]);
    expect(wallet.data?.me.aiUsage.edges.map((e: any) => e.node.outcome)).toEqual(['PROVIDER_ERROR']);
  });

  it('a free model charges nothing; a short balance is refused before the model is called', async () => {
    const user = await enterpriseUser();
    const free = await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'free?' }] } });
    expect(free.data?.chat).toMatchObject({ credits: 0, model: 'llama3.2' });
    await identityDb.query(`UPDATE credit_wallets SET balance = 3 WHERE "userId" = $1`, [user.id]);
    const calls = ollama.requests.length;
    const poor = await user.gql(GENERATE, { input: { model: METERED } });
    expect(poor.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_CREDITS', required: COST, balance: 3 });
    expect(ollama.requests.length).toBe(calls);
    expect((await user.gql(MY_SPOOKY, { id: user.id })).data?.spookyRecipes.totalCount).toBe(0);
  });

  it('a generation abandoned after its reservation (a crashed domain) is released when it expires', async () => {
    const user = await enterpriseUser();
    // hollowtown asks for a generation, then "crashes": it never persists, settles or releases.
    const hollowtown = internalClient({ caller: 'hollowtown', service: 'ai', baseUrl: stack.subgraphs.ai!.url, secret: stack.serviceSecret });
    const generation = await hollowtown.call<{ generationId: string; status: string; credits: number }>(
      'post',
      '/generations',
      { feature: 'generateSpookyRecipe', model: METERED, messages: [{ role: 'user', content: 'a recipe' }], jsonSchema: { type: 'object' } },
      { userId: user.id },
    );
    expect(generation).toMatchObject({ status: 'GENERATED', credits: expect.any(Number) });
    expect((await user.gql(WALLET)).data?.me.credits.balance).toBe(100 - generation.credits);

    const engine = stack.subgraphs.ai!.ai!.parts.engine;
    // (Scoped to this user: other test files share the database.)
    expect(await engine.sweep(new Date(), { userId: user.id })).toEqual({ released: 0, settled: 0 }); // not expired yet
    expect(await engine.sweep(new Date(Date.now() + 60 * 60 * 1000), { userId: user.id })).toEqual({ released: 1, settled: 0 });
    const wallet = await user.gql(WALLET);
    expect(wallet.data?.me.credits).toMatchObject({ balance: 100, lifetimeSpent: 0 });
    const moves = (wallet.data?.me.credits.ledger as any[]).filter((e) => e.kind !== 'GRANT');
    expect(moves.map((e) => `${e.kind}:${e.amount}`).sort()).toEqual([`RELEASE:${generation.credits}`, `RESERVATION:-${generation.credits}`]);
    // The domain coming back late cannot charge it any more.
    const late = await hollowtown.call('post', `/generations/${generation.generationId}/settle`, {}, { userId: user.id }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('identity unreachable: no reservation means no generation; a settlement it missed is made when it is back', async () => {
    const user = await enterpriseUser();
    const proxy = await startCuttableProxy(stack.subgraphs.identity!.url);
    const replica = await startAiReplica(stack, { IDENTITY_URL: proxy.url, OLLAMA_HOSTS: ollama.url, AI_MODEL_CREDITS: JSON.stringify({ [METERED]: COST }) });
    const hollowtown = internalClient({ caller: 'hollowtown', service: 'ai', baseUrl: replica.url, secret: stack.serviceSecret });
    const generate = () =>
      hollowtown.call<{ generationId: string; status: string }>(
        'post',
        '/generations',
        { feature: 'generateSpookyRecipe', model: METERED, messages: [{ role: 'user', content: 'a recipe' }] },
        { userId: user.id },
      );
    try {
      // Plan lookups are cached per replica: warm it while identity is reachable.
      const first = await generate();
      proxy.cut();
      const calls = ollama.requests.length;
      await expect(generate()).rejects.toMatchObject({ code: 'AI_UNAVAILABLE', status: 503 });
      expect(ollama.requests.length).toBe(calls); // nothing generated without a reservation

      // The domain saved its records and settles while identity is down: deferred, not lost.
      const deferred = await hollowtown.call<{ status: string }>('post', `/generations/${first.generationId}/settle`, {}, { userId: user.id });
      expect(deferred.status).toBe('PERSISTED');
      expect(await replica.parts.engine.sweep(new Date(), { userId: user.id })).toEqual({ released: 0, settled: 0 });

      proxy.restore();
      expect(await replica.parts.engine.sweep(new Date(), { userId: user.id })).toEqual({ released: 0, settled: 1 });
      const wallet = await user.gql(WALLET);
      expect(wallet.data?.me.credits).toMatchObject({ balance: 100 - COST, lifetimeSpent: COST });
      expect((wallet.data?.me.credits.ledger as any[]).filter((e) => e.kind === 'DEBIT').map((e) => e.amount)).toEqual([-COST]);
    } finally {
      await replica.close();
      await proxy.close();
    }
  });
});
