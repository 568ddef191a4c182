import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Loopback stand-ins for an Ollama server and the OpenAI API, faithful enough for the real
 * `ollama` and `openai` clients. Modes apply to chats; `unauthorized` applies to every endpoint.
 */
export type FakeLlmMode = 'ok' | 'fail' | 'invalid' | 'hang' | 'unauthorized';

export interface FakeLlmRequest {
  model: string;
  messages: { role: string; content: string }[];
  jsonSchema?: unknown;
  authorization?: string;
}

export type FakeResponder = (request: FakeLlmRequest, index: number) => string | Promise<string>;

export interface FakeLlmServer {
  /** Ollama: `http://127.0.0.1:<port>`; OpenAI: `http://127.0.0.1:<port>/v1` (an SDK base URL). */
  url: string;
  /** Every chat request received, in order (index = position). */
  requests: FakeLlmRequest[];
  /** Chats answered with HTTP 200 and content. */
  served: number;
  mode: FakeLlmMode;
  /** Delay before answering a chat. */
  latencyMs: number;
  /** What the model listing endpoint returns. */
  models: string[];
  respond: FakeResponder;
  /** A crash: stop listening and reset every open connection. */
  kill(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeLlmOptions {
  models?: string[];
  latencyMs?: number;
  respond?: FakeResponder;
  mode?: FakeLlmMode;
}

export interface FakeOpenAIOptions extends FakeLlmOptions {
  /** When given, any other bearer key gets a 401. */
  apiKeys?: string[];
}

/** A truncated, chatty answer: what a small model produces when it ignores the format. */
const INVALID_CONTENT = 'Sure! {"name": "Ghost';

export const defaultFakeResponder: FakeResponder = (request) => {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return request.jsonSchema === undefined ? `You said: ${lastUser}` : JSON.stringify({ reply: lastUser });
};

function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Usage {
  promptTokens: number;
  completionTokens: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Mode, latency, request log, kill/restart and socket tracking, shared by both fakes. */
abstract class FakeLlmBase implements FakeLlmServer {
  url = '';
  requests: FakeLlmRequest[] = [];
  served = 0;
  mode: FakeLlmMode;
  latencyMs: number;
  models: string[];
  respond: FakeResponder;

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private listening = false;

  constructor(options: FakeLlmOptions, defaultModels: string[]) {
    this.mode = options.mode ?? 'ok';
    this.latencyMs = options.latencyMs ?? 0;
    this.models = options.models ?? defaultModels;
    this.respond = options.respond ?? defaultFakeResponder;
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) this.sendError(res, 500, error instanceof Error ? error.message : String(error));
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  protected abstract readonly chatPath: string;
  protected abstract baseUrl(port: number): string;
  /** Turns a chat body into the logged request; throw HttpError(400) when malformed. */
  protected abstract parseChat(body: Record<string, unknown>, req: IncomingMessage): FakeLlmRequest;
  /** Writes a successful chat answer in the API's shape. */
  protected abstract writeChat(res: ServerResponse, body: Record<string, unknown>, content: string, usage: Usage): void;
  /** Any non-chat endpoint; throw HttpError for API errors. */
  protected abstract route(req: IncomingMessage, res: ServerResponse, path: string): void;
  /** Writes an error in the API's own shape. */
  protected abstract sendError(res: ServerResponse, status: number, message: string, code?: string): void;
  protected abstract modelNotFound(model: string): HttpError;
  /** Whether the request's credentials are accepted (`unauthorized` mode aside). */
  protected authorized(_req: IncomingMessage): boolean {
    return true;
  }
  protected hasModel(model: string): boolean {
    return this.models.includes(model);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = this.baseUrl(this.port);
    this.listening = true;
  }

  async kill(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // RST rather than FIN: in-flight callers see ECONNRESET, as when a process dies.
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }

  async restart(): Promise<void> {
    if (!this.listening) await this.listen();
  }

  async close(): Promise<void> {
    await this.kill();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (req.method === 'POST' && path === this.chatPath) {
        await this.chat(req, res);
      } else {
        this.checkAuth(req);
        this.route(req, res, path);
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (!res.destroyed) this.sendError(res, error.status, error.message, error.code);
    }
  }

  private checkAuth(req: IncomingMessage): void {
    if (this.mode === 'unauthorized' || !this.authorized(req)) throw new HttpError(401, 'unauthorized', 'invalid_api_key');
  }

  /** The shared chat flow: log, authorize, wait `latencyMs`, then answer as the mode says. */
  private async chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const request = this.parseChat(body, req);
    const index = this.requests.push(request) - 1;
    this.checkAuth(req);
    if (!this.hasModel(request.model)) throw this.modelNotFound(request.model);
    if (this.latencyMs > 0) await waitUnlessClosed(res, this.latencyMs);
    if (res.destroyed) return;
    let content: string;
    switch (this.mode) {
      case 'hang':
        return; // kill()/close() resets the socket
      case 'fail':
        throw new HttpError(500, 'internal server error (fake failure)');
      case 'unauthorized':
        throw new HttpError(401, 'unauthorized', 'invalid_api_key');
      case 'invalid':
        content = INVALID_CONTENT;
        break;
      case 'ok':
        content = await this.respond(request, index);
        break;
    }
    if (res.destroyed) return;
    const prompt = request.messages.map((m) => m.content).join('');
    this.writeChat(res, body, content, { promptTokens: tokens(prompt), completionTokens: tokens(content) });
    this.served++;
  }
}

/** Ollama treats `llama3.2` and `llama3.2:latest` as one model. */
function normalizeTag(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

function waitUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'invalid JSON body');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Message content as text: a string, or OpenAI's array of content parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

function parseMessages(value: unknown): FakeLlmRequest['messages'] {
  if (!Array.isArray(value)) throw new HttpError(400, 'messages must be an array');
  return value.map((m: unknown) => {
    const message = (m ?? {}) as { role?: unknown; content?: unknown };
    return { role: typeof message.role === 'string' ? message.role : '', content: contentText(message.content) };
  });
}

class FakeOllama extends FakeLlmBase {
  protected readonly chatPath = '/api/chat';

  constructor(options: FakeLlmOptions) {
    super(options, ['llama3.2']);
  }

  protected baseUrl(port: number): string {
    return `http://127.0.0.1:${port}`;
  }

  protected sendError(res: ServerResponse, status: number, message: string): void {
    sendJson(res, status, { error: message });
  }

  protected modelNotFound(model: string): HttpError {
    return new HttpError(404, `model "${model}" not found, try pulling it first`);
  }

  protected override hasModel(model: string): boolean {
    return this.models.some((m) => normalizeTag(m) === normalizeTag(model));
  }

  protected route(req: IncomingMessage, res: ServerResponse, path: string): void {
    const route = `${req.method} ${path}`;
    if (route === 'GET /' || route === 'HEAD /') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Ollama is running');
    } else if (route === 'GET /api/version') {
      sendJson(res, 200, { version: '0.12.6' });
    } else if (route === 'GET /api/tags') {
      sendJson(res, 200, { models: this.models.map(tagEntry) });
    } else {
      // Ollama's router answers unknown paths in plain text.
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    }
  }

  protected parseChat(body: Record<string, unknown>): FakeLlmRequest {
    if (typeof body.model !== 'string' || !body.model) throw new HttpError(400, 'model is required');
    const request: FakeLlmRequest = { model: body.model, messages: parseMessages(body.messages ?? []) };
    // `format: "json"` asks for any JSON; only an object is a schema.
    if (body.format && typeof body.format === 'object') request.jsonSchema = body.format;
    return request;
  }

  protected writeChat(res: ServerResponse, body: Record<string, unknown>, content: string, usage: Usage): void {
    // Like the real server, streaming is the default.
    const stream = body.stream !== false;
    const model = String(body.model);
    const final = {
      model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: stream ? '' : content },
      done: true,
      done_reason: 'stop',
      total_duration: this.latencyMs * 1e6,
      load_duration: 0,
      prompt_eval_count: usage.promptTokens,
      prompt_eval_duration: 0,
      eval_count: usage.completionTokens,
      eval_duration: this.latencyMs * 1e6,
    };
    if (!stream) {
      sendJson(res, 200, final);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const piece of content.match(/[\s\S]{1,8}/g) ?? []) {
      const chunk = { model, created_at: final.created_at, message: { role: 'assistant', content: piece }, done: false };
      res.write(`${JSON.stringify(chunk)}\n`);
    }
    res.end(`${JSON.stringify(final)}\n`);
  }
}

function tagEntry(name: string) {
  const [family = name] = name.split(':');
  return {
    name,
    model: name,
    modified_at: new Date(0).toISOString(),
    size: 2_019_393_189,
    digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
    details: {
      parent_model: '',
      format: 'gguf',
      family,
      families: [family],
      parameter_size: '3.2B',
      quantization_level: 'Q4_K_M',
    },
  };
}

class FakeOpenAI extends FakeLlmBase {
  protected readonly chatPath = '/v1/chat/completions';
  private readonly apiKeys: string[] | undefined;

  constructor(options: FakeOpenAIOptions) {
    super(options, ['gpt-4o-mini']);
    this.apiKeys = options.apiKeys;
  }

  protected baseUrl(port: number): string {
    return `http://127.0.0.1:${port}/v1`;
  }

  protected sendError(res: ServerResponse, status: number, message: string, code?: string): void {
    const body = {
      error: {
        message: status === 401 ? 'Incorrect API key provided.' : message,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: code ?? null,
      },
    };
    sendJson(res, status, body, { 'x-request-id': `req_${randomUUID()}` });
  }

  protected modelNotFound(model: string): HttpError {
    return new HttpError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
  }

  protected override authorized(req: IncomingMessage): boolean {
    if (!this.apiKeys) return true;
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return key !== undefined && this.apiKeys.includes(key);
  }

  protected route(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method === 'GET' && path === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      sendJson(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created, owned_by: 'system' })) });
      return;
    }
    throw new HttpError(404, `Invalid URL (${req.method} ${path})`);
  }

  protected parseChat(body: Record<string, unknown>, req: IncomingMessage): FakeLlmRequest {
    if (typeof body.model !== 'string' || !body.model) throw new HttpError(400, 'you must provide a model parameter');
    if (body.stream === true) throw new HttpError(400, 'stream: true is not supported by this fake');
    const request: FakeLlmRequest = { model: body.model, messages: parseMessages(body.messages) };
    const format = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
    if (format?.type === 'json_schema' && format.json_schema?.schema !== undefined) request.jsonSchema = format.json_schema.schema;
    if (req.headers.authorization !== undefined) request.authorization = req.headers.authorization;
    return request;
  }

  protected writeChat(res: ServerResponse, body: Record<string, unknown>, content: string, usage: Usage): void {
    const completion = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(body.model),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      },
      service_tier: 'default',
      system_fingerprint: null,
    };
    sendJson(res, 200, completion, { 'x-request-id': `req_${randomUUID()}` });
  }
}

/** An Ollama-compatible server on 127.0.0.1 (GET /api/tags, /api/version; POST /api/chat). */
export async function startFakeOllama(options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  const server = new FakeOllama(options);
  await server.listen();
  return server;
}

/** An OpenAI-compatible server on 127.0.0.1 (POST /v1/chat/completions, GET /v1/models). */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeLlmServer> {
  const server = new FakeOpenAI(options);
  await server.listen();
  return server;
}
