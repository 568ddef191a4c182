import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama, startFakeOpenAI, type FakeLlmServer } from '../src/fake-llm.js';

const servers: FakeLlmServer[] = [];
async function track(server: Promise<FakeLlmServer>): Promise<FakeLlmServer> {
  const s = await server;
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const schema = {
  type: 'object',
  properties: { reply: { type: 'string' } },
  required: ['reply'],
  additionalProperties: false,
};

/** The network error code under the client's wrapper error (fetch puts it in `cause`). */
function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code;
}

describe('startFakeOllama with the real ollama client', () => {
  it('lists models, reports a version and answers a chat with token counts', async () => {
    const fake = await track(startFakeOllama({ models: ['llama3.2:3b', 'qwen2.5:7b'] }));
    const client = new Ollama({ host: fake.url });

    const list = await client.list();
    expect(list.models.map((m) => m.name)).toEqual(['llama3.2:3b', 'qwen2.5:7b']);
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/);

    const response = await client.chat({
      model: 'llama3.2:3b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
      ],
      stream: false,
    });
    expect(response.message).toEqual({ role: 'assistant', content: 'You said: hello there' });
    expect(response.done).toBe(true);
    // ceil(("Be brief." + "hello there").length / 4) and ceil("You said: hello there".length / 4)
    expect(response.prompt_eval_count).toBe(5);
    expect(response.eval_count).toBe(6);
    expect(fake.served).toBe(1);
    expect(fake.requests).toEqual([
      {
        model: 'llama3.2:3b',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello there' },
        ],
      },
    ]);
  });

  it('records an object format as the JSON schema and answers with JSON by default', async () => {
    const fake = await track(startFakeOllama());
    const client = new Ollama({ host: fake.url });
    const response = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'boo' }], format: schema, stream: false });
    expect(JSON.parse(response.message.content)).toEqual({ reply: 'boo' });
    expect(fake.requests[0]!.jsonSchema).toEqual(schema);

    // `format: "json"` is not a schema.
    await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'boo' }], format: 'json', stream: false });
    expect(fake.requests[1]!.jsonSchema).toBeUndefined();
  });

  it('streams the answer as NDJSON chunks the client reassembles', async () => {
    const fake = await track(startFakeOllama({ respond: () => 'A pumpkin pie for twelve, with extra nutmeg.' }));
    const client = new Ollama({ host: fake.url });
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'pie?' }], stream: true });
    let text = '';
    let chunks = 0;
    let evalCount: number | undefined;
    for await (const part of stream) {
      text += part.message.content;
      chunks++;
      if (part.done) evalCount = part.eval_count;
    }
    expect(text).toBe('A pumpkin pie for twelve, with extra nutmeg.');
    expect(chunks).toBeGreaterThan(2);
    expect(evalCount).toBe(11);
  });

  it('passes the request and its index to a custom responder', async () => {
    const fake = await track(startFakeOllama({ respond: (req, i) => `${i}:${req.model}` }));
    const client = new Ollama({ host: fake.url });
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }], stream: false });
      answers.push(r.message.content);
    }
    expect(answers).toEqual(['0:llama3.2', '1:llama3.2', '2:llama3.2']);
  });

  it('answers an unknown model with 404, fail with 500, unauthorized with 401, invalid with non-JSON content', async () => {
    const fake = await track(startFakeOllama({ models: ['llama3.2'] }));
    const client = new Ollama({ host: fake.url });
    const ask = (model = 'llama3.2') => client.chat({ model, messages: [{ role: 'user', content: 'hi' }], format: schema, stream: false });

    await expect(ask('mistral')).rejects.toMatchObject({ name: 'ResponseError', status_code: 404, error: expect.stringContaining('not found') });

    fake.mode = 'fail';
    await expect(ask()).rejects.toMatchObject({ name: 'ResponseError', status_code: 500 });

    fake.mode = 'unauthorized';
    await expect(ask()).rejects.toMatchObject({ status_code: 401, error: 'unauthorized' });
    await expect(client.list()).rejects.toMatchObject({ status_code: 401 });

    fake.mode = 'invalid';
    const response = await ask();
    expect(() => JSON.parse(response.message.content) as unknown).toThrow(SyntaxError);

    expect(fake.requests).toHaveLength(4);
    expect(fake.served).toBe(1);
  });

  it('kill() resets in-flight requests and refuses new ones; restart() serves on the same url', async () => {
    const fake = await track(startFakeOllama({ mode: 'hang' }));
    const client = new Ollama({ host: fake.url });
    const url = fake.url;

    const inFlight = client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'wait' }], stream: false });
    const settled = inFlight.then(
      () => 'answered',
      (error: unknown) => error,
    );
    await expect.poll(() => fake.requests.length).toBe(1);
    await fake.kill();
    const error = await settled;
    expect(error).toBeInstanceOf(TypeError);
    expect(causeCode(error)).toBe('ECONNRESET');

    const refused: unknown = await client.list().catch((e: unknown) => e);
    expect(causeCode(refused)).toBe('ECONNREFUSED');

    fake.mode = 'ok';
    await fake.restart();
    expect(fake.url).toBe(url);
    const response = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'back?' }], stream: false });
    expect(response.message.content).toBe('You said: back?');
  });

  it('latency is applied before answering and mode can change while a request waits', async () => {
    const fake = await track(startFakeOllama({ latencyMs: 150 }));
    const client = new Ollama({ host: fake.url });
    const pending = client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false });
    await expect.poll(() => fake.requests.length).toBe(1);
    // The mode is read when the answer is due, not when the request arrived.
    fake.mode = 'fail';
    await expect(pending).rejects.toMatchObject({ status_code: 500 });
    expect(fake.served).toBe(0);
  });
});

describe('startFakeOpenAI with the real openai client', () => {
  it('answers chat.completions.create with json_schema, usage and the recorded authorization', async () => {
    const fake = await track(startFakeOpenAI({ models: ['gpt-4o-mini'], apiKeys: ['sk-good'] }));
    const client = new OpenAI({ apiKey: 'sk-good', baseURL: fake.url, maxRetries: 0 });

    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Reply as JSON.' },
        { role: 'user', content: 'a ghost' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } },
    });
    const message = completion.choices[0]!.message;
    expect(JSON.parse(message.content!)).toEqual({ reply: 'a ghost' });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.model).toBe('gpt-4o-mini');
    const completionText = JSON.stringify({ reply: 'a ghost' });
    expect(completion.usage).toEqual({
      prompt_tokens: Math.ceil('Reply as JSON.a ghost'.length / 4),
      completion_tokens: Math.ceil(completionText.length / 4),
      total_tokens: Math.ceil('Reply as JSON.a ghost'.length / 4) + Math.ceil(completionText.length / 4),
    });
    expect(fake.requests[0]).toMatchObject({ model: 'gpt-4o-mini', jsonSchema: schema, authorization: 'Bearer sk-good' });
    expect(fake.served).toBe(1);
  });

  it('chat.completions.parse parses the content, and fails on invalid output', async () => {
    const fake = await track(startFakeOpenAI());
    const client = new OpenAI({ apiKey: 'any', baseURL: fake.url, maxRetries: 0 });
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'boo' }],
      response_format: { type: 'json_schema' as const, json_schema: { name: 'reply', schema } },
    };
    const parsed = await client.chat.completions.parse(params);
    expect(parsed.choices[0]!.message.parsed).toEqual({ reply: 'boo' });

    fake.mode = 'invalid';
    await expect(client.chat.completions.parse(params)).rejects.toThrow(SyntaxError);
  });

  it('answers plain text without a schema and lists models', async () => {
    const fake = await track(startFakeOpenAI({ models: ['gpt-4o-mini', 'gpt-4.1'] }));
    const client = new OpenAI({ apiKey: 'any', baseURL: fake.url, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('You said: hi');
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-4o-mini', 'gpt-4.1']);
  });

  it('rejects a wrong key with AuthenticationError and records the key it got', async () => {
    const fake = await track(startFakeOpenAI({ apiKeys: ['sk-good'] }));
    const client = new OpenAI({ apiKey: 'sk-wrong', baseURL: fake.url, maxRetries: 0 });
    const error: unknown = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    expect(fake.requests.map((r) => r.authorization)).toEqual(['Bearer sk-wrong']);
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(fake.served).toBe(0);

    const mode = await track(startFakeOpenAI({ mode: 'unauthorized' }));
    const other = new OpenAI({ apiKey: 'sk-any', baseURL: mode.url, maxRetries: 0 });
    await expect(other.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('fail mode gives an APIError with status 500; an unknown model gives NotFoundError', async () => {
    const fake = await track(startFakeOpenAI({ mode: 'fail' }));
    const client = new OpenAI({ apiKey: 'any', baseURL: fake.url, maxRetries: 0 });
    const error: unknown = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);

    fake.mode = 'ok';
    await expect(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });

  it('a hanging request ends with a connection error when the server is killed', async () => {
    const fake = await track(startFakeOpenAI({ mode: 'hang' }));
    const client = new OpenAI({ apiKey: 'any', baseURL: fake.url, maxRetries: 0 });
    const settled = client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => 'answered',
      (e: unknown) => e,
    );
    await expect.poll(() => fake.requests.length).toBe(1);
    await fake.kill();
    expect(await settled).toBeInstanceOf(OpenAI.APIConnectionError);

    fake.mode = 'ok';
    await fake.restart();
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] });
    expect(completion.choices[0]!.message.content).toBe('You said: again');
  });
});
