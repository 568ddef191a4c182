/**
 * Bring-your-own-key calls: every provider through the `openai` client at its own
 * OpenAI-compatible base URL. The user's key lives only in the client built for one call;
 * errors are rebuilt from scratch so no SDK object (which holds the response body and, in
 * some versions, request details) ever leaves this module.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ApiKeyProviderName } from '../keys/shape.js';
import { LlmProviderError, type ChatRequest, type ChatResult } from './types.js';

export type Provider = ApiKeyProviderName;

export interface ProviderInfo {
  /** Shown to users. */
  label: string;
  baseURL: string;
  /** The models users may pick with their own key of this provider. */
  models: readonly string[];
}

// DeepSeek's old `deepseek-chat`/`deepseek-reasoner` aliases were retired in July 2026.
export const BYOK_PROVIDERS: Readonly<Record<Provider, ProviderInfo>> = {
  openai: {
    label: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    models: ['gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5.4-mini', 'gpt-5.4'],
  },
  anthropic: {
    label: 'Anthropic',
    // Anthropic's OpenAI-compatible endpoint.
    baseURL: 'https://api.anthropic.com/v1/',
    models: ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-6', 'claude-opus-4-6'],
  },
  deepseek: {
    label: 'DeepSeek',
    baseURL: 'https://api.deepseek.com/v1',
    models: ['deepseek-v4-flash', 'deepseek-v4-pro'],
  },
};

export const BYOK_PROVIDER_NAMES = Object.keys(BYOK_PROVIDERS) as Provider[];

/** The provider whose catalogue lists `model`, or null (e.g. an Ollama model). */
export function providerOfModel(model: string): Provider | null {
  return BYOK_PROVIDER_NAMES.find((p) => BYOK_PROVIDERS[p].models.includes(model)) ?? null;
}

export interface ByokChatOptions {
  provider: Provider;
  apiKey: string;
  /** Normally BYOK_PROVIDERS[provider].baseURL; tests point it at a fake. */
  baseURL: string;
  request: ChatRequest;
  timeoutMs: number;
}

// OpenAI's reasoning models reject any temperature but the default.
const FIXED_TEMPERATURE = /^(o\d|gpt-5)/;

function schemaInstruction(schema: Record<string, unknown>): string {
  return `Answer with one JSON object that follows this JSON Schema, and nothing else:\n${JSON.stringify(schema)}`;
}

function buildBody(provider: Provider, request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionCreateParamsNonStreaming['messages'] = request.messages.map((m) => ({ role: m.role, content: m.content }));
  const body: ChatCompletionCreateParamsNonStreaming = { model: request.model, messages };
  if (request.jsonSchema) {
    if (provider === 'deepseek') {
      // DeepSeek only has JSON mode, which needs the shape (and the word "JSON") in the prompt.
      body.response_format = { type: 'json_object' };
      messages.unshift({ role: 'system', content: schemaInstruction(request.jsonSchema) });
    } else {
      body.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: request.jsonSchema } };
      // Anthropic's compatibility layer ignores response_format: the prompt has to carry it.
      if (provider === 'anthropic') messages.unshift({ role: 'system', content: schemaInstruction(request.jsonSchema) });
    }
  }
  if (request.maxTokens !== undefined) {
    // OpenAI's newer models accept only max_completion_tokens; DeepSeek knows only max_tokens.
    if (provider === 'openai') body.max_completion_tokens = request.maxTokens;
    else body.max_tokens = request.maxTokens;
  }
  if (request.temperature !== undefined && !(provider === 'openai' && FIXED_TEMPERATURE.test(request.model))) {
    body.temperature = provider === 'anthropic' ? Math.min(1, Math.max(0, request.temperature)) : request.temperature;
  }
  return body;
}

/** One chat completion with the user's own key. Errors are LlmProviderError, free of the key. */
export async function byokChat({ provider, apiKey, baseURL, request, timeoutMs }: ByokChatOptions): Promise<ChatResult> {
  const label = BYOK_PROVIDERS[provider].label;
  if (!apiKey) throw new LlmProviderError(`No ${label} API key was given.`, provider);
  const client = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: timeoutMs,
    // Explicit nulls: otherwise the SDK picks OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_ADMIN_KEY
    // from this server's environment and sends them along with the user's key.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // OPENAI_LOG=debug would log requests; failures are reported through our errors instead.
    logLevel: 'off',
  });
  const started = performance.now();
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await client.chat.completions.create(buildBody(provider, request), { signal: request.signal ?? null });
  } catch (error) {
    throw toProviderError(error, provider, apiKey, timeoutMs);
  }
  const latencyMs = Math.round(performance.now() - started);
  const choice = completion.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content !== 'string' || content === '') {
    const refusal = choice?.message?.refusal;
    throw new LlmProviderError(
      refusal ? `${label} declined to answer.` : `${label} returned no content${choice?.finish_reason ? ` (finish reason: ${choice.finish_reason})` : ''}.`,
      provider,
    );
  }
  return {
    content,
    model: completion.model || request.model,
    provider,
    promptTokens: completion.usage?.prompt_tokens ?? 0,
    completionTokens: completion.usage?.completion_tokens ?? 0,
    latencyMs,
  };
}

const KEY_LIKE = /\b(sk-[A-Za-z0-9_-]{6,})/g;

/** A provider's own text with the key (and anything key-shaped) removed, kept short. */
function scrub(text: string, apiKey: string): string {
  const cleaned = text.split(apiKey).join('[redacted]').replace(KEY_LIKE, '[redacted]').replace(/\s+/g, ' ').trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 300)}…` : cleaned;
}

/** `: <the provider's reason>` from an error response body, scrubbed; '' when there is none. */
function providerMessage(body: unknown, apiKey: string): string {
  const message = body && typeof body === 'object' && 'message' in body ? body.message : undefined;
  return typeof message === 'string' && message ? `: ${scrub(message, apiKey).replace(/\.$/, '')}` : '';
}

/** Rebuilds any failure as an LlmProviderError without a cause: SDK errors hold request/response details. */
function toProviderError(error: unknown, provider: Provider, apiKey: string, timeoutMs: number): LlmProviderError {
  const label = BYOK_PROVIDERS[provider].label;
  if (error instanceof APIConnectionTimeoutError) return new LlmProviderError(`${label} timed out (no answer within ${timeoutMs} ms).`, provider);
  if (error instanceof APIUserAbortError) return new LlmProviderError(`The ${label} call was cancelled.`, provider);
  if (error instanceof APIConnectionError) {
    const code = (error.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    return new LlmProviderError(`Could not connect to ${label}${typeof code === 'string' ? ` (${code})` : ''}.`, provider);
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    // The user fixes a rejected key themselves; other failures may need the provider's request id.
    if (status === 401 || status === 403) return new LlmProviderError(`${label} rejected the API key (${status}): check or replace the key in your settings.`, provider, status);
    const reason: unknown = error.error;
    const request = error.requestID ? ` [request ${scrub(error.requestID, apiKey)}]` : '';
    let message: string;
    if (status === 404) message = `${label} does not offer this model to this key (404)${providerMessage(reason, apiKey)}.`;
    else if (status === 429) message = `${label} rate limit or quota reached for this key (429)${providerMessage(reason, apiKey)}.`;
    else if (status >= 500) message = `${label} failed to answer (${status}).`;
    else message = `${label} refused the request (${status})${providerMessage(reason, apiKey)}.`;
    return new LlmProviderError(`${message}${request}`, provider, status);
  }
  const text = error instanceof Error ? scrub(error.message, apiKey) : 'unknown error';
  return new LlmProviderError(`${label} call failed: ${text}`, provider);
}
