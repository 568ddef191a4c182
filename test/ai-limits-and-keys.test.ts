import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiService } from '@calos/ai';
import { createLogger } from '@calos/kernel';
import { internalClient, InternalCallError } from '@calos/service';
import {
  redisReachable,
  startAiReplica,
  startFakeOllama,
  startFakeOpenAI,
  startTestSupergraph,
  testDatabaseEngine,
  type FakeLlmServer,
  type TestSupergraph,
} from '@calos/testkit';

const servicesUp = (await testDatabaseEngine()) === 'postgres' && (await redisReachable());

const CHAT = `mutation Chat($input: ChatInput!) { chat(input: $input) { message { content } provider model } }`;
const GENERATE = `mutation { generateSpookyRecipe(input: { prompt: "a cake" }) { id name } }`;
const LIMITS = `{ me { rateLimits { plan perMinute { limit used remaining resetsAt } perHour { limit used remaining } perDay { limit used remaining } } } }`;

const recipeJson = JSON.stringify({
  name: 'Graveyard Cake',
  spookinessLevel: 5,
  difficulty: 'MEDIUM',
  ingredients: [{ name: 'flour', quantity: 250, unit: 'g', note: null }],
  instructions: ['Bake it.'],
  prepTimeMinutes: 60,
  serves: 8,
  tags: ['cake'],
});

async function setPlan(stack: TestSupergraph, userId: string, plan: string): Promise<void> {
  const db = new pg.Client({ connectionString: stack.databases.identity!.url });
  await db.connect();
  await db.query(
    `INSERT INTO subscriptions ("userId", "planCode", "status", "updatedAt") VALUES ($1, $2, 'ACTIVE', now())
     ON CONFLICT ("userId") DO UPDATE SET "planCode" = $2`,
    [userId, plan],
  );
  await db.end();
}

describe.skipIf(!servicesUp)('rate limits: one allowance per user across domains and ai replicas (Redis)', () => {
  let stack: TestSupergraph;
  let replica: AiService;
  let ollama: FakeLlmServer;

  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['llama3.2'] });
    ollama.respond = (request) => (request.jsonSchema ? recipeJson : 'ok');
    stack = await startTestSupergraph({ only: ['identity', 'ai', 'hollowtown'], env: { ai: { OLLAMA_HOSTS: ollama.url } } });
    // A second ai replica: its own process state, the same database and the same Redis.
    replica = await startAiReplica(stack, { OLLAMA_HOSTS: ollama.url });
  });
  afterAll(async () => {
    await replica?.close();
    await stack?.close();
    await ollama?.close();
  });

  it("a free user's 11th request within a minute is RATE_LIMITED, whichever replica and domain served the first ten", async () => {
    const user = await stack.signUp();
    // "family" calling the second replica directly, as its suggestTodoItems does.
    const family = internalClient({ caller: 'family', service: 'ai', baseUrl: replica.url, secret: stack.serviceSecret });
    const viaReplica = () =>
      family.call<{ generationId: string }>('post', '/generations', { feature: 'suggestTodoItems', messages: [{ role: 'user', content: 'chores?' }] }, { userId: user.id });

    for (let i = 0; i < 4; i++) expect((await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: `hi ${i}` }] } })).errors).toBeUndefined();
    for (let i = 0; i < 3; i++) await viaReplica();
    for (let i = 0; i < 3; i++) expect((await user.gql(GENERATE)).errors).toBeUndefined();

    const limits = await user.gql(LIMITS);
    expect(limits.data?.me.rateLimits).toMatchObject({
      plan: 'free',
      perMinute: { limit: 10, used: 10, remaining: 0 },
      perHour: { limit: 100, used: 10, remaining: 90 },
      perDay: { limit: 1000, used: 10, remaining: 990 },
    });

    const eleventh = await user.gql(GENERATE);
    expect(eleventh.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = eleventh.errors?.[0]?.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const twelfth = await viaReplica().catch((error: unknown) => error);
    expect(twelfth).toBeInstanceOf(InternalCallError);
    expect(twelfth).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    const chat = await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'one more' }] } });
    expect(chat.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Refused requests do not use up the longer windows.
    expect((await user.gql(LIMITS)).data?.me.rateLimits.perHour).toMatchObject({ used: 10, remaining: 90 });
    // Someone else is not affected.
    const other = await stack.signUp();
    expect((await other.gql(CHAT, { input: { messages: [{ role: 'USER', content: 'hi' }] } })).errors).toBeUndefined();
  });

  it('with Redis unreachable a replica still enforces the limits itself (in-memory insurance)', async () => {
    const user = await stack.signUp();
    const isolated = await startAiReplica(stack, { OLLAMA_HOSTS: ollama.url, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const family = internalClient({ caller: 'family', service: 'ai', baseUrl: isolated.url, secret: stack.serviceSecret });
      const generate = () => family.call('post', '/generations', { feature: 'suggestTodoItems', messages: [{ role: 'user', content: 'chores?' }] }, { userId: user.id });
      for (let i = 0; i < 10; i++) await generate();
      await expect(generate()).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    } finally {
      await isolated.close();
    }
  });

  it('a paid plan has the higher allowance of its plan', async () => {
    const user = await stack.signUp();
    await setPlan(stack, user.id, 'pro');
    for (let i = 0; i < 11; i++) expect((await user.gql(CHAT, { input: { messages: [{ role: 'USER', content: `q${i}` }] } })).errors).toBeUndefined();
    expect((await user.gql(LIMITS)).data?.me.rateLimits).toMatchObject({ plan: 'pro', perMinute: { limit: 60, used: 11, remaining: 49 } });
  });
});

describe('the free pool through the supergraph', () => {
  let stack: TestSupergraph;
  const hosts: FakeLlmServer[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) hosts.push(await startFakeOllama({ models: ['llama3.2'], latencyMs: 30 }));
    for (const host of hosts) host.respond = (request) => `answer to ${request.messages.at(-1)!.content}`;
    stack = await startTestSupergraph({ only: ['identity', 'ai'], env: { ai: { OLLAMA_HOSTS: hosts.map((h) => h.url).join(','), OLLAMA_HEALTH_INTERVAL_MS: '500' } } });
  });
  afterAll(async () => {
    await stack?.close();
    for (const host of hosts) await host.close();
  });

  it('three hosts, one killed during 200 concurrent requests: no user sees a failure', async () => {
    const user = await stack.signUp();
    await setPlan(stack, user.id, 'enterprise');
    const victim = hosts[1]!;
    let killed = false;
    const original = victim.respond;
    victim.respond = async (request, index) => {
      if (victim.served >= 15 && !killed) {
        killed = true;
        void victim.kill();
      }
      return original(request, index);
    };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => user.gql(CHAT, { input: { messages: [{ role: 'USER', content: `q${i}` }] } })),
    );
    const failures = results.filter((r) => r.errors);
    const perHost = Object.fromEntries(hosts.map((h, i) => [i === 1 ? 'killed' : `host${i}`, h.served]));
    console.log('per-host served (200 requests via the gateway):', perHost);
    expect(killed).toBe(true);
    expect(failures).toEqual([]);
    results.forEach((r, i) => expect(r.data?.chat.message.content).toBe(`answer to q${i}`));
    expect(hosts[0]!.served).toBeGreaterThanOrEqual(50);
    expect(hosts[2]!.served).toBeGreaterThanOrEqual(50);
    const models = await stack.gql(`{ aiModels { model available hosts } }`);
    expect(models.data?.aiModels.find((m: any) => m.model === 'llama3.2')).toMatchObject({ available: true });
  });
});

describe('BYOK keys never leave the ai service', () => {
  let stack: TestSupergraph;
  let openai: FakeLlmServer;
  let ollama: FakeLlmServer;
  let captured = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      captured += chunk.toString('utf8');
      done();
    },
  });

  beforeAll(async () => {
    openai = await startFakeOpenAI({ models: ['gpt-4o-mini'] });
    ollama = await startFakeOllama({ models: ['llama3.2'] });
    stack = await startTestSupergraph({
      only: ['identity', 'ai'],
      logger: createLogger('test', 'trace', sink),
      env: { ai: { OLLAMA_HOSTS: ollama.url, OPENAI_BASE_URL: openai.url, LOG_LEVEL: 'trace' } },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await openai?.close();
    await ollama?.close();
  });

  it('appears in no GraphQL response, log line, console output or stored column', async () => {
    const secret = `sk-proj-${randomUUID().replaceAll('-', '')}Zq9`;
    const responses: unknown[] = [];
    let console = '';
    const writes = [process.stdout, process.stderr].map((stream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        console += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return original(chunk, ...rest);
      });
      return () => (stream.write = original);
    });
    try {
      const user = await stack.signUp();
      const call = async (query: string, variables?: Record<string, unknown>) => {
        const res = await user.gql(query, variables);
        responses.push(res);
        return res;
      };
      const added = await call(`mutation($input: AddApiKeyInput!) { addApiKey(input: $input) { id provider label last4 active createdAt } }`, {
        input: { provider: 'OPENAI', apiKey: secret, label: 'mine' },
      });
      expect(added.data?.addApiKey.last4).toBe(secret.slice(-4));
      // A near-miss key is refused without echoing it.
      await call(`mutation($input: AddApiKeyInput!) { addApiKey(input: $input) { id } }`, { input: { provider: 'ANTHROPIC', apiKey: `${secret} ` } });
      await call(`mutation { setModelPreference(input: { model: "gpt-4o-mini" }) { model } }`);
      const ok = await call(CHAT, { input: { messages: [{ role: 'USER', content: 'premium hello' }] } });
      expect(ok.data?.chat).toMatchObject({ provider: 'OPENAI', model: 'gpt-4o-mini' });
      // The key was really used: the provider got it as the bearer token.
      expect(openai.requests.at(-1)?.authorization).toBe(`Bearer ${secret}`);
      openai.mode = 'unauthorized';
      const rejected = await call(CHAT, { input: { messages: [{ role: 'USER', content: 'rejected key' }] } });
      expect(rejected.errors?.[0]?.extensions?.code).toBe('AI_UNAVAILABLE');
      openai.mode = 'ok';
      await call(`{ me { apiKeys { id provider label last4 active createdAt lastUsedAt } aiUsage { edges { node { provider model outcome } } } } aiModels { model available } }`);
      await call(`mutation($id: ID!) { removeApiKey(id: $id) { id last4 } }`, { id: added.data?.addApiKey.id });
    } finally {
      for (const restore of writes) restore();
    }

    expect(captured.length).toBeGreaterThan(1000); // trace logging really was on
    for (const [where, text] of [
      ['GraphQL responses', JSON.stringify(responses)],
      ['logs', captured],
      ['console', console],
    ] as const) {
      expect(text.includes(secret), where).toBe(false);
      expect(text.includes(secret.slice(8, 24)), `${where} (part of the key)`).toBe(false);
    }
  });

  it('is stored only as AES-GCM ciphertext', async () => {
    const secret = `sk-ant-api03-${randomUUID()}`;
    const user = await stack.signUp();
    const added = await user.gql(`mutation($input: AddApiKeyInput!) { addApiKey(input: $input) { id } }`, { input: { provider: 'ANTHROPIC', apiKey: secret } });
    const db = new pg.Client({ connectionString: stack.databases.ai!.url });
    await db.connect();
    const { rows } = await db.query(`SELECT * FROM api_keys WHERE id = $1`, [added.data?.addApiKey.id]);
    await db.end();
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row.iv).toHaveLength(12);
    expect(row.authTag).toHaveLength(16);
    expect(JSON.stringify(row)).not.toContain(secret.slice(-20));
    expect((row.ciphertext as Buffer).toString('latin1')).not.toContain(secret.slice(-20));
  });
});
