/** What every model backend (the Ollama pool, a BYOK provider) is asked and answers. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** A JSON Schema the answer must follow (structured output), or undefined for free text. */
  jsonSchema?: Record<string, unknown>;
  maxTokens?: number;
  temperature?: number;
  /** Aborts the call (the caller gave up). */
  signal?: AbortSignal;
}

export interface ChatResult {
  content: string;
  /** The model that answered (as the backend names it). */
  model: string;
  /** `ollama`, `openai`, `anthropic` or `deepseek`. */
  provider: string;
  /** The pool host that answered (Ollama only). */
  host?: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

/** No backend can serve the request now (no host has the model, all hosts down, nothing configured). */
export class LlmUnavailableError extends Error {
  override name = 'LlmUnavailableError';
  /** How many backends were tried and failed (0: none could even be asked). */
  constructor(
    message: string,
    readonly failedAttempts = 0,
  ) {
    super(message);
  }
}

/** A backend failed the request (after any failover). `status` is the HTTP status when there was one. */
export class LlmProviderError extends Error {
  override name = 'LlmProviderError';
  constructor(
    message: string,
    readonly provider: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
