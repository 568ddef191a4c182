import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeLlmServer } from '@calos/testkit';
import { BYOK_PROVIDERS, byokChat, providerOfModel, type Provider } from '../src/llm/byok.js';
import { LlmProviderError, type ChatRequest } from '../src/llm/types.js';

const KEY = `sk-proj-${randomBytes(36).toString('base64url')}`;
const SCHEMA = { type: 'object', properties: { reply: { type: 'string' } }, required: ['reply'], additionalProperties: false };

let fake: FakeLlmServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKeys: [KEY], models: ['gpt-4o-mini', 'claude-sonnet-4-5', 'deepseek-v4-flash'] });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.mode = 'ok';
  fake.requests.length = 0;
});

const chat = (request: Partial<ChatRequest> = {}, options: { provider?: Provider; apiKey?: string; timeoutMs?: number; baseURL?: string } = {}) =>
  byokChat({
    provider: options.provider ?? 'openai',
    apiKey: options.apiKey ?? KEY,
    baseURL: options.baseURL ?? fake.url,
    timeoutMs: options.timeoutMs ?? 5000,
    request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }], ...request },
  });

async function failure(promise: Promise<unknown>): Promise<LlmProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LlmProviderError);
    return error as LlmProviderError;
  }
  throw new Error('expected the call to fail');
}

/** Everything a log line or an error report could show of the error. */
function everything(error: Error): string {
  return [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { showHidden: true, depth: 10 }), JSON.stringify(Object.entries(error))].join('\n');
}

describe('byokChat', () => {
  it('sends the user key as the bearer token and reports content and usage', async () => {
    const result = await chat();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(result).toMatchObject({ content: 'You said: hello there', model: 'gpt-4o-mini', provider: 'openai' });
    // The fake counts a token per 4 characters.
    expect(result.promptTokens).toBe(Math.ceil('hello there'.length / 4));
    expect(result.completionTokens).toBe(Math.ceil('You said: hello there'.length / 4));
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('asks OpenAI for structured output with the schema', async () => {
    const result = await chat({ jsonSchema: SCHEMA, maxTokens: 200, temperature: 0.2 });
    expect(fake.requests[0]!.jsonSchema).toEqual(SCHEMA);
    expect(JSON.parse(result.content)).toEqual({ reply: 'hello there' });
  });

  it('puts the schema in the prompt where the provider ignores or lacks json_schema', async () => {
    await chat({ model: 'claude-sonnet-4-5', jsonSchema: SCHEMA }, { provider: 'anthropic' });
    await chat({ model: 'deepseek-v4-flash', jsonSchema: SCHEMA }, { provider: 'deepseek' });
    const [anthropic, deepseek] = fake.requests;
    expect(anthropic!.messages[0]).toEqual({ role: 'system', content: expect.stringContaining(JSON.stringify(SCHEMA)) });
    expect(deepseek!.messages[0]).toEqual({ role: 'system', content: expect.stringContaining(JSON.stringify(SCHEMA)) });
    // DeepSeek gets JSON mode (json_object), which the fake does not record as a schema.
    expect(deepseek!.jsonSchema).toBeUndefined();
    expect(deepseek!.messages.at(-1)).toEqual({ role: 'user', content: 'hello there' });
  });

  it('reports a rejected key as 401 without the key anywhere in the error', async () => {
    const wrong = `sk-proj-${randomBytes(36).toString('base64url')}`;
    const error = await failure(chat({}, { apiKey: wrong }));
    expect(error.status).toBe(401);
    expect(error.provider).toBe('openai');
    expect(error.message).toBe('OpenAI rejected the API key (401): check or replace the key in your settings.');
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${wrong}`);
    const text = everything(error);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(wrong.slice(8, 24));
    expect(error.cause).toBeUndefined();
  });

  it('reports a provider failure (500) with its status', async () => {
    fake.mode = 'fail';
    const error = await failure(chat({}, { provider: 'deepseek', timeoutMs: 5000 }));
    expect(error.status).toBe(500);
    expect(error.provider).toBe('deepseek');
    expect(error.message).toMatch(/^DeepSeek failed to answer \(500\)\. \[request req_[0-9a-f-]+\]$/);
    expect(everything(error)).not.toContain(KEY);
  });

  it('passes on why a request was refused, such as an unknown model', async () => {
    const error = await failure(chat({ model: 'gpt-nonexistent' }));
    expect(error.status).toBe(404);
    expect(error.message).toContain('OpenAI does not offer this model to this key (404): The model `gpt-nonexistent` does not exist or you do not have access to it');
  });

  it('gives up after timeoutMs and says it timed out', async () => {
    fake.mode = 'hang';
    const started = Date.now();
    const error = await failure(chat({}, { timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.message).toBe('OpenAI timed out (no answer within 300 ms).');
    expect(error.status).toBeUndefined();
    expect(everything(error)).not.toContain(KEY);
  });

  it('stops when the caller aborts', async () => {
    fake.mode = 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(chat({ signal: controller.signal }, { timeoutMs: 10_000 }));
    expect(error.message).toBe('The OpenAI call was cancelled.');
  });

  it('says so when the provider cannot be reached', async () => {
    const server = await startFakeOpenAI();
    const url = server.url;
    await server.close();
    const error = await failure(chat({}, { baseURL: url }));
    expect(error.message).toBe('Could not connect to OpenAI (ECONNREFUSED).');
    expect(everything(error)).not.toContain(KEY);
  });
});

describe('a provider that echoes the key back', () => {
  // Not every OpenAI-compatible server masks the key in its error messages.
  let echo: Server;
  let url: string;
  beforeAll(async () => {
    echo = createServer((req, res) => {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_echo' });
      res.end(JSON.stringify({ error: { message: `Key ${key} is not valid for project ${key.slice(0, 20)}`, type: 'invalid_request_error', key } }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => echo.close(resolve));
  });

  it('has the key removed from the message it passes on', async () => {
    const error = await failure(chat({}, { baseURL: url }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('OpenAI refused the request (400): Key [redacted] is not valid for project [redacted]. [request req_echo]');
    expect(everything(error)).not.toContain(KEY.slice(8, 20));
  });
});

describe('the provider catalogue', () => {
  it('maps each listed model to its provider and nothing else', () => {
    for (const [provider, info] of Object.entries(BYOK_PROVIDERS)) {
      expect(info.models.length).toBeGreaterThan(0);
      for (const model of info.models) expect(providerOfModel(model)).toBe(provider);
    }
    expect(providerOfModel('claude-sonnet-4-5')).toBe('anthropic');
    expect(providerOfModel('deepseek-v4-pro')).toBe('deepseek');
    expect(providerOfModel('llama3.2')).toBeNull();
    expect(BYOK_PROVIDERS.anthropic.baseURL).toBe('https://api.anthropic.com/v1/');
  });
});
