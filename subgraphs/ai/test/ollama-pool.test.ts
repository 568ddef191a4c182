import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeOllama, type FakeLlmOptions, type FakeLlmRequest, type FakeLlmServer } from '@calos/testkit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OllamaPool, type OllamaPoolOptions } from '../src/llm/ollama-pool.js';
import { LlmProviderError, LlmUnavailableError, type ChatResult } from '../src/llm/types.js';

const MODEL = 'llama3.2:3b';

const servers: FakeLlmServer[] = [];
const pools: OllamaPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function lastUser(request: FakeLlmRequest): string {
  return request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** Echoes the prompt, so a wrong or mixed-up answer is visible. */
const echo = (request: FakeLlmRequest) => `answer to ${lastUser(request)}`;

async function fakes(count: number, options: FakeLlmOptions = {}): Promise<FakeLlmServer[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startFakeOllama({ models: [MODEL], respond: echo, ...options })));
  servers.push(...started);
  return started;
}

interface LogLine {
  level: number;
  msg: string;
  host?: string;
  reason?: string;
}

async function startPool(hosts: FakeLlmServer[] | string[], options: Partial<OllamaPoolOptions> = {}) {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const pool = new OllamaPool({ hosts: hosts.map((h) => (typeof h === 'string' ? h : h.url)), logger, ...options });
  pools.push(pool);
  await pool.start();
  const warnings = () => lines.filter((l) => l.level === 40);
  return { pool, warnings };
}

function ask(pool: OllamaPool, prompt: string, model = MODEL): Promise<ChatResult> {
  return pool.chat({ model, messages: [{ role: 'user', content: prompt }] });
}

function servedBy(results: ChatResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.host!] = (counts[r.host!] ?? 0) + 1;
  return counts;
}

describe('OllamaPool', () => {
  it('acceptance: 200 concurrent chats over 3 hosts survive one host crashing mid-run', async () => {
    const hosts = await fakes(3, { latencyMs: 20 });
    const [a, b, victim] = hosts as [FakeLlmServer, FakeLlmServer, FakeLlmServer];
    const total = 200;
    let answered = 0;
    let killed: Promise<void> | undefined;
    // 20 ms fixed plus 0–40 ms per answer; the crash is triggered by the 50th answer so it lands after ~1/4 are served.
    const respond = async (request: FakeLlmRequest) => {
      await sleep(Math.random() * 40);
      if (++answered === total / 4) killed = victim.kill();
      return echo(request);
    };
    for (const h of hosts) h.respond = respond;
    const { pool, warnings } = await startPool(hosts);

    const outcomes = await Promise.allSettled(Array.from({ length: total }, (_, i) => ask(pool, `question #${i}`)));
    await killed;

    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected.map((o) => String(o.reason))).toEqual([]);
    const results = outcomes.map((o) => (o as PromiseFulfilledResult<ChatResult>).value);
    results.forEach((r, i) => {
      expect(r.content).toBe(`answer to question #${i}`);
      expect(r.provider).toBe('ollama');
    });

    const counts = servedBy(results);
    const perHost = { a: counts[a.url] ?? 0, b: counts[b.url] ?? 0, killed: counts[victim.url] ?? 0 };
    console.log('per-host served:', perHost, '| requests reaching the killed host:', victim.requests.length);
    expect(perHost.a + perHost.b + perHost.killed).toBe(total);
    expect(perHost.killed).toBeGreaterThan(0);
    expect(perHost.a).toBeGreaterThanOrEqual(total / 4);
    expect(perHost.b).toBeGreaterThanOrEqual(total / 4);
    // Requests in flight on the killed host were reset and retried elsewhere.
    expect(victim.requests.length).toBeGreaterThan(perHost.killed);
    const victimWarnings = warnings().filter((w) => w.host === victim.url);
    expect(victimWarnings.length).toBeGreaterThan(0);
    expect(victimWarnings.some((w) => /ECONNRESET|ECONNREFUSED|socket|terminated/i.test(w.reason ?? ''))).toBe(true);

    const status = pool.status().find((s) => s.host === victim.url)!;
    expect(status.failures).toBeGreaterThan(0);
    expect(status.coolingDownUntil).toBeInstanceOf(Date);
    expect(pool.status().map((s) => s.served)).toEqual([perHost.a, perHost.b, perHost.killed]);
  });

  it('fails over when a host hangs past the request timeout and puts it in cooldown', async () => {
    const [hung, ...ok] = (await fakes(3)) as [FakeLlmServer, FakeLlmServer, FakeLlmServer];
    hung.mode = 'hang';
    const { pool, warnings } = await startPool([hung, ...ok], { requestTimeoutMs: 300 });

    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(pool, `q${i}`)));
    expect(results.map((r) => r.content)).toEqual(Array.from({ length: 6 }, (_, i) => `answer to q${i}`));
    expect(results.every((r) => r.host !== hung.url)).toBe(true);
    expect(hung.requests.length).toBeGreaterThan(0);

    const status = pool.status()[0]!;
    expect(status).toMatchObject({ host: hung.url, healthy: true, served: 0 });
    expect(status.failures).toBeGreaterThan(0);
    expect(status.coolingDownUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(warnings().find((w) => w.host === hung.url)?.reason).toBe('timed out after 300 ms');

    // While it cools down, the hanging host is passed over.
    const before = hung.requests.length;
    await Promise.all(Array.from({ length: 4 }, (_, i) => ask(pool, `later ${i}`)));
    expect(hung.requests.length).toBe(before);
  });

  it('fails over on HTTP 5xx', async () => {
    const [broken, ...ok] = (await fakes(3)) as [FakeLlmServer, FakeLlmServer, FakeLlmServer];
    broken.mode = 'fail';
    const { pool, warnings } = await startPool([broken, ...ok]);

    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(pool, `q${i}`)));
    expect(results.map((r) => r.content)).toEqual(Array.from({ length: 6 }, (_, i) => `answer to q${i}`));
    expect(results.every((r) => r.host !== broken.url)).toBe(true);
    expect(broken.requests.length).toBeGreaterThan(0);
    expect(pool.status()[0]!.failures).toBe(broken.requests.length);
    expect(warnings().find((w) => w.host === broken.url)?.reason).toMatch(/^HTTP 500/);
  });

  it('sends every request to the only host that has the model', async () => {
    const [withModel] = await fakes(1);
    const others = await fakes(2, { models: ['qwen2.5:7b'] });
    const { pool } = await startPool([...others, withModel!]);

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(pool, `q${i}`)));
    expect(new Set(results.map((r) => r.host))).toEqual(new Set([withModel!.url]));
    expect(withModel!.served).toBe(10);
    expect(others.map((o) => o.requests.length)).toEqual([0, 0]);
    expect(pool.hasModel(MODEL)).toBe(true);
    expect(pool.hasModel('qwen2.5:7b')).toBe(true);
  });

  it('treats "name" and "name:latest" as the same model', async () => {
    const [host] = await fakes(1, { models: ['llama3.2:latest'] });
    const { pool } = await startPool([host!]);
    expect(pool.hasModel('llama3.2')).toBe(true);
    expect((await ask(pool, 'hi', 'llama3.2')).content).toBe('answer to hi');
  });

  it('throws LlmUnavailableError naming the model when no host has it', async () => {
    const hosts = await fakes(2);
    const { pool } = await startPool(hosts);
    expect(pool.hasModel('mistral:7b')).toBe(false);
    const error: unknown = await ask(pool, 'hi', 'mistral:7b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toBe('Model "mistral:7b" is unavailable: no healthy Ollama host has it (2 of 2 hosts healthy)');
    expect(hosts.map((h) => h.requests.length)).toEqual([0, 0]);
  });

  it('throws LlmUnavailableError when every host is down, before and after the health check notices', async () => {
    const hosts = await fakes(3);
    const { pool } = await startPool(hosts);
    await Promise.all(hosts.map((h) => h.kill()));

    // Health still says yes: each host is tried once, then the pool gives up.
    const error: unknown = await ask(pool, 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`Model "${MODEL}" is unavailable: all 3 Ollama hosts with it failed`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toMatch(/\n\s+at /);
    expect(pool.status().map((s) => s.failures)).toEqual([1, 1, 1]);

    await pool.checkHealth();
    expect(pool.hasModel(MODEL)).toBe(false);
    expect(pool.status().map((s) => s.healthy)).toEqual([false, false, false]);
    await expect(ask(pool, 'hi')).rejects.toThrow(`Model "${MODEL}" is unavailable: no healthy Ollama host has it (0 of 3 hosts healthy)`);
  });

  it('an empty host list is a pool that is never available', async () => {
    const { pool } = await startPool([]);
    expect(pool.hasModel(MODEL)).toBe(false);
    expect(pool.models()).toEqual([]);
    expect(pool.status()).toEqual([]);
    await expect(ask(pool, 'hi')).rejects.toBeInstanceOf(LlmUnavailableError);
  });

  it('passes cooled-down hosts over until the cooldown ends and a health check passes', async () => {
    const [flaky, steady] = (await fakes(2)) as [FakeLlmServer, FakeLlmServer];
    const cooldownMs = 1_000;
    const { pool } = await startPool([flaky, steady], { cooldownMs });

    await flaky.kill();
    // Two at once: one lands on the dead host and fails over.
    const first = await Promise.all([ask(pool, 'a'), ask(pool, 'b')]);
    expect(first.map((r) => r.host)).toEqual([steady.url, steady.url]);
    expect(pool.status()[0]!.coolingDownUntil).toBeInstanceOf(Date);

    await flaky.restart();
    await pool.checkHealth();
    // Healthy again, but still cooling down: passed over.
    const during = await Promise.all([ask(pool, 'c'), ask(pool, 'd')]);
    expect(during.map((r) => r.host)).toEqual([steady.url, steady.url]);
    expect(flaky.requests).toHaveLength(0);

    await sleep(cooldownMs + 50);
    await pool.checkHealth();
    expect(pool.status()[0]).toMatchObject({ healthy: true, coolingDownUntil: null, failures: 1 });
    const after = await Promise.all([ask(pool, 'e'), ask(pool, 'f'), ask(pool, 'g'), ask(pool, 'h')]);
    expect(after.filter((r) => r.host === flaky.url).length).toBeGreaterThan(0);
    expect(after.map((r) => r.content)).toEqual(['answer to e', 'answer to f', 'answer to g', 'answer to h']);
  });

  it('tries a cooling-down host rather than failing when it is the only one with the model', async () => {
    const [host] = (await fakes(1)) as [FakeLlmServer];
    const { pool } = await startPool([host], { cooldownMs: 60_000 });
    host.mode = 'fail';
    await expect(ask(pool, 'one')).rejects.toBeInstanceOf(LlmUnavailableError);
    expect(pool.status()[0]!.coolingDownUntil).toBeInstanceOf(Date);

    host.mode = 'ok';
    expect((await ask(pool, 'two')).content).toBe('answer to two');
  });

  it('drops a model from a host that answers 404 for it and retries elsewhere', async () => {
    const [stale, fresh] = (await fakes(2)) as [FakeLlmServer, FakeLlmServer];
    const { pool } = await startPool([stale, fresh]);
    stale.models = ['qwen2.5:7b']; // deleted after the health check

    // Two at once: one lands on the stale host, gets a 404 and is retried on the other.
    const results = await Promise.all([ask(pool, 'a'), ask(pool, 'b')]);
    results.push(await ask(pool, 'c'));
    expect(results.map((r) => r.host)).toEqual([fresh.url, fresh.url, fresh.url]);
    expect(results.map((r) => r.content)).toEqual(['answer to a', 'answer to b', 'answer to c']);
    expect(stale.requests).toHaveLength(1);
    expect(pool.status()[0]).toMatchObject({ models: [], failures: 0, coolingDownUntil: null });
  });

  it('rejects with LlmProviderError on another 4xx, without failing over', async () => {
    const [locked, open] = (await fakes(2)) as [FakeLlmServer, FakeLlmServer];
    const { pool } = await startPool([locked, open]);
    locked.mode = 'unauthorized';

    const outcomes = await Promise.allSettled([ask(pool, 'a'), ask(pool, 'b')]);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(LlmProviderError);
    expect(rejected[0]!.reason).toMatchObject({ provider: 'ollama', status: 401 });
    expect(locked.requests).toHaveLength(1);
    expect(open.requests).toHaveLength(1);
  });

  it("stops at the caller's abort without blaming the host", async () => {
    const [host] = (await fakes(1, { mode: 'hang' })) as [FakeLlmServer];
    const { pool } = await startPool([host]);
    const controller = new AbortController();
    const pending = pool.chat({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
    await expect.poll(() => host.requests.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.status()[0]).toMatchObject({ failures: 0, coolingDownUntil: null, outstanding: 0 });
  });

  it('prefers the host with fewer outstanding requests', async () => {
    const [slow, fast] = (await fakes(2)) as [FakeLlmServer, FakeLlmServer];
    slow.latencyMs = 400;
    fast.latencyMs = 5;
    const { pool } = await startPool([slow, fast]);

    const pending: Promise<ChatResult>[] = [];
    for (let i = 0; i < 30; i++) {
      pending.push(ask(pool, `q${i}`));
      await sleep(10);
    }
    const counts = servedBy(await Promise.all(pending));
    console.log('least-outstanding split:', { slow: counts[slow.url] ?? 0, fast: counts[fast.url] ?? 0 });
    // An even split would be 15/15.
    expect(counts[slow.url] ?? 0).toBeLessThanOrEqual(6);
    expect((counts[slow.url] ?? 0) + (counts[fast.url] ?? 0)).toBe(30);
  });

  it('reports hosts and models', async () => {
    const [a, b] = (await fakes(2)) as [FakeLlmServer, FakeLlmServer];
    a.models = [MODEL, 'qwen2.5:7b'];
    const down = await startFakeOllama({ models: ['phi3:mini'] });
    servers.push(down);
    const { pool } = await startPool([a, b, down]);
    await down.kill();
    await pool.checkHealth();

    expect(pool.models()).toEqual([
      { model: MODEL, hosts: 2, available: true },
      { model: 'phi3:mini', hosts: 0, available: false },
      { model: 'qwen2.5:7b', hosts: 1, available: true },
    ]);
    expect(pool.hasModel('phi3:mini')).toBe(false);

    await ask(pool, 'hi', 'qwen2.5:7b');
    expect(pool.status()).toEqual([
      { host: a.url, healthy: true, models: [MODEL, 'qwen2.5:7b'], outstanding: 0, served: 1, failures: 0, coolingDownUntil: null },
      { host: b.url, healthy: true, models: [MODEL], outstanding: 0, served: 0, failures: 0, coolingDownUntil: null },
      { host: down.url, healthy: false, models: ['phi3:mini'], outstanding: 0, served: 0, failures: 0, coolingDownUntil: null },
    ]);
  });

  it('sends the JSON schema as format and reports tokens and latency', async () => {
    const [host] = (await fakes(1)) as [FakeLlmServer];
    host.respond = (req) => JSON.stringify({ name: 'Ghost', echo: lastUser(req) });
    const { pool } = await startPool([host]);
    const schema = { type: 'object', properties: { name: { type: 'string' }, echo: { type: 'string' } }, required: ['name', 'echo'] };

    const result = await pool.chat({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You name ghosts.' },
        { role: 'user', content: 'name one' },
      ],
      jsonSchema: schema,
      maxTokens: 64,
      temperature: 0.2,
    });
    expect(host.requests[0]!.jsonSchema).toEqual(schema);
    expect(JSON.parse(result.content)).toEqual({ name: 'Ghost', echo: 'name one' });
    expect(result).toMatchObject({
      model: MODEL,
      provider: 'ollama',
      host: host.url,
      promptTokens: Math.ceil('You name ghosts.name one'.length / 4),
      completionTokens: Math.ceil(result.content.length / 4),
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    await ask(pool, 'free text');
    expect(host.requests[1]!.jsonSchema).toBeUndefined();
  });
});
